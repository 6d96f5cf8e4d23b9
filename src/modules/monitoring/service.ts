// Cluster monitoring: figures (本月, 1–N月累计, 同比, shares) from the rollups, targets of any target
// set, structure (LQ, HHI, shift-share), ladders and rankings. Answers are cached per database and
// rollup version: rollups only change when refreshed, so a cached answer is never stale for long
// (at most a second when another process refreshed them).
import { assertAllowed } from '../../server/policy.ts';
import { asc, eq } from 'drizzle-orm';
import { answerCache } from '../../db/answer-cache.ts';
import type { Db } from '../../db/client.ts';
import { clusters as clustersTable, regions, zones as zonesTable } from '../../db/schema.ts';
import {
  loadCityConfig,
  resolveCityDir,
  type CityConfig,
  type Target,
  type TargetSet,
} from '../../config/load.ts';
import { addMonths, cumulative, monthsBetween, yoyGrowth, ytdYoy } from '../../domain/periods.ts';
import { concentrationFromSums, locationQuotient, shiftShare } from '../../domain/monitoring/structure.ts';
import {
  targetProgress,
  type Comparator,
  type PartialYear,
  type YearValue,
} from '../../domain/monitoring/targets.ts';
import { notFound, badRequest } from '../../server/errors.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import type { Scope } from '../../server/scope.ts';
import { scopeAllows } from '../../domain/policy/index.ts';
import {
  annualRatios,
  comparableSums,
  type ComparableSums,
  firmsAtLeast,
  firmSums,
  type FirmSums,
  loadRollup,
  monthRange,
  rankEnterprises,
  type RollupRow,
} from './repo.ts';
import {
  ALL_ENTERPRISES,
  ALL_INDUSTRY,
  ANY_CLUSTER,
  OTHER_INDUSTRY,
  onRollupsRefreshed,
  rollupVersion,
} from './rollup.ts';
import {
  discloseClusterPage,
  discloseCockpit,
  withheldTarget,
  discloseConcentration,
  discloseFigures,
  discloseRegion,
  discloseStructure,
  mergeTops,
} from './disclosure.ts';
import { withOpenMonth } from './open-month.ts';
import { buildCells, countyArea, pageZoneArea, readerPattern, type Cells, type Pattern } from './lattice.ts';
import { PLATFORM_KINDS, platformKindOf } from '../../domain/platforms.ts';
import {
  clustersWithPlatformHistory,
  platformCountHistory,
  tierCode,
  tierCountHistory,
} from './registry-targets.ts';
import {
  MEASURES,
  type AreaRow,
  type ClusterPage,
  type Cockpit,
  type Comparable,
  type ComparableGrowth,
  type Figure,
  type FigureSet,
  type FiguresAnswer,
  type FiguresQuery,
  type Ladder,
  type Measure,
  type MonitoringMeta,
  type MonitoringQuery,
  type RankingAnswer,
  type RankingQuery,
  type RegionPage,
  type StructureAnswer,
  type TargetProgressRow,
  type TargetsAnswer,
} from './schemas.ts';

const WAN_PER_YI = 10_000;
/** Monitoring aggregates: who may read them is the policy's `monitoring.figures`. */
export function assertMonitoringRole(user: AuthedUser) {
  assertAllowed(user, 'monitoring.figures', 'read');
}

// ---------------------------------------------------------------- cache

// Answers kept per rollup version (src/db/answer-cache.ts): the rollups only change when refreshed, and a
// refresh in this process forgets them at once (other processes catch up through the version stamp).
const answers = answerCache({ version: rollupVersion, ttlMs: 1000, maxEntries: 2000 });
onRollupsRefreshed(() => answers.forget());

function cached<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  return answers.answer(db, key, compute);
}

const scopeKey = (scope: Scope) => JSON.stringify(scope);

const serialized = new WeakMap<object, string>();
/**
 * The answer as JSON, checked against its schema once and kept with the cached answer: the routes
 * send this string, so a cache hit costs neither validation nor serialisation.
 */
export function answerJson<T extends object>(answer: T, schema: { parse(value: unknown): unknown }): string {
  let text = serialized.get(answer);
  if (text === undefined) {
    schema.parse(answer);
    text = JSON.stringify(answer);
    serialized.set(answer, text);
  }
  return text;
}

// ---------------------------------------------------------------- configuration

let configPromise: Promise<CityConfig> | null = null;
/** The city's configuration (target sets are data there); read once per process. */
export function cityConfig(): Promise<CityConfig> {
  configPromise ??= loadCityConfig(resolveCityDir()).catch((error: unknown) => {
    configPromise = null;
    throw error;
  });
  return configPromise;
}

const setInfo = (s: TargetSet) => ({
  code: s.code,
  name: s.name,
  nameEn: s.nameEn,
  status: s.status,
  issuedOn: s.issuedOn,
  issuedBy: s.issuedBy,
  document: s.document,
});

/**
 * The set judged against by default: the one in force (status active; the latest issued when several),
 * never a superseded one while a current one exists; the others stay selectable.
 */
export function defaultSet(sets: readonly TargetSet[]): TargetSet | undefined {
  const active = sets
    .filter((s) => s.status === 'active')
    .sort((a, b) => b.issuedOn.localeCompare(a.issuedOn));
  return active[0] ?? sets[0];
}

// ---------------------------------------------------------------- reference lookups

interface Places {
  clusters: { code: string; name: string; nameEn: string; details: Record<string, unknown> }[];
  counties: { code: string; name: string; nameEn: string | null }[];
  zones: {
    code: string;
    name: string;
    shortName: string | null;
    hostRegionCode: string;
    parentZoneCode: string | null;
  }[];
}

async function places(db: Db): Promise<Places> {
  return cached(db, 'places', async () => {
    const [c, r, z] = await Promise.all([
      db.select().from(clustersTable).orderBy(asc(clustersTable.sortOrder)),
      db.select().from(regions).where(eq(regions.level, 'county')).orderBy(asc(regions.code)),
      db.select().from(zonesTable).orderBy(asc(zonesTable.code)),
    ]);
    return {
      clusters: c.map((x) => ({
        code: x.code,
        name: x.name,
        nameEn: x.nameEn,
        details: x.details as Record<string, unknown>,
      })),
      counties: r.map((x) => ({ code: x.code, name: x.name, nameEn: x.nameEn })),
      zones: z.map((x) => ({
        code: x.code,
        name: x.name,
        shortName: x.shortName,
        hostRegionCode: x.hostRegionCode,
        parentZoneCode: ((x.details as { parentZoneCode?: string } | null)?.parentZoneCode ?? null) as
          string | null,
      })),
    };
  });
}

/** A zone and the zones inside it (光伏小镇 lies inside 秀洲高新区). */
function zoneWithChildren(p: Places, code: string): string[] {
  const out = [code];
  for (let i = 0; i < out.length; i++)
    for (const z of p.zones) if (z.parentZoneCode === out[i]) out.push(z.code);
  return out;
}

