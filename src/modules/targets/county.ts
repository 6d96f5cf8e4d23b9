// Values of a target per county (and for the whole city) in one year, computed from the same fact tables
// and by the same rule for every county, so a county's progress and the city's are comparable (issue 16
// item 5). One set-based statement per metric, grouped by county; the city figure is the same statement
// without the grouping (a ratio or a growth rate of the city is not the sum of its counties').
import { textArray } from '../../db/arrays.ts';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import type { Target } from '../../config/load.ts';
import { platformKindOf } from '../../domain/platforms.ts';
import { averageAnnualGrowth } from '../../domain/targets/index.ts';
import { currentMemberships, registryRows, tierRows } from '../enterprises/index.ts';
import { annualInputRows, monthlyFactRows } from '../imports/index.ts';
import { clusterMonthRows, tierCode } from '../monitoring/index.ts';
import { platformRows } from '../platforms/index.ts';
import { clusterInvestmentByRegionYear } from '../projects/index.ts';

export const CITY = '_city';
const WAN_PER_YI = 10_000;

/** region → value; the key CITY holds the city's own figure. */
export type RegionValues = Map<string, number | null>;

const num = (v: unknown) => (v == null ? null : Number(v));

async function grouped(db: Db, select: (byRegion: boolean) => SQL): Promise<RegionValues> {
  const out: RegionValues = new Map();
  const [counties, city] = await Promise.all([
    queryRows<{ region: string; v: unknown }>(db, select(true)),
    queryRows<{ region: string; v: unknown }>(db, select(false)),
  ]);
  for (const r of counties) out.set(r.region, num(r.v));
  out.set(CITY, num(city[0]?.v));
  return out;
}

const regionCol = (byRegion: boolean, col: SQL) => (byRegion ? sql`${col} as region,` : sql`'' as region,`);
const groupBy = (byRegion: boolean, col: SQL) => (byRegion ? sql`group by ${col}` : sql``);

function years(t: Target, baselineYear: number, year: number) {
  return { added: t.basis === 'increment' || t.metric.endsWith('_added'), baselineYear, year };
}

/** Output (亿元) of a cluster or of the five together ('_clusters'), 规上, months of the year present. */
function clusterOutput(db: Db, cluster: string, year: number) {
  return grouped(
    db,
    (by) =>
      sql`select ${regionCol(by, sql`region_code`)} sum(output_value)::float8 / ${WAN_PER_YI} as v
          from ${clusterMonthRows()} c where cluster_code = ${cluster} and scale = 'above'
          and month >= ${`${year}-01-01`}::date and month <= ${`${year}-12-01`}::date
          ${groupBy(by, sql`region_code`)}`,
  );
}

/** Firms (of a cluster, or all) whose year output is at least `low` 亿元, by the firm's county. */
function firmsAtLeast(db: Db, cluster: string | null, year: number, low: number) {
  const inCluster = cluster
    ? sql`and exists (select 1 from ${currentMemberships()} ec where ec.enterprise_id = m.enterprise_id
          and ec.cluster_code = ${cluster})`
    : sql``;
  return grouped(
    db,
    (by) =>
      sql`select ${regionCol(by, sql`e.region_code`)} count(*)::int as v from (
            select m.enterprise_id, sum(m.output_value) as output from ${monthlyFactRows()} m
            where m.month >= ${`${year}-01-01`}::date and m.month <= ${`${year}-12-01`}::date ${inCluster}
            group by m.enterprise_id) f
          join ${registryRows()} e on e.id = f.enterprise_id
          where f.output >= ${low * WAN_PER_YI}
          ${groupBy(by, sql`e.region_code`)}`,
  );
}

