// Disclosure control on the monitoring answers (docs/methodology.md "Disclosure control"): a user who
// may not see every firm gets a cell's figures only when the firms behind it that lie outside their
// scope pass the frequency, dominance and p % rules on every measure (judged on the rollup's two
// largest firms per cell and measure), and a further cell is hidden wherever a lone hidden cell could
// be recovered from a total shown on any page the user can open — one pattern per reader and month
// (lattice.ts), which every function below reads. A figure derived from several cells (a share of
// industry, a location quotient, shift-share, a growth rate against the same firms) is withheld when
// any of them is; concentration shares are coarsened.
import {
  cellReason,
  DEFAULT_DISCLOSURE,
  roundShare,
  windowReason,
  type SuppressionReason,
} from '../../domain/disclosure/index.ts';
import { addMonths } from '../../domain/periods.ts';
import type { Scope } from '../../server/scope.ts';
import { TOP_MEASURES, type RollupRow } from './repo.ts';
import { ALL_INDUSTRY as ALL, ANY_CLUSTER as ANY, OTHER_INDUSTRY as OTHER } from './rollup.ts';
import { CITY, countyArea, restArea, zoneArea, type Pattern } from './lattice.ts';
import type {
  ClusterPage,
  Cockpit,
  FigureSet,
  FiguresAnswer,
  RegionPage,
  StructureAnswer,
} from './schemas.ts';

type Row = FiguresAnswer['rows'][number];
export type Primary = Exclude<SuppressionReason, 'secondary'> | null;

/**
 * A rollup cell's primary reason, judged on every measure it shows (each kept with its two largest
 * firms; profit against the sum of absolute values).
 */
export function rollupReason(r: RollupRow | undefined): Primary {
  if (!r) return null;
  const known = judged.get(r);
  if (known !== undefined) return known;
  const reason = judgeRow(r);
  judged.set(r, reason);
  return reason;
}

// rows are judged once: the pattern of every reader and month asks about the same rows again
const judged = new WeakMap<RollupRow, Primary>();

function judgeRow(r: RollupRow): Primary {
  const total = (m: (typeof TOP_MEASURES)[number]) => r.magnitude[m] ?? null;
  // rows written before the rollup kept the measure's top firms (migrations 0026 and the one of every
  // measure) cannot be judged: withheld until their months are refreshed
  const unknown = TOP_MEASURES.some(
    (m) => (r.values[m] ?? 0) !== 0 && (r.top[m].length === 0 || total(m) === null),
  );
  if (unknown && r.enterprises > 0) return cellReason(r.enterprises, []) ?? 'dominance';
  return cellReason(
    r.enterprises,
    TOP_MEASURES.map((m) => ({ total: total(m), top: r.top[m] })),
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

const hiddenFigure = <F extends { month: unknown; ytd: unknown }>(f: F): F => ({
  ...f,
  month: null,
  ytd: null,
  ...('yoy' in f ? { yoy: null, ytdYoy: null } : {}),
});

type Shown = FigureSet & { lq?: number | null; suppressed?: SuppressionReason; comparable?: unknown };

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
    ...('comparable' in r ? { comparable: null } : {}),
    suppressed: reason,
  };
}

/**
 * A figure set of `cluster` in `area` as the pattern allows: hidden with its reason, or shown with
 * its share of industry only when the area's industry is shown too, and its location quotient only
 * when the city's cluster and industry are.
 */
function showSet<R extends Shown>(r: R, pattern: Pattern, cluster: string, area: string): R {
  const reason = pattern.reason(cluster, area);
  if (reason) return hideSet(r, reason);
  const industryHidden = pattern.reason(ALL, area) !== null;
  const cityHidden = pattern.reason(cluster, CITY) !== null || pattern.reason(ALL, CITY) !== null;
  return {
    ...r,
    shareOfIndustry: industryHidden ? null : r.shareOfIndustry,
    ...('lq' in r ? { lq: industryHidden || cityHidden ? null : r.lq } : {}),
  };
}

const hiddenMeasures = (m: Row['measures']): Row['measures'] =>
  Object.fromEntries(
    Object.keys(m).map((k) => [k, { month: null, ytd: null, yoy: null, ytdYoy: null }]),
  ) as Row['measures'];

/** The figures table as this user may see it: each row by the pattern of its month. */
export function discloseFigures(
  answer: FiguresAnswer,
  patternAt: (month: string) => Pattern,
  by: 'county' | 'zone',
): FiguresAnswer {
  return {
    rows: answer.rows.map((r) => {
      const area =
        by === 'zone'
          ? r.zoneCode
            ? zoneArea(r.zoneCode)
            : restArea(r.regionCode)
          : countyArea(r.regionCode);
      const reason = patternAt(r.month).reason(r.clusterCode, area);
      return reason ? { ...r, measures: hiddenMeasures(r.measures), suppressed: reason } : r;
    }),
  };
}

type Trend = { month: string; values: Record<string, number | null> }[];