// ---------------------------------------------------------------- figures

async function resolveMonth(
  db: Db,
  month: string | undefined,
): Promise<{ month: string | null; first: string | null; latest: string | null }> {
  const range = await cached(db, 'range', () => monthRange(db));
  if (month) return { month, ...range };
  return { month: range.latest, ...range };
}

type Series = Map<string, RollupRow>;

function indexSeries(rows: readonly RollupRow[], key: (r: RollupRow) => string): Map<string, Series> {
  const out = new Map<string, Series>();
  for (const r of rows) {
    const k = key(r);
    let s = out.get(k);
    if (!s) out.set(k, (s = new Map()));
    s.set(r.month, r);
  }
  return out;
}

function measureValues(series: Series | undefined, measure: Measure): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const [m, r] of series ?? []) out.set(m, r.values[measure]);
  return out;
}

export function figureOf(values: Map<string, number | null>, month: string): Figure {
  const current = values.get(month) ?? null;
  const cum = cumulative(values, month);
  const yy = ytdYoy(values, month);
  return {
    month: current,
    ytd: cum.value,
    yoy: yoyGrowth(current, values.get(addMonths(month, -12)) ?? null),
    ytdYoy: yy.value,
    ytdMissingMonths: cum.missingMonths,
    ytdYoyReason: yy.reason ?? null,
  };
}

function figureSet(
  series: Series | undefined,
  industry: Series | undefined,
  month: string | null,
): FigureSet {
  const empty: Figure = {
    month: null,
    ytd: null,
    yoy: null,
    ytdYoy: null,
    ytdMissingMonths: [],
    ytdYoyReason: null,
  };
  if (!month) {
    return {
      enterprises: 0,
      output: empty,
      measures: Object.fromEntries(
        MEASURES.map((m) => [m, { month: null, ytd: null }]),
      ) as FigureSet['measures'],
      shareOfIndustry: null,
    };
  }
  const output = figureOf(measureValues(series, 'outputValue'), month);
  const industryYtd = cumulative(measureValues(industry, 'outputValue'), month).value;
  const measures = Object.fromEntries(
    MEASURES.map((m) => {
      const values = measureValues(series, m);
      return [m, { month: values.get(month) ?? null, ytd: cumulative(values, month).value }];
    }),
  ) as FigureSet['measures'];
  return {
    enterprises: series?.get(month)?.enterprises ?? 0,
    output,
    measures,
    shareOfIndustry: output.ytd != null && industryYtd ? output.ytd / industryYtd : null,
  };
}

/** From January of last year to `month`: what 累计 and 累计同比 need. */
const figureWindow = (month: string) => ({ from: `${Number(month.slice(0, 4)) - 1}-01`, to: month });

// ---------------------------------------------------------------- enterprise-level sums

/**
 * The month whose rows of cluster_enterprise_ytd answer for 1–N月累计 at `month`: that table stops at
 * the latest month on record, so a later month of the same year reads the latest (the 累计 is the
 * same: nothing after it is on record; membership is taken as at the latest month).
 */
async function ytdMonth(db: Db, month: string): Promise<string> {
  const { latest } = await resolveMonth(db, undefined);
  return latest && month > latest && month.slice(0, 4) === latest.slice(0, 4) ? latest : month;
}

const TOP_N = 5;

/**
 * Concentration (HHI, top-5 share) of a cluster's firms, naming only the firms the scope may see;
 * coarsened or withheld for a scope that cannot see the whole cluster (disclosure control).
 */
function concentrationAnswer(sums: FirmSums | undefined, scope: Scope, clusterCode: string) {
  if (!sums) return null;
  const value = concentrationOf(sums);
  return discloseConcentration(
    value,
    scope,
    clusterCode,
    sums.top.map((f) => f.value),
    sums.total,
  );
}

function concentrationOf(sums: FirmSums) {
  const conc = concentrationFromSums(
    { n: sums.n, total: sums.total, sumSquares: sums.sumSquares, top: sums.top.map((f) => f.value) },
    TOP_N,
  );
  return (
    conc && {
      hhi: conc.hhi,
      hhiNormalised: conc.hhiNormalised,
      equivalentNumber: conc.equivalentNumber,
      topShare: conc.topShare,
      topN: conc.topN,
      n: conc.n,
      top: sums.top
        .filter((f) => f.visible)
        .map((f) => ({ id: f.id, name: f.name, value: f.value, share: f.value / conc.total })),
      hiddenInTop: sums.top.filter((f) => !f.visible).length,
    }
  );
}

// ---------------------------------------------------------------- meta

export async function monitoringMeta(db: Db): Promise<MonitoringMeta> {
  return cached(db, 'meta', async () => {
    const [p, range, config] = await Promise.all([places(db), resolveMonth(db, undefined), cityConfig()]);
    return {
      firstMonth: range.first,
      latestMonth: range.latest,
      clusters: p.clusters.map(({ code, name, nameEn }) => ({ code, name, nameEn })),
      counties: p.counties,
      zones: p.zones.map(({ code, name, shortName, hostRegionCode }) => ({
        code,
        name,
        shortName,
        hostRegionCode,
      })),
      targetSets: config.targetSets.map(setInfo),
      defaultTargetSet: defaultSet(config.targetSets)?.code ?? null,
    };
  });
}

// ---------------------------------------------------------------- targets

interface ClusterYears {
  /** complete years, 万元 */
  annual: Map<string, YearValue[]>;
  /** per cluster: month → output (万元), all months */
  monthly: Map<string, Map<string, number | null>>;
}

async function clusterYears(db: Db): Promise<ClusterYears> {
  return cached(db, 'clusterYears', async () => {
    const range = await resolveMonth(db, undefined);
    if (!range.first || !range.latest) return { annual: new Map(), monthly: new Map() };
    const rows = await loadRollup(db, {
      from: range.first,
      to: range.latest,
      scale: 'above',
      by: { cluster: true },
    });
    const monthly = new Map<string, Map<string, number | null>>();
    for (const r of rows) {
      let m = monthly.get(r.cluster);
      if (!m) monthly.set(r.cluster, (m = new Map()));
      m.set(r.month, r.values.outputValue);
    }
    const annual = new Map<string, YearValue[]>();
    for (const [cluster, m] of monthly) {
      const years = new Map<number, { sum: number; months: number }>();
      for (const [month, v] of m) {
        if (v == null) continue;
        const y = Number(month.slice(0, 4));
        const acc = years.get(y) ?? { sum: 0, months: 0 };
        acc.sum += v;
        acc.months += 1;
        years.set(y, acc);
      }
      annual.set(
        cluster,
        [...years]
          .filter(([, a]) => a.months === 12)
          .map(([year, a]) => ({ year, value: a.sum }))
          .sort((a, b) => a.year - b.year),
      );
    }
    return { annual, monthly };
  });
}