/** Firms holding a tier by the end of the year (or first recognised after the baseline year). */
function tierCount(db: Db, tier: string, cluster: string | null, y: ReturnType<typeof years>) {
  const inCluster = cluster
    ? sql`and exists (select 1 from ${currentMemberships()} ec where ec.enterprise_id = t.enterprise_id
          and ec.cluster_code = ${cluster})`
    : sql``;
  const after = y.added ? sql`and f.first > ${y.baselineYear}` : sql``;
  return grouped(
    db,
    (by) =>
      sql`select ${regionCol(by, sql`e.region_code`)} count(*)::int as v from (
            select t.enterprise_id, min(t.year) as first from ${tierRows()} t
            where t.tier = ${tier} ${inCluster} group by t.enterprise_id) f
          join ${registryRows()} e on e.id = f.enterprise_id
          where f.first <= ${y.year} ${after}
          ${groupBy(by, sql`e.region_code`)}`,
  );
}

/** Platforms of a kind (and level) recognised by the end of the year, or after the baseline year. */
function platformCount(
  db: Db,
  kind: string,
  level: string | null,
  cluster: string | null,
  y: ReturnType<typeof years>,
) {
  return grouped(
    db,
    (by) =>
      sql`select ${regionCol(by, sql`region_code`)} count(*)::int as v from ${platformRows()} p
          where kind = ${kind} and year is not null and year <= ${y.year}
          ${y.added ? sql`and year > ${y.baselineYear}` : sql``}
          ${level ? sql`and level = ${level}` : sql``} ${cluster ? sql`and cluster_code = ${cluster}` : sql``}
          ${by ? sql`and region_code is not null` : sql``}
          ${groupBy(by, sql`region_code`)}`,
  );
}

/** The 亩均 ratios of monitoring (same formula as its city series), 规上 industrial firms. */
function ratio(db: Db, metric: string, year: number) {
  const expr = {
    tax_per_mu: sql`sum(a.tax_paid) filter (where a.land_mu > 0)::float8 / nullif(sum(a.land_mu) filter (where a.tax_paid is not null and a.land_mu > 0), 0)`,
    value_added_per_mu: sql`sum(a.value_added) filter (where a.land_mu > 0)::float8 / nullif(sum(a.land_mu) filter (where a.value_added is not null and a.land_mu > 0), 0)`,
    labour_productivity: sql`sum(a.value_added) filter (where a.avg_employees > 0)::float8 / nullif(sum(a.avg_employees) filter (where a.value_added is not null and a.avg_employees > 0), 0)`,
    rd_intensity: sql`100 * sum(a.rd_expense) filter (where a.revenue > 0)::float8 / nullif(sum(a.revenue) filter (where a.rd_expense is not null and a.revenue > 0), 0)`,
  }[metric];
  if (!expr) return null;
  return grouped(
    db,
    (by) =>
      sql`select ${regionCol(by, sql`e.region_code`)} ${expr} as v
          from ${annualInputRows()} a join ${registryRows()} e on e.id = a.enterprise_id join industries i on i.code = e.industry_code
          where e.scale = 'above' and i.section in ('B', 'C', 'D') and a.year = ${year}
          ${groupBy(by, sql`e.region_code`)}`,
  );
}

/** Output (亿元) of 规上 firms of an industry code prefix in some counties: a named industry base. */
async function baseOutput(db: Db, prefix: string, regions: string[], year: number): Promise<RegionValues> {
  const [r] = await queryRows<{ v: unknown }>(
    db,
    sql`select sum(m.output_value)::float8 / ${WAN_PER_YI} as v
        from ${monthlyFactRows()} m join ${registryRows()} e on e.id = m.enterprise_id
        where e.scale = 'above' and e.industry_code like ${`${prefix}%`} and e.region_code = any(${textArray(regions)})
          and m.month >= ${`${year}-01-01`}::date and m.month <= ${`${year}-12-01`}::date`,
  );
  return new Map([[CITY, num(r?.v)]]);
}

