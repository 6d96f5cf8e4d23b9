// Disclosure control on the monitoring answers (docs/methodology.md "Disclosure control"): a user who
// may not see every firm gets a cell's figures only when the firms behind it that lie outside their
// scope pass the frequency, dominance and p % rules (judged on the rollup's two largest firms per
// cell), and a further cell is hidden wherever a lone hidden cell could be recovered from a total
// shown elsewhere (zones add up to their county, counties to the city's cluster figure). Location
// quotients of such cells are withheld; concentration shares are coarsened.
import {
  cellReason,
  DEFAULT_DISCLOSURE,
  roundShare,
  suppressTable,
  windowReason,
  type SuppressionReason,
} from '../../domain/disclosure/index.ts';
import { addMonths } from '../../domain/periods.ts';
import type { Scope } from '../../server/scope.ts';
import { TOP_MEASURES, type RollupRow } from './repo.ts';
import { ALL_INDUSTRY as ALL, ANY_CLUSTER as ANY } from './rollup.ts';
import type { AreaRow, Cockpit, FigureSet, FiguresAnswer, RegionPage, StructureAnswer } from './schemas.ts';

type Row = FiguresAnswer['rows'][number];
export type Primary = Exclude<SuppressionReason, 'secondary'> | null;

/** A rollup cell's primary reason, judged on its output and revenue (the magnitudes kept with top firms). */
export function rollupReason(r: RollupRow | undefined): Primary {
  if (!r) return null;
  // rows written before the rollup kept its top firms (migration 0026) cannot be judged: withheld
  // until their months are refreshed
  const unknown = TOP_MEASURES.some((m) => (r.values[m] ?? 0) > 0 && r.top[m].length === 0);
  if (unknown && r.enterprises > 0) return cellReason(r.enterprises, []) ?? 'dominance';
  return cellReason(
    r.enterprises,
    TOP_MEASURES.map((m) => ({ total: r.values[m], top: r.top[m] })),
  );
}

/**
 * The reason for a row of figures at `month`: the month's own cell, then every cell its 累计 and 同比
 * are built of (January to the month, this year and last), since each of them reveals those cells.
 */
export function figureReason(series: ReadonlyMap<string, RollupRow> | undefined, month: string): Primary {
  const parts: Primary[] = [];
  const january = `${month.slice(0, 4)}-01`;
  for (let m = january; m <= month; m = addMonths(m, 1)) {
    parts.push(rollupReason(series?.get(m)));
    parts.push(rollupReason(series?.get(addMonths(m, -12))));
  }
  return windowReason(rollupReason(series?.get(month)), parts);
}

/**
 * Whether a cell of cluster × county lies outside the scope entirely (its firms are not the user's to
 * see, so its primary reason applies). Cells of the reserved codes mix firms of every cluster: outside
 * a cluster agency's scope. An enterprise user sees every cell but its own firm in it.
 */
function outside(scope: Scope, clusterCode: string, regionCode: string): boolean {
  switch (scope.kind) {
    case 'all':
      return false;
    case 'region':
      return regionCode !== scope.regionCode;
    case 'cluster':
      return clusterCode !== scope.clusterCode;
    default:
      return true;
  }
}

/** The figures table with each row's primary reason (scope-free: cached with the answer). */
export interface JudgedFigures {
  answer: FiguresAnswer;
  primary: Primary[];
}

const hiddenMeasures = (m: Row['measures']): Row['measures'] =>
  Object.fromEntries(
    Object.keys(m).map((k) => [k, { month: null, ytd: null, yoy: null, ytdYoy: null }]),
  ) as Row['measures'];