function partialYear(monthly: Map<string, number | null> | undefined, asOf: string): PartialYear | null {
  if (!monthly) return null;
  const year = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7));
  const cum = cumulative(monthly, asOf);
  if (cum.value == null || cum.missingMonths.length) return null;
  const ratios: number[] = [];
  for (let y = year - 1; y >= year - 10; y--) {
    const at = `${y}-${asOf.slice(5, 7)}`;
    const part = cumulative(monthly, at);
    const full = cumulative(monthly, `${y}-12`);
    if (part.value && full.value && !part.missingMonths.length && !full.missingMonths.length)
      ratios.push(full.value / part.value);
  }
  return { year, month, ytd: cum.value, fullOverYtdRatios: ratios };
}

function baselineYear(set: TargetSet, target: Target): number {
  // The last complete year known when the document was issued, unless the target names its own.
  return target.baseline?.year ?? Number(set.issuedOn.slice(0, 4)) - 1;
}

const threshold = (t: Target, key: string): number | null => {
  const v = t.params?.[key];
  return typeof v === 'number' ? v : null;
};

/** Firms of a cluster (or all firms) whose year output is at least `low` 亿元: cumulative, like the ladder. */
async function ladderCounts(db: Db, cluster: string | null, year: number, low: number): Promise<number> {
  const firms = await firmsAtLeast(
    db,
    { kind: 'all' },
    cluster ?? ALL_ENTERPRISES,
    await ytdMonth(db, `${year}-12`),
    'above',
    low * WAN_PER_YI,
  );
  return firms.length;
}

async function computeTargets(
  db: Db,
  setCode: string | undefined,
  asOfMonth: string | null,
  onlyCluster?: string,
): Promise<TargetsAnswer | null> {
  const config = await cityConfig();
  const set = setCode ? config.targetSets.find((s) => s.code === setCode) : defaultSet(config.targetSets);
  if (!set) {
    if (setCode) throw badRequest(`Unknown target set ${setCode}.`, `目标体系 ${setCode} 不存在。`);
    return null;
  }
  const range = await resolveMonth(db, undefined);
  const asOf = asOfMonth ?? range.latest ?? `${new Date().getUTCFullYear()}-01`;
  const years = await clusterYears(db);
  const ratios = await cached(db, 'annualRatios', () => annualRatios(db));
  const asOfYear = Number(asOf.slice(0, 4));
  const out: TargetProgressRow[] = [];
  for (const t of set.targets) {
    if (onlyCluster && t.clusterCode !== onlyCluster) continue;
    const deadlineYear = Number(t.deadline.slice(0, 4));
    const base = {
      code: t.code,
      name: t.name,
      nameEn: t.nameEn,
      clusterCode: t.clusterCode ?? null,
      metric: t.metric,
      unit: t.unit,
      comparator: t.comparator,
      goal: t.goal,
      deadline: t.deadline,
      measuredBy: t.measuredBy,
      note: t.note ?? null,
    };
    const spec = {
      goal: t.goal,
      comparator: t.comparator as Comparator,
      deadlineYear,
      baselineYear: baselineYear(set, t),
      baselineValue: t.baseline?.value ?? null,
    };
    let history: YearValue[] | null = null;
    let partial: PartialYear | null = null;
    let kind: 'flow' | 'count' = 'flow';
    if (t.metric === 'cluster_output' || t.metric === 'cluster_output_total') {
      const key = t.metric === 'cluster_output' ? (t.clusterCode ?? '') : ANY_CLUSTER;
      // Only years up to the month judged from count: looking back from an earlier month must not see later data.
      history = (years.annual.get(key) ?? [])
        .filter((p) => p.year < asOfYear || (p.year === asOfYear && asOf.endsWith('-12')))
        .map((p) => ({ year: p.year, value: p.value == null ? null : p.value / WAN_PER_YI }));
      const py = partialYear(years.monthly.get(key), asOf);
      partial = py ? { ...py, ytd: py.ytd / WAN_PER_YI } : null;
    } else if (t.metric === 'enterprises_in_output_band') {
      kind = 'count';
      const low = threshold(t, 'thresholdYiYuan');
      if (low != null) {
        const judged = Math.min(deadlineYear, asOf.endsWith('-12') ? asOfYear : asOfYear - 1);
        const complete = (years.annual.get(ANY_CLUSTER) ?? []).some((p) => p.year === judged);
        history = complete
          ? [
              {
                year: judged,
                value: await ladderCounts(db, t.clusterCode ?? null, judged, low),
              },
            ]
          : [];
      }
    } else if (t.metric === 'enterprises_with_tier' || t.metric === 'enterprises_with_tier_added') {
      kind = 'count';
      const label = t.params?.tier;
      const code = typeof label === 'string' ? tierCode(label) : null;
      if (code) {
        const to = Math.min(deadlineYear, asOfYear);
        history = await tierCountHistory(
          db,
          code,
          t.clusterCode ?? null,
          { from: Math.min(spec.baselineYear, to), to },
          t.metric === 'enterprises_with_tier_added' ? spec.baselineYear : null,
        );
      }
    } else if (t.metric === 'platforms_count' || t.metric === 'platforms_added') {
      kind = 'count';
      const type = t.params?.platformType;
      const platformKind = typeof type === 'string' ? platformKindOf(type) : null;
      const level = typeof t.params?.platformLevel === 'string' ? t.params.platformLevel : null;
      if (platformKind) {
        const to = Math.min(deadlineYear, asOfYear);
        history = await platformCountHistory(
          db,
          platformKind,
          level,
          t.clusterCode ?? null,
          { from: Math.min(spec.baselineYear, to), to },
          t.metric === 'platforms_added' ? spec.baselineYear : null,
        );
      }
    } else if (t.metric === 'clusters_with_innovation_complex') {
      kind = 'count';
      const to = Math.min(deadlineYear, asOfYear);
      history = await clustersWithPlatformHistory(
        db,
        'innovation_complex' satisfies keyof typeof PLATFORM_KINDS,
        {
          from: Math.min(spec.baselineYear, to),
          to,
        },
      );
    } else {
      const pick = {
        tax_per_mu: (r: (typeof ratios)[number]) => r.taxPerMu,
        value_added_per_mu: (r: (typeof ratios)[number]) => r.valueAddedPerMu,
        labour_productivity: (r: (typeof ratios)[number]) => r.labourProductivity,
        rd_intensity: (r: (typeof ratios)[number]) => r.rdIntensity,
      }[t.metric];
      if (pick)
        history = ratios.filter((r) => r.year <= asOfYear).map((r) => ({ year: r.year, value: pick(r) }));
    }
    if (!history) {
      out.push({
        ...base,
        actual: null,
        actualYear: null,
        progress: null,
        baselineYear: spec.baselineYear,
        baselineValue: null,
        growthNeeded: null,
        growthAchieved: null,
        growthNeededFromNow: null,
        projection: null,
        deadlinePassed: asOfYear > deadlineYear || (asOfYear === deadlineYear && asOf.endsWith('-12')),
        status: 'not_measured',
        history: [],
      });
      continue;
    }
    const p = targetProgress({ ...spec, kind }, history, asOf, partial);
    out.push({ ...base, ...p, history });
  }
  return { set: setInfo(set), sets: config.targetSets.map(setInfo), asOf, targets: out };
}