/** Trend points of `area`: each month's value by that month's pattern. */
function discloseTrend(trend: Trend, patternAt: (month: string) => Pattern, area: string): Trend {
  return trend.map((point) => {
    const pattern = patternAt(point.month);
    return {
      ...point,
      values: Object.fromEntries(
        Object.entries(point.values).map(([k, v]) => [k, pattern.reason(k, area) ? null : v]),
      ),
    };
  });
}

/**
 * The cockpit as this user may see it: the city's clusters, the five together and all industry (for
 * a county officer, judged on the other counties' firms), the county rows and the trend.
 */
export function discloseCockpit(
  answer: Cockpit,
  pattern: Pattern,
  patternAt: (month: string) => Pattern,
  targetPattern: Pattern = pattern,
): Cockpit {
  return {
    ...answer,
    total: showSet(answer.total, pattern, ANY, CITY),
    industry: showSet(answer.industry, pattern, ALL, CITY),
    clusters: answer.clusters.map((c) => showSet(c, pattern, c.code, CITY)),
    counties: answer.counties.map((c) => showSet(c, pattern, ANY, countyArea(c.code))),
    trend: discloseTrend(answer.trend, patternAt, CITY),
    targets: answer.targets && {
      ...answer.targets,
      targets: answer.targets.targets.map((t) => withheldTarget(t, targetPattern)),
    },
  };
}

type TargetRow = NonNullable<Cockpit['targets']>['targets'][number];

/** A city output target's actual figure is the city's cell: withheld with it. */
export function withheldTarget<T extends TargetRow>(t: T, pattern: Pattern): T {
  const cluster = t.clusterCode ?? ANY;
  if (t.metric !== 'cluster_output' && t.metric !== 'cluster_output_total') return t;
  const reason = pattern.reason(cluster, CITY);
  if (!reason) return t;
  return { ...hiddenTarget(t), suppressed: reason };
}

/** The target without the cell's figures (its goal and status stay: they are the plan's, and coarse). */
function hiddenTarget<T extends TargetRow>(t: T): T {
  return {
    ...t,
    actual: null,
    actualYear: null,
    progress: null,
    baselineValue: null,
    growthNeeded: null,
    growthAchieved: null,
    growthNeededFromNow: null,
    projection: null,
    history: [],
  };
}

/** A cluster's page as this user may see it: the city's figure, its trend, the county and zone rows. */
export function discloseClusterPage(
  answer: ClusterPage,
  pattern: Pattern,
  patternAt: (month: string) => Pattern,
  zoneArea: (zone: string) => string,
  targetPattern: Pattern = pattern,
): ClusterPage {
  const code = answer.cluster.code;
  return {
    ...answer,
    city: showSet(answer.city, pattern, code, CITY),
    areas: answer.areas.map((r) =>
      showSet(r, pattern, code, r.kind === 'county' ? countyArea(r.code) : zoneArea(r.code)),
    ),
    trend: answer.trend.map((point) =>
      patternAt(point.month).reason(code, CITY) ? { ...point, value: null, yoy: null } : point,
    ),
    targets: answer.targets.map((t) => withheldTarget(t, targetPattern)),
  };
}

/**
 * A county's or zone's page (`area`: its key in the pattern) as this user may see it. Shift-share,
 * built of every row's 累计 this year and last, the other industry and the city's, is withheld when
 * any of its cells is.
 */
export function discloseRegion(
  a: RegionPage,
  pattern: Pattern,
  patternAt: (month: string) => Pattern,
  area: string,
  zoneArea: (zone: string) => string,
): RegionPage {
  const cells = [ANY, ALL, OTHER, ...a.clusters.map((c) => c.code)];
  const shiftHidden = cells.some((k) => pattern.reason(k, area) || pattern.reason(k, CITY));
  return {
    ...a,
    total: showSet(a.total, pattern, ANY, area),
    industry: showSet(a.industry, pattern, ALL, area),
    clusters: a.clusters.map((c) => showSet(c, pattern, c.code, area)),
    zones: a.zones.map((z) => showSet(z, pattern, ANY, zoneArea(z.code))),
    trend: discloseTrend(a.trend, patternAt, area),
    shiftShare: shiftHidden ? null : a.shiftShare,
  };
}

/**
 * Structure as this user may see it: a location quotient is withheld when its cell, its county's
 * industry, or the city's cluster or industry is hidden (it is their ratio).
 */
export function discloseStructure(answer: StructureAnswer, pattern: Pattern): StructureAnswer {
  const hidden = (cluster: string, area: string) => pattern.reason(cluster, area) !== null;
  return {
    ...answer,
    lq: answer.lq.map((row) => {
      const area = countyArea(row.regionCode);
      return {
        ...row,
        values: Object.fromEntries(
          Object.entries(row.values).map(([cluster, v]) => [
            cluster,
            hidden(cluster, area) || hidden(ALL, area) || hidden(cluster, CITY) || hidden(ALL, CITY)
              ? null
              : v,
          ]),
        ),
      };
    }),
  };
}