/** The table as this user may see it: suppressed cells keep their firm count, lose their figures. */
export function discloseFigures(judged: JudgedFigures, scope: Scope, by: 'county' | 'zone'): FiguresAnswer {
  const { answer, primary } = judged;
  if (scope.kind === 'all') return answer;
  const byZone = by === 'zone';
  const reasons = suppressTable(
    answer.rows.map((r, i) => ({
      primary: primaryFor(scope, r, primary[i] ?? null),
      value: r.measures.outputValue?.month ?? 0,
      known: !outside(scope, r.clusterCode, r.regionCode) && scope.kind !== 'enterprise',
      groups: byZone ? [`${r.month}|${r.clusterCode}|${r.regionCode}`] : [`${r.month}|${r.clusterCode}`],
    })),
  );
  return {
    rows: answer.rows.map((r, i) =>
      reasons[i] ? { ...r, measures: hiddenMeasures(r.measures), suppressed: reasons[i] } : r,
    ),
  };
}

function primaryFor(scope: Scope, r: Row, reason: Primary): Primary {
  if (!outside(scope, r.clusterCode, r.regionCode)) return null;
  // an enterprise user may subtract its own firm: judge the rest by its count (no top firms without it)
  if (scope.kind === 'enterprise') return cellReason(Math.max(0, r.enterprises - 1), []) ?? reason;
  return reason;
}

/**
 * Structure as this user may see it: a location quotient of a county × cluster cell outside the scope
 * whose 累计 (or its county's industrial 累计) fails a rule is withheld; concentration figures of a
 * cluster the user cannot see whole are coarsened (shares to a tenth, HHI from the coarsened share
 * steps) and withheld when the cluster's firms fail a rule.
 */
export function discloseStructure(
  answer: StructureAnswer,
  scope: Scope,
  lqReason: (clusterCode: string, regionCode: string) => Primary,
): StructureAnswer {
  if (scope.kind === 'all') return answer;
  return {
    ...answer,
    lq: answer.lq.map((row) => ({
      ...row,
      values: Object.fromEntries(
        Object.entries(row.values).map(([cluster, v]) => [
          cluster,
          outside(scope, cluster, row.regionCode) && lqReason(cluster, row.regionCode) ? null : v,
        ]),
      ),
    })),
  };
}

type Concentration = NonNullable<StructureAnswer['concentration'][number]['value']>;

/**
 * Concentration of a cluster for a user who may not see all its firms: withheld when the cluster's
 * firms fail a rule (judged on its n, total and largest firms), otherwise every share and the HHI
 * coarsened to `shareStep` (a top-5 share times the published total would give away the fifth firm
 * when the user can see the other four).
 */
export function discloseConcentration(
  value: Concentration | null,
  scope: Scope,
  clusterCode: string,
  largest: readonly number[],
  total: number,
): Concentration | null {
  if (!value || scope.kind === 'all') return value;
  if (scope.kind === 'cluster' && scope.clusterCode === clusterCode) return value;
  if (cellReason(value.n, [{ total, top: largest }])) return null;
  const hhi = roundShare(value.hhi) ?? 0;
  const step = DEFAULT_DISCLOSURE.shareStep;
  return {
    ...value,
    hhi,
    hhiNormalised: value.hhiNormalised === null ? null : roundShare(value.hhiNormalised),
    // 1/HHI of the coarsened HHI (a step when it rounds to nothing): no finer than the HHI itself
    equivalentNumber: Math.round(1 / Math.max(hhi, step)),
    topShare: roundShare(value.topShare) ?? 0,
    top: value.top.map((f) => ({ ...f, share: roundShare(f.share) ?? 0 })),
  };
}

/** The two largest of two cells' two largest (a union of cells: its top two are among theirs). */
export function mergeTops(a: RollupRow['top'], b: RollupRow['top']): RollupRow['top'] {
  return Object.fromEntries(
    TOP_MEASURES.map((m) => [m, [...a[m], ...b[m]].sort((x, y) => y - x).slice(0, 2)]),
  ) as RollupRow['top'];
}

/** A county or zone row of a cluster's page with its primary reason (scope-free). */
export type JudgedArea = AreaRow & { primary: Primary };