/**
 * Progress against every target of a set as this user may see it: a city output target's actual is the
 * city's cell (above designated size, whatever the query's scale), so it is withheld where the
 * reader's pattern hides that cell — the same verdict the cockpit's gauges read.
 */
export async function targets(
  db: Db,
  q: MonitoringQuery,
  scope: Scope = { kind: 'all' },
): Promise<TargetsAnswer> {
  const { month } = await resolveMonth(db, q.month);
  const answer = await cached(db, `targets:${q.targetSet ?? ''}:${month}`, () =>
    computeTargets(db, q.targetSet, month),
  );
  if (!answer) throw notFound('target set');
  if (scope.kind === 'all' || !month) return answer;
  return cached(db, `targets:${q.targetSet ?? ''}:${month}:${scopeKey(scope)}`, async () => {
    const pattern = await targetPattern(db, scope, month);
    return { ...answer, targets: answer.targets.map((t) => withheldTarget(t, pattern)) };
  });
}

/** The targets' output figures are those of firms above designated size (clusterYears). */
const TARGET_SCALE = 'above' satisfies MonitoringQuery['scale'];

/** The pattern a page's target actuals are withheld by: the above-size cells, whatever the page's scale. */
async function targetPattern(db: Db, scope: Scope, month: string): Promise<Pattern> {
  return (await readerPatterns(db, scope, TARGET_SCALE, month))(month);
}

// ---------------------------------------------------------------- 同比 on a comparable basis

function comparableGrowth(s: ComparableSums | undefined): ComparableGrowth {
  const x = s ?? {
    both: 0,
    current: 0,
    previous: 0,
    entered: 0,
    enteredOutput: 0,
    left: 0,
    leftOutput: 0,
  };
  return {
    growth: x.previous > 0 ? x.current / x.previous - 1 : null,
    firms: x.both,
    current: x.current,
    previous: x.previous,
    entered: { firms: x.entered, output: x.enteredOutput },
    left: { firms: x.left, output: x.leftOutput },
  };
}

/**
 * 本月 and 1–N月累计 同比 of the same enterprises in both periods, per cluster and for the clusters
 * together (ANY_CLUSTER). An aggregate over the whole city: it names no firm.
 */
async function comparable(
  db: Db,
  clusters: readonly string[],
  month: string,
  scale: MonitoringQuery['scale'],
): Promise<Map<string, Comparable>> {
  const at = await ytdMonth(db, month);
  const before = addMonths(month, -12);
  const [m, y] = await Promise.all([
    comparableSums(db, clusters, ANY_CLUSTER, month, before, scale, 'month'),
    comparableSums(db, clusters, ANY_CLUSTER, at, before, scale, 'ytd'),
  ]);
  const out = new Map<string, Comparable>();
  for (const c of [...clusters, ANY_CLUSTER])
    out.set(c, { month: comparableGrowth(m.get(c)), ytd: comparableGrowth(y.get(c)) });
  return out;
}

// ---------------------------------------------------------------- cockpit

// ---------------------------------------------------------------- disclosure patterns

/**
 * Every cell of every area with its top firms, from January three years before `to` (or of the year
 * before `from`) to `to`: what the reader's patterns of those months are judged on (scope-free).
 */
function latticeCells(db: Db, scale: MonitoringQuery['scale'], to: string, from?: string): Promise<Cells> {
  const start = `${Number((from && from < to ? from : addMonths(to, -36)).slice(0, 4)) - 1}-01`;
  return cached(db, `cells:${scale}:${start}:${to}`, async () =>
    buildCells(
      await loadRollup(db, {
        from: start,
        to,
        scale,
        by: { cluster: true, region: true, zone: true },
        withTop: true,
      }),
      await places(db),
    ),
  );
}

/**
 * The reader's pattern for each month up to `to` (docs/methodology.md "Disclosure control"): which cells
 * every page hides from this scope. Judged lazily per month, each kept with the cells.
 */
async function readerPatterns(
  db: Db,
  scope: Scope,
  scale: MonitoringQuery['scale'],
  to: string,
  from?: string,
): Promise<(month: string) => Pattern> {
  const cells = await latticeCells(db, scale, to, from);
  const memo = patternMemo.get(cells) ?? new Map<string, Pattern>();
  patternMemo.set(cells, memo);
  return (month) => {
    const k = `${month}:${scopeKey(scope)}`;
    let pattern = memo.get(k);
    if (!pattern) memo.set(k, (pattern = readerPattern(cells, scope, month)));
    return pattern;
  };
}
const patternMemo = new WeakMap<Cells, Map<string, Pattern>>();

// ---------------------------------------------------------------- cockpit

/**
 * The cockpit as this user may see it: the city's figures, the county rows and the trend under
 * disclosure control (the targets too: their actuals are the city's cells). Cached per scope, so the
 * answer's JSON is kept too; with the note on a month still open for reporting (open-month.ts).
 */
export async function cockpit(db: Db, q: MonitoringQuery, scope: Scope = { kind: 'all' }): Promise<Cockpit> {
  return withOpenMonth(db, await cockpitOf(db, q, scope));
}

async function cockpitOf(db: Db, q: MonitoringQuery, scope: Scope): Promise<Cockpit> {
  const { month } = await resolveMonth(db, q.month);
  const answer = await cockpitAll(db, q, month);
  if (scope.kind === 'all' || !month) return answer;
  return cached(db, `cockpit:${month}:${q.scale}:${q.targetSet ?? ''}:${scopeKey(scope)}`, async () => {
    const patternAt = await readerPatterns(db, scope, q.scale, month);
    return discloseCockpit(answer, patternAt(month), patternAt, await targetPattern(db, scope, month));
  });
}