/**
 * Average annual growth (%) of cluster projects' investment from the baseline year, per county and city.
 * Where the project library holds nothing for the baseline year (it was built after it), the growth runs
 * from the first year the region has twelve months of reports — the longest honest span — and `baseYears`
 * says which year that was, so the page can name it.
 */
export async function investmentGrowth(
  db: Db,
  baselineYear: number,
  year: number,
): Promise<{ values: RegionValues; baseYears: Map<string, number> }> {
  const rows = await clusterInvestmentByRegionYear(db);
  const amounts = new Map<string, Map<number, { amount: number; months: number }>>();
  const add = (region: string, y: number, v: number, months: number) => {
    let m = amounts.get(region);
    if (!m) amounts.set(region, (m = new Map()));
    const a = m.get(y) ?? { amount: 0, months: 0 };
    m.set(y, { amount: a.amount + v, months: Math.max(a.months, months) });
  };
  for (const r of rows) {
    add(r.regionCode, r.year, r.amount, r.months);
    add(CITY, r.year, r.amount, r.months);
  }
  const values: RegionValues = new Map();
  const baseYears = new Map<string, number>();
  for (const [region, byYear] of amounts) {
    const full = [...byYear].filter(([, a]) => a.months === 12).map(([y]) => y);
    const base = byYear.has(baselineYear) ? baselineYear : Math.min(...full.filter((y) => y < year));
    if (!Number.isFinite(base)) continue;
    baseYears.set(region, base);
    const sums = new Map([...byYear].map(([y, a]) => [y, a.amount]));
    values.set(region, averageAnnualGrowth(sums, base, year));
  }
  return { values, baseYears };
}

/**
 * A computed target's values in a year, per county and for the city; null when this file cannot compute
 * the metric per county (the ledger then shows monitoring's city figure only).
 */
export async function computedValues(
  db: Db,
  t: Target,
  baselineYear: number,
  year: number,
): Promise<RegionValues | null> {
  const y = years(t, baselineYear, year);
  const p = t.params ?? {};
  switch (t.metric) {
    case 'cluster_output':
      return clusterOutput(db, t.clusterCode ?? '', year);
    case 'cluster_output_total':
      return clusterOutput(db, '_clusters', year);
    case 'enterprises_in_output_band':
      return typeof p.thresholdYiYuan === 'number'
        ? firmsAtLeast(db, t.clusterCode ?? null, year, p.thresholdYiYuan)
        : null;
    case 'enterprises_with_tier':
    case 'enterprises_with_tier_added': {
      const code = typeof p.tier === 'string' ? tierCode(p.tier) : null;
      return code ? tierCount(db, code, t.clusterCode ?? null, y) : null;
    }
    case 'platforms_count':
    case 'platforms_added': {
      const kind = typeof p.platformType === 'string' ? platformKindOf(p.platformType) : null;
      const level = typeof p.platformLevel === 'string' ? p.platformLevel : null;
      return kind ? platformCount(db, kind, level, t.clusterCode ?? null, y) : null;
    }
    case 'cluster_industrial_investment_growth':
      return (await investmentGrowth(db, baselineYear, year)).values;
    case 'industry_base_output': {
      const regions = typeof p.regions === 'string' ? p.regions.split(',').map((s) => s.trim()) : [];
      return typeof p.industryPrefix === 'string' ? baseOutput(db, p.industryPrefix, regions, year) : null;
    }
    default:
      return ratio(db, t.metric, year);
  }
}

/**
 * The values the baseline_share split weighs counties by: the level of the same thing in the baseline
 * year (for an "added since" target, the stock then, since nothing was added yet).
 */
export async function baselineValues(db: Db, t: Target, baselineYear: number): Promise<RegionValues | null> {
  const level: Target = {
    ...t,
    basis: t.basis === 'increment' ? 'level' : t.basis,
    metric: t.metric.replace(/_added$/, t.metric.startsWith('platforms') ? '_count' : ''),
  };
  return computedValues(db, level, baselineYear, baselineYear);
}