const hiddenFigure = <F extends { month: unknown; ytd: unknown }>(f: F): F => ({
  ...f,
  month: null,
  ytd: null,
  ...('yoy' in f ? { yoy: null, ytdYoy: null } : {}),
});

/**
 * A cluster's county and zone rows as this user may see them: rows of other counties that fail a
 * rule lose their figures (the firm count stays), plus the secondary cells: the counties add up to the
 * city's cluster figure; a county's zones (with the county row, conservatively: firms outside any zone
 * are not shown apart) add up to the county.
 */
export function discloseAreas(rows: readonly JudgedArea[], scope: Scope, clusterCode: string): AreaRow[] {
  const strip = rows.map(({ primary: _p, ...r }) => r);
  if (scope.kind === 'all') return strip;
  const region = (r: AreaRow) => (r.kind === 'county' ? r.code : (r.hostRegionCode ?? ''));
  const reasons = suppressTable(
    rows.map((r) => ({
      primary: outside(scope, clusterCode, region(r)) ? r.primary : null,
      value: r.output.month ?? 0,
      // the reader's own rows, and rows known to be empty, protect nothing
      known:
        !outside(scope, clusterCode, region(r)) ||
        (r.enterprises === 0 && r.output.month === null && r.output.ytd === null),
      groups: r.kind === 'county' ? ['counties', `zones|${r.code}`] : [`zones|${region(r)}`],
    })),
  );
  return strip.map((r, i) => {
    const reason = reasons[i];
    if (!reason) return r;
    return {
      ...r,
      output: hiddenFigure(r.output),
      measures: Object.fromEntries(
        Object.entries(r.measures).map(([k, v]) => [k, hiddenFigure(v)]),
      ) as AreaRow['measures'],
      shareOfIndustry: null,
      lq: null,
      suppressed: reason,
    };
  });
}

/** The primary reason of a cell for this reader: none inside the scope; an enterprise user may subtract its own firm. */
function readerPrimary(
  scope: Scope,
  clusterCode: string,
  regionCode: string,
  enterprises: number,
  reason: Primary,
): Primary {
  if (!outside(scope, clusterCode, regionCode)) return null;
  if (scope.kind === 'enterprise') return cellReason(Math.max(0, enterprises - 1), []) ?? reason;
  return reason;
}

type Shown = FigureSet & { lq?: number | null; suppressed?: SuppressionReason };

/** A figure set with its figures gone (the firm count stays) and the reason named. */
function hideSet<R extends Shown>(r: R, reason: SuppressionReason): R {
  return {
    ...r,
    output: hiddenFigure(r.output),
    measures: Object.fromEntries(
      Object.entries(r.measures).map(([k, v]) => [k, hiddenFigure(v)]),
    ) as FigureSet['measures'],
    shareOfIndustry: null,
    ...('lq' in r ? { lq: null } : {}),
    suppressed: reason,
  };
}

/** A county row of the cockpit (the five clusters together in the county) with its primary reason. */
export type JudgedCounty = Cockpit['counties'][number] & { primary: Primary };

/**
 * The cockpit's county rows as this user may see them: the counties add up to the city's five-cluster
 * figure shown beside them, so a lone hidden county takes the smallest other county with it. Every
 * county's row mixes all five clusters: outside a cluster agency's scope.
 */
export function discloseCounties(rows: readonly JudgedCounty[], scope: Scope): Cockpit['counties'] {
  const strip = rows.map(({ primary: _p, ...r }) => r);
  if (scope.kind === 'all') return strip;
  const reasons = suppressTable(
    rows.map((r) => ({
      primary: readerPrimary(scope, ANY, r.code, r.enterprises, r.primary),
      value: r.output.month ?? 0,
      known: !outside(scope, ANY, r.code) || (r.enterprises === 0 && r.output.ytd === null),
      groups: ['counties'],
    })),
  );
  return strip.map((r, i) => (reasons[i] ? hideSet(r, reasons[i]) : r));
}