function cockpitAll(db: Db, q: MonitoringQuery, month: string | null): Promise<Cockpit> {
  return cached(db, `cockpit:${month}:${q.scale}:${q.targetSet ?? ''}`, async () => {
    const p = await places(db);
    if (!month) {
      const blank = figureSet(undefined, undefined, null);
      return {
        month: null,
        scale: q.scale,
        total: { ...blank, comparable: null },
        industry: blank,
        clusters: [],
        counties: [],
        trend: [],
        targets: null,
      };
    }
    const trendFrom = addMonths(month, -24);
    const win = figureWindow(month);
    const from = trendFrom < win.from ? trendFrom : win.from;
    const [byCluster, byCounty, targetAnswer, same] = await Promise.all([
      loadRollup(db, { from, to: month, scale: q.scale, by: { cluster: true } }),
      loadRollup(db, {
        from: win.from,
        to: month,
        scale: q.scale,
        clusters: [ANY_CLUSTER, ALL_INDUSTRY],
        by: { cluster: true, region: true },
      }),
      cached(db, `targets:${q.targetSet ?? ''}:${month}`, () => computeTargets(db, q.targetSet, month)),
      comparable(
        db,
        p.clusters.map((c) => c.code),
        month,
        q.scale,
      ),
    ]);
    const cl = indexSeries(byCluster, (r) => r.cluster);
    const co = indexSeries(byCounty, (r) => `${r.cluster}|${r.region}`);
    const industry = cl.get(ALL_INDUSTRY);
    const total = {
      ...figureSet(cl.get(ANY_CLUSTER), industry, month),
      comparable: same.get(ANY_CLUSTER) ?? null,
    };
    const trendMonths = monthsBetween(trendFrom, month);
    return {
      month,
      scale: q.scale,
      total,
      industry: figureSet(industry, industry, month),
      clusters: p.clusters.map((c) => ({
        code: c.code,
        name: c.name,
        nameEn: c.nameEn,
        ...figureSet(cl.get(c.code), industry, month),
        comparable: same.get(c.code) ?? null,
      })),
      counties: p.counties.map((c) => ({
        code: c.code,
        name: c.name,
        nameEn: c.nameEn,
        ...figureSet(co.get(`${ANY_CLUSTER}|${c.code}`), co.get(`${ALL_INDUSTRY}|${c.code}`), month),
      })),
      trend: trendMonths.map((m) => ({
        month: m,
        values: Object.fromEntries(
          [...p.clusters.map((c) => c.code), ANY_CLUSTER].map((c) => [
            c,
            cl.get(c)?.get(m)?.values.outputValue ?? null,
          ]),
        ),
      })),
      // Only the output targets (the gauges): the whole set is at /api/monitoring/targets.
      targets: targetAnswer && {
        ...targetAnswer,
        targets: targetAnswer.targets.filter(
          (x) => x.metric === 'cluster_output' || x.metric === 'cluster_output_total',
        ),
      },
    };
  });
}

// ---------------------------------------------------------------- cluster page

function lqOf(
  areaYtd: number | null,
  areaIndustryYtd: number | null,
  cityYtd: number | null,
  cityIndustryYtd: number | null,
) {
  if (areaYtd == null || areaIndustryYtd == null || cityYtd == null || cityIndustryYtd == null) return null;
  return locationQuotient(areaYtd, areaIndustryYtd, cityYtd, cityIndustryYtd);
}

/** A cluster's page as this user may see it, with the note on a month still open for reporting. */
export async function clusterPage(
  db: Db,
  scope: Scope,
  code: string,
  q: MonitoringQuery,
): Promise<ClusterPage> {
  return withOpenMonth(db, await clusterPageOf(db, scope, code, q));
}

async function clusterPageOf(db: Db, scope: Scope, code: string, q: MonitoringQuery): Promise<ClusterPage> {
  const p = await places(db);
  const cluster = p.clusters.find((c) => c.code === code);
  if (!cluster) throw notFound('cluster');
  const { month } = await resolveMonth(db, q.month);
  return cached(
    db,
    `cluster:${code}:${month}:${q.scale}:${q.targetSet ?? ''}:${scopeKey(scope)}`,
    async () => {
      if (!month) {
        return {
          month: null,
          cluster,
          city: { ...figureSet(undefined, undefined, null), comparable: null },
          areas: [],
          trend: [],
          concentration: null,
          ladder: { year: 0, complete: false, targetSet: null, rungs: [] },
          targets: [],
        };
      }
      const win = figureWindow(month);
      const trendFrom = addMonths(month, -36);
      const [cityRows, zoneRows, targetAnswer] = await Promise.all([
        loadRollup(db, {
          from: trendFrom,
          to: month,
          scale: q.scale,
          clusters: [code, ALL_INDUSTRY],
          by: { cluster: true },
        }),
        loadRollup(db, {
          from: win.from,
          to: month,
          scale: q.scale,
          clusters: [code, ALL_INDUSTRY],
          by: { cluster: true, region: true, zone: true },
        }),
        cached(db, `targets:${q.targetSet ?? ''}:${month}`, () => computeTargets(db, q.targetSet, month)),
      ]);
      const city = indexSeries(cityRows, (r) => r.cluster);
      const cityFig = figureSet(city.get(code), city.get(ALL_INDUSTRY), month);
      const cityIndustryYtd = cumulative(measureValues(city.get(ALL_INDUSTRY), 'outputValue'), month).value;
      const areas = areaRows(p, zoneRows, code, month, cityFig.output.ytd, cityIndustryYtd);
      const clusterSeries = measureValues(city.get(code), 'outputValue');
      const trend = monthsBetween(addMonths(month, -24), month).map((m) => ({
        month: m,
        value: clusterSeries.get(m) ?? null,
        yoy: yoyGrowth(clusterSeries.get(m) ?? null, clusterSeries.get(addMonths(m, -12)) ?? null),
      }));
      const [sums, ladderAnswer, same] = await Promise.all([
        firmSums(db, scope, [code], await ytdMonth(db, month), q.scale, TOP_N),
        ladder(db, scope, cluster, month, q.targetSet),
        comparable(db, [code], month, q.scale),
      ]);
      const answer: ClusterPage = {
        month,
        cluster,
        city: { ...cityFig, comparable: same.get(code) ?? null },
        areas,
        trend,
        concentration: concentrationAnswer(sums.get(code), scope, code),
        ladder: ladderAnswer,
        targets: (targetAnswer?.targets ?? []).filter((t) => t.clusterCode === code),
      };
      if (scope.kind === 'all') return answer;
      const patternAt = await readerPatterns(db, scope, q.scale, month);
      return discloseClusterPage(
        answer,
        patternAt(month),
        patternAt,
        (z) => pageZoneArea(p, z),
        await targetPattern(db, scope, month),
      );
    },
  );
}