/** A county's or zone's page with the primary reason of every cell it shows (scope-free, cached). */
export interface JudgedRegion {
  answer: RegionPage;
  /** the county the area lies in */
  host: string;
  total: Primary;
  industry: Primary;
  clusters: Primary[];
  zones: Primary[];
  /** per trend month, per series key (a cluster or `_clusters`), the month's cell */
  trend: Record<string, Primary>[];
}

/**
 * A county's or zone's page as this user may see it. Cells outside the scope that fail a rule lose
 * their figures; the clusters (overlapping, so conservatively) and the zones each form a group with the
 * area's five-cluster total, and `countyReason` — the cockpit's verdict on this county's row, secondary
 * included — hides the total here too, so the two pages never differ on the same cell. A hidden row's
 * trend line goes entirely (its months add up to the hidden 累计); each month's trend values form a
 * group of their own. Shift-share, built of every row's 累计 this year and last, is withheld when any
 * of its rows is.
 */
export function discloseRegion(
  j: JudgedRegion,
  scope: Scope,
  countyReason: SuppressionReason | null,
): RegionPage {
  const a = j.answer;
  if (scope.kind === 'all' || a.month === null) return a;
  const host = j.host;
  const cell = (cluster: string, set: FigureSet, primary: Primary, groups: string[]) => ({
    primary: readerPrimary(scope, cluster, host, set.enterprises, primary),
    value: set.output.month ?? 0,
    // the reader's own cells, and cells known to be empty, protect nothing
    known: !outside(scope, cluster, host) || (set.enterprises === 0 && set.output.ytd === null),
    groups,
  });
  const rows = [
    cell(ANY, a.total, j.total, ['clusters', 'zones']),
    cell(ALL, a.industry, j.industry, []),
    ...a.clusters.map((c, i) => cell(c.code, c, j.clusters[i] ?? null, ['clusters'])),
    ...a.zones.map((z, i) => cell(ANY, z, j.zones[i] ?? null, ['zones'])),
  ];
  // the cockpit hides this county's row (perhaps as its secondary): hide the same total here
  const forced = a.area.kind === 'county' && outside(scope, ANY, host) ? countyReason : null;
  const own = rows[0]!.primary;
  if (forced && !own) rows[0]!.primary = 'dominance';
  const reasons = suppressTable(rows);
  const r = (i: number) => (i === 0 && forced && !own ? forced : reasons[i]);
  const nc = a.clusters.length;
  const hiddenKeys = new Set<string>();
  if (r(0)) hiddenKeys.add(ANY);
  a.clusters.forEach((c, i) => r(2 + i) && hiddenKeys.add(c.code));
  const trend = a.trend.map((point, t) => {
    const keys = Object.keys(point.values);
    const tr = suppressTable(
      keys.map((k) => ({
        // (a placeholder reason: only whether the value shows matters here)
        primary: hiddenKeys.has(k) ? 'dominance' : outside(scope, k, host) ? (j.trend[t]?.[k] ?? null) : null,
        value: point.values[k] ?? 0,
        known: !outside(scope, k, host),
        groups: [point.month],
      })),
    );
    return {
      ...point,
      values: Object.fromEntries(keys.map((k, i) => [k, tr[i] ? null : (point.values[k] ?? null)])),
    };
  });
  const anyHidden = [0, 1, ...a.clusters.map((_, i) => 2 + i)].some((i) => r(i));
  return {
    ...a,
    total: r(0) ? hideSet(a.total, r(0)!) : a.total,
    industry: r(1) ? hideSet(a.industry, r(1)!) : a.industry,
    clusters: a.clusters.map((c, i) => (r(2 + i) ? hideSet(c, r(2 + i)!) : c)),
    zones: a.zones.map((z, i) => (r(2 + nc + i) ? hideSet(z, r(2 + nc + i)!) : z)),
    trend,
    shiftShare: anyHidden ? null : a.shiftShare,
  };
}