function areaRows(
  p: Places,
  rows: RollupRow[],
  code: string,
  month: string,
  cityYtd: number | null,
  cityIndustryYtd: number | null,
): AreaRow[] {
  const countySeries = (cluster: string, region: string) =>
    sumSeries(rows.filter((r) => r.cluster === cluster && r.region === region));
  const zoneSeries = (cluster: string, zoneCodes: string[]) =>
    sumSeries(rows.filter((r) => r.cluster === cluster && zoneCodes.includes(r.zone)));
  const out: AreaRow[] = [];
  for (const c of p.counties) {
    const fig = figureSet(countySeries(code, c.code), countySeries(ALL_INDUSTRY, c.code), month);
    const industryYtd = cumulative(
      measureValues(countySeries(ALL_INDUSTRY, c.code), 'outputValue'),
      month,
    ).value;
    out.push({
      code: c.code,
      name: c.name,
      kind: 'county',
      hostRegionCode: null,
      lq: lqOf(fig.output.ytd ?? 0, industryYtd, cityYtd, cityIndustryYtd),
      ...fig,
    });
    for (const z of p.zones.filter((z) => z.hostRegionCode === c.code && !z.parentZoneCode)) {
      const codes = zoneWithChildren(p, z.code);
      const zs = zoneSeries(code, codes);
      if (zs.size === 0) continue;
      const zi = zoneSeries(ALL_INDUSTRY, codes);
      const zfig = figureSet(zs, zi, month);
      const ziYtd = cumulative(measureValues(zi, 'outputValue'), month).value;
      out.push({
        code: z.code,
        name: z.shortName ?? z.name,
        kind: 'zone',
        hostRegionCode: c.code,
        lq: lqOf(zfig.output.ytd ?? 0, ziYtd, cityYtd, cityIndustryYtd),
        ...zfig,
      });
    }
  }
  return out;
}

/** Adds rollup rows of the same month together (zones of a county, child zones of a zone). */
function sumSeries(rows: readonly RollupRow[]): Series {
  const out: Series = new Map();
  for (const r of rows) {
    const acc = out.get(r.month);
    if (!acc) {
      out.set(r.month, { ...r, values: { ...r.values }, top: { ...r.top }, magnitude: { ...r.magnitude } });
      continue;
    }
    acc.enterprises += r.enterprises;
    acc.top = mergeTops(acc.top, r.top);
    for (const m of MEASURES) {
      const v = r.values[m];
      if (v != null) acc.values[m] = (acc.values[m] ?? 0) + v;
      const g = r.magnitude[m];
      if (g != null) acc.magnitude[m] = (acc.magnitude[m] ?? 0) + g;
    }
  }
  return out;
}

/**
 * The cluster's leading-enterprise ladder (梯队): firms whose year output reaches each threshold, counted
 * cumulatively ("百亿级企业 N 家" = N firms at or above 100 亿元, the larger ones included; see
 * docs/methodology.md). The target counts are the ones of the target set judged against, so the ladder
 * and the target panel always show the same count for the same tier.
 */
async function ladder(
  db: Db,
  scope: Scope,
  cluster: Places['clusters'][number],
  month: string,
  setCode: string | undefined,
): Promise<Ladder> {
  const year = month.endsWith('-12') ? Number(month.slice(0, 4)) : Number(month.slice(0, 4)) - 1;
  const years = await clusterYears(db);
  const complete = (years.annual.get(ANY_CLUSTER) ?? []).some((p) => p.year === year);
  const config = await cityConfig();
  const set = setCode ? config.targetSets.find((s) => s.code === setCode) : defaultSet(config.targetSets);
  const targetsList = (set?.targets ?? [])
    .filter((t) => t.metric === 'enterprises_in_output_band' && t.clusterCode === cluster.code)
    .flatMap((t) => {
      const th = threshold(t, 'thresholdYiYuan');
      return th == null ? [] : [{ thresholdYiYuan: th, count: t.goal ?? null, note: t.note }];
    });
  const configured = ((cluster.details.leadingEnterpriseTargets ?? []) as { thresholdYiYuan: number }[]).map(
    (t) => t.thresholdYiYuan,
  );
  const thresholds = [
    ...new Set([1000, 500, 100, ...configured, ...targetsList.map((t) => t.thresholdYiYuan)]),
  ].sort((a, b) => b - a);
  const min = Math.min(...thresholds);
  // December's 1–N月累计 is the year's output.
  const firms = await firmsAtLeast(
    db,
    scope,
    cluster.code,
    await ytdMonth(db, `${year}-12`),
    'above',
    min * WAN_PER_YI,
  );
  return {
    year,
    complete,
    targetSet: targetsList.length && set ? { code: set.code, name: set.name, nameEn: set.nameEn } : null,
    rungs: thresholds.map((th) => {
      const over = firms.filter((f) => f.value >= th * WAN_PER_YI);
      const target = targetsList.find((t) => t.thresholdYiYuan === th);
      return {
        thresholdYiYuan: th,
        count: over.length,
        targetCount: target?.count ?? null,
        targetNote: target?.note ?? null,
        enterprises: over
          .filter((f) => f.visible)
          .map((f) => ({ id: f.id, name: f.name, outputYiYuan: f.value / WAN_PER_YI })),
        hidden: over.filter((f) => !f.visible).length,
      };
    }),
  };
}

// ---------------------------------------------------------------- county / zone page

/** A county's or zone's page as this user may see it, with the note on a month still open for reporting. */
export async function regionPage(
  db: Db,
  scope: Scope,
  code: string,
  q: MonitoringQuery,
): Promise<RegionPage> {
  return withOpenMonth(db, await regionPageOf(db, scope, code, q));
}

async function regionPageOf(db: Db, scope: Scope, code: string, q: MonitoringQuery): Promise<RegionPage> {
  const p = await places(db);
  const county = p.counties.find((c) => c.code === code);
  const zone = p.zones.find((z) => z.code === code);
  if (!county && !zone) throw notFound('county or zone');
  const { month } = await resolveMonth(db, q.month);
  const area = county
    ? { code, name: county.name, kind: 'county' as const, hostRegionCode: null }
    : {
        code,
        name: zone!.shortName ?? zone!.name,
        kind: 'zone' as const,
        hostRegionCode: zone!.hostRegionCode,
      };
  const hostCounty = county ? code : zone!.hostRegionCode;
  // firm-level lists of the area: for whoever's scope covers every firm of its county (the policy's rule
  // for enterprise rows: the city, or the county's own officer)
  const enterprisesVisible = scopeAllows(scope, 'enterprise', { regionCode: hostCounty, clusterCodes: [] });
  const answer = await regionAnswer(db, p, area, hostCounty, zone ? code : null, month, q.scale);
  if (scope.kind === 'all' || !month) return withEnterprisesVisible(answer, enterprisesVisible);
  return cached(db, `region:${code}:${month}:${q.scale}:${scopeKey(scope)}`, async () => {
    const patternAt = await readerPatterns(db, scope, q.scale, month);
    const key = county ? countyArea(code) : pageZoneArea(p, code);
    const shown = discloseRegion(answer, patternAt(month), patternAt, key, (z) => pageZoneArea(p, z));
    return { ...shown, enterprisesVisible };
  });
}

const withVisible = new WeakMap<RegionPage, Map<boolean, RegionPage>>();
/**
 * The kept page with the reader's enterprisesVisible, one object per kept page and value: a fresh copy per
 * request missed the JSON kept beside an answer (answerJson, sendKeptText), so every city-wide reader's
 * request validated and serialised the whole page again (≈ 0.66 ms of the server's thread, issue 13).
 */
function withEnterprisesVisible(answer: RegionPage, enterprisesVisible: boolean): RegionPage {
  let copies = withVisible.get(answer);
  if (!copies) withVisible.set(answer, (copies = new Map()));
  let page = copies.get(enterprisesVisible);
  if (!page) copies.set(enterprisesVisible, (page = { ...answer, enterprisesVisible }));
  return page;
}

/** A county's or zone's page as the city sees it (scope-free, cached). */
function regionAnswer(
  db: Db,
  p: Places,
  area: RegionPage['area'],
  hostCounty: string,
  zoneCode: string | null,
  month: string | null,
  scale: MonitoringQuery['scale'],
): Promise<RegionPage> {
  const code = area.code;
  const county = zoneCode === null;
  const enterprisesVisible = false;
  const q = { scale };
  return cached(db, `region:${code}:${month}:${scale}`, async () => {
    const blank = figureSet(undefined, undefined, null);
    if (!month)
      return {
        month: null,
        area,
        total: blank,
        industry: blank,
        clusters: [],
        zones: [],
        trend: [],
        shiftShare: null,
        enterprisesVisible,
      };
    const win = figureWindow(month);
    const trendFrom = addMonths(month, -24);
    const from = trendFrom < win.from ? trendFrom : win.from;
    const zoneCodes = zoneCode ? zoneWithChildren(p, zoneCode) : undefined;
    const [areaRowsRaw, zoneRowsRaw, cityRows] = await Promise.all([
      loadRollup(db, {
        from,
        to: month,
        scale: q.scale,
        region: hostCounty,
        zones: zoneCodes,
        by: { cluster: true },
      }),
      county
        ? loadRollup(db, {
            from: win.from,
            to: month,
            scale: q.scale,
            region: code,
            by: { cluster: true, region: true, zone: true },
          })
        : Promise.resolve([]),
      loadRollup(db, { from: win.from, to: month, scale: q.scale, by: { cluster: true } }),
    ]);
    const a = indexSeries(areaRowsRaw, (r) => r.cluster);
    const c = indexSeries(cityRows, (r) => r.cluster);
    const ytd = (s: Series | undefined, m = month) => cumulative(measureValues(s, 'outputValue'), m).value;
    const cityIndustryYtd = ytd(c.get(ALL_INDUSTRY));
    const areaIndustryYtd = ytd(a.get(ALL_INDUSTRY));
    const clusterRows = p.clusters.map((cl) => {
      const fig = figureSet(a.get(cl.code), a.get(ALL_INDUSTRY), month);
      return {
        code: cl.code,
        name: cl.name,
        lq: lqOf(fig.output.ytd ?? 0, areaIndustryYtd, ytd(c.get(cl.code)), cityIndustryYtd),
        ...fig,
      };
    });
    // Shift-share of 1–N月累计 against the same months a year earlier; the clusters overlap (dual
    // members), so the decomposition runs over the five clusters as listed plus "other industry" =
    // all industry − the five clusters counted once.
    const prevMonth = addMonths(month, -12);
    const ss = (() => {
      const rowsIn = [
        ...p.clusters.map((cl) => ({ key: cl.code, name: cl.name })),
        { key: '_other', name: '其他工业' },
      ].map((k) => {
        const val = (s: Map<string, Series>, m: string) =>
          k.key === '_other'
            ? (ytd(s.get(ALL_INDUSTRY), m) ?? 0) - (ytd(s.get(ANY_CLUSTER), m) ?? 0)
            : (ytd(s.get(k.key), m) ?? 0);
        return {
          ...k,
          regionBase: val(a, prevMonth),
          regionCurrent: val(a, month),
          referenceBase: val(c, prevMonth),
          referenceCurrent: val(c, month),
        };
      });
      if (rowsIn.every((r) => r.regionBase === 0 && r.regionCurrent === 0)) return null;
      const result = shiftShare(rowsIn, {
        base: ytd(c.get(ALL_INDUSTRY), prevMonth) ?? 0,
        current: cityIndustryYtd ?? 0,
      });
      return {
        baseLabel: `${prevMonth.slice(0, 4)}年1–${Number(prevMonth.slice(5))}月`,
        currentLabel: `${month.slice(0, 4)}年1–${Number(month.slice(5))}月`,
        referenceTotalGrowth: result.referenceTotalGrowth,
        rows: result.components.map((comp, i) => ({
          ...comp,
          name: rowsIn[i]!.name,
          base: rowsIn[i]!.regionBase,
          current: rowsIn[i]!.regionCurrent,
        })),
        total: {
          ...result.total,
          base: rowsIn.reduce((s, r) => s + r.regionBase, 0),
          current: rowsIn.reduce((s, r) => s + r.regionCurrent, 0),
        },
      };
    })();
    const cityYtdOf = (cluster: string) => ytd(c.get(cluster));
    const zones: AreaRow[] = county
      ? p.zones
          .filter((z) => z.hostRegionCode === code && !z.parentZoneCode)
          .map((z) => {
            const codes = zoneWithChildren(p, z.code);
            const s = sumSeries(
              zoneRowsRaw.filter((r) => r.cluster === ANY_CLUSTER && codes.includes(r.zone)),
            );
            const ind = sumSeries(
              zoneRowsRaw.filter((r) => r.cluster === ALL_INDUSTRY && codes.includes(r.zone)),
            );
            const fig = figureSet(s, ind, month);
            return {
              code: z.code,
              name: z.shortName ?? z.name,
              kind: 'zone' as const,
              hostRegionCode: code,
              lq: lqOf(fig.output.ytd ?? 0, ytd(ind), cityYtdOf(ANY_CLUSTER), cityIndustryYtd),
              ...fig,
            };
          })
          .filter((z) => z.enterprises > 0 || z.output.ytd != null)
      : [];
    const trendMonths = monthsBetween(trendFrom, month);
    const answer: RegionPage = {
      month,
      area,
      total: figureSet(a.get(ANY_CLUSTER), a.get(ALL_INDUSTRY), month),
      industry: figureSet(a.get(ALL_INDUSTRY), a.get(ALL_INDUSTRY), month),
      clusters: clusterRows,
      zones,
      trend: trendMonths.map((m) => ({
        month: m,
        values: Object.fromEntries(
          [...p.clusters.map((cl) => cl.code), ANY_CLUSTER].map((k) => [
            k,
            a.get(k)?.get(m)?.values.outputValue ?? null,
          ]),
        ),
      })),
      shiftShare: ss,
      enterprisesVisible,
    };
    return answer;
  });
}

// ---------------------------------------------------------------- figures table

/** The figures table as this user may see it (disclosure control by the reader's pattern of each month). */
export async function figures(
  db: Db,
  q: FiguresQuery,
  scope: Scope = { kind: 'all' },
): Promise<FiguresAnswer> {
  const { month } = await resolveMonth(db, q.month);
  const answer = await figuresAll(db, q, month);
  if (scope.kind === 'all' || !month) return answer;
  const from = q.from ?? `${month.slice(0, 4)}-01`;
  return cached(db, `figures:${JSON.stringify(q)}:${month}:${scopeKey(scope)}`, async () =>
    discloseFigures(answer, await readerPatterns(db, scope, q.scale, month, from), q.by),
  );
}

/** The figures table as the city sees it (scope-free, cached). */
async function figuresAll(db: Db, q: FiguresQuery, month: string | null): Promise<FiguresAnswer> {
  if (!month) return { rows: [] };
  const from = q.from ?? `${month.slice(0, 4)}-01`;
  if (from > month) throw badRequest('from is after month.', '起始月份晚于截止月份。');
  if (monthsBetween(from, month).length > 60)
    throw badRequest('At most 60 months at once.', '一次最多查询 60 个月。');
  const p = await places(db);
  const zones = q.zone ? zoneWithChildren(p, q.zone) : undefined;
  return cached(db, `figures:${JSON.stringify(q)}:${month}`, async () => {
    const rows = await loadRollup(db, {
      from: `${Number(from.slice(0, 4)) - 1}-01`,
      to: month,
      scale: q.scale,
      clusters: q.cluster ? [q.cluster] : undefined,
      region: q.region,
      zones,
      by: { cluster: true, region: true, zone: q.by === 'zone' },
    });
    const series = indexSeries(rows, (r) => `${r.cluster}|${r.region}|${r.zone}`);
    const out: FiguresAnswer['rows'] = [];
    for (const [key, s] of series) {
      const [clusterCode, regionCode, zoneCode] = key.split('|') as [string, string, string];
      // the rollups' "other industry" rows serve disclosure control, not this table
      if (clusterCode === OTHER_INDUSTRY) continue;
      const valuesBy = Object.fromEntries(MEASURES.map((m) => [m, measureValues(s, m)])) as Record<
        Measure,
        Map<string, number | null>
      >;
      for (const m of monthsBetween(from, month)) {
        const row = s.get(m);
        if (!row) continue;
        out.push({
          month: m,
          clusterCode,
          regionCode,
          zoneCode: q.by === 'zone' ? zoneCode || null : null,
          enterprises: row.enterprises,
          measures: Object.fromEntries(
            MEASURES.map((me) => {
              const f = figureOf(valuesBy[me], m);
              return [me, { month: f.month, ytd: f.ytd, yoy: f.yoy, ytdYoy: f.ytdYoy }];
            }),
          ) as FiguresAnswer['rows'][number]['measures'],
        });
      }
    }
    out.sort(
      (a, b) =>
        a.month.localeCompare(b.month) ||
        a.clusterCode.localeCompare(b.clusterCode) ||
        a.regionCode.localeCompare(b.regionCode) ||
        (a.zoneCode ?? '').localeCompare(b.zoneCode ?? ''),
    );
    return { rows: out };
  });
}

// ---------------------------------------------------------------- structure

export async function structure(db: Db, scope: Scope, q: MonitoringQuery): Promise<StructureAnswer> {
  const { month } = await resolveMonth(db, q.month);
  const p = await places(db);
  return cached(db, `structure:${month}:${q.scale}:${scopeKey(scope)}`, async () => {
    if (!month) return { month: null, clusters: [], lq: [], concentration: [] };
    const rows = await loadRollup(db, {
      from: `${month.slice(0, 4)}-01`,
      to: month,
      scale: q.scale,
      by: { cluster: true, region: true },
    });
    const ytd = new Map<string, number>();
    for (const r of rows) {
      for (const key of [`${r.cluster}|${r.region}`, `${r.cluster}|*`])
        ytd.set(key, (ytd.get(key) ?? 0) + (r.values.outputValue ?? 0));
    }
    const get = (c: string, r: string) => ytd.get(`${c}|${r}`) ?? 0;
    const sums = await firmSums(
      db,
      scope,
      p.clusters.map((c) => c.code),
      await ytdMonth(db, month),
      q.scale,
      TOP_N,
    );
    const concentrationRows = p.clusters.map((c) => ({
      clusterCode: c.code,
      value: concentrationAnswer(sums.get(c.code), scope, c.code),
    }));
    const answer: StructureAnswer = {
      month,
      clusters: p.clusters.map((c) => ({ code: c.code, name: c.name })),
      lq: p.counties.map((county) => ({
        regionCode: county.code,
        name: county.name,
        values: Object.fromEntries(
          p.clusters.map((c) => [
            c.code,
            locationQuotient(
              get(c.code, county.code),
              get(ALL_INDUSTRY, county.code),
              get(c.code, '*'),
              get(ALL_INDUSTRY, '*'),
            ),
          ]),
        ),
      })),
      concentration: concentrationRows,
    };
    if (scope.kind === 'all') return answer;
    // an LQ is the ratio of its cell, its county's industry, the city's cluster and industry
    const patternAt = await readerPatterns(db, scope, q.scale, month);
    return discloseStructure(answer, patternAt(month));
  });
}

// ---------------------------------------------------------------- rankings

/**
 * A page of the ranking, kept per query, reader's scope and rollup version like the other answers: every
 * fact and registry change the ranking reads (imports, registry edits of firms with facts) refreshes the
 * rollups, so ten readers of one page share one computation (issue 13).
 */
export async function rankings(db: Db, scope: Scope, q: RankingQuery): Promise<RankingAnswer> {
  const { month } = await resolveMonth(db, q.month);
  if (!month) return { month: null, total: 0, items: [] };
  return cached(db, `rankings:${JSON.stringify(q)}:${month}:${scopeKey(scope)}`, () =>
    rankingPage(db, scope, q, month),
  );
}

async function rankingPage(db: Db, scope: Scope, q: RankingQuery, month: string): Promise<RankingAnswer> {
  const from = q.period === 'ytd' ? `${month.slice(0, 4)}-01` : month;
  const rows = await rankEnterprises(db, {
    scope,
    from,
    to: month,
    prevFrom: addMonths(from, -12),
    prevTo: addMonths(month, -12),
    scale: q.scale,
    cluster: q.cluster,
    region: q.region,
    zone: q.zone,
    measure: q.measure,
    q: q.q,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return {
    month,
    total: rows[0]?.total ?? 0,
    items: rows.map(({ total: _t, ...r }, i) => ({
      ...r,
      rank: (q.page - 1) * q.pageSize + i + 1,
      yoy: yoyGrowth(r.value, r.previous),
    })),
  };
}
