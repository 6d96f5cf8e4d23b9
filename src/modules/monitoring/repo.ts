// Queries of cluster monitoring. Aggregates come from the rollup tables (cluster_region_month;
// cluster_enterprise_ytd for ladders and concentration); enterprise-level reads take the caller's
// Scope for anything that names a firm.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { clusterEnterpriseYtd, clusterRegionMonth } from '../../db/schema.ts';
import { enterpriseScopeCondition, type Scope } from '../../server/scope.ts';
import { MEASURES, type Measure } from './schemas.ts';
import { ALL_ENTERPRISES } from './rollup.ts';
import { currentMemberships, membershipHistory, registryRows } from '../enterprises/index.ts';
import { annualInputRows, monthlyFactRows } from '../imports/index.ts';

export type Scale = 'above' | 'below' | 'all';

export interface RollupRow {
  cluster: string;
  region: string;
  zone: string;
  /** 'YYYY-MM' */
  month: string;
  enterprises: number;
  values: Record<Measure, number | null>;
  /** the two largest firms' values (disclosure control's dominance rules), largest first */
  top: Record<TopMeasure, number[]>;
  /**
   * what the largest firms are judged against: the measure's sum, but for profit the sum of absolute
   * values (firms are ranked by |profit|); empty without `withTop`
   */
  magnitude: Partial<Record<TopMeasure, number | null>>;
}

/** The measures whose two largest firms the rollup keeps: every one (docs/methodology.md "Disclosure control"). */
export const TOP_MEASURES = MEASURES;
export type TopMeasure = Measure;
const TOP_COLUMN: Record<TopMeasure, string> = {
  outputValue: 'output',
  revenue: 'revenue',
  profit: 'profit',
  tax: 'tax',
  energyTce: 'energy_tce',
  electricity: 'electricity',
  employees: 'employees',
  exportValue: 'export_value',
};

/**
 * The two largest of the grouped rows' two largest: the largest row top, then the larger of the
 * second-largest row top and any row's second (a row's second never beats another row's first).
 */
const topOfGroup = (m: TopMeasure) => {
  const c = TOP_COLUMN[m];
  return `max(${c}_top1)::float8 as "${m}_t1",
    greatest((array_agg(${c}_top1 order by ${c}_top1 desc) filter (where ${c}_top1 is not null))[2], max(${c}_top2))::float8 as "${m}_t2"`;
};

const COLUMN: Record<Measure, string> = {
  outputValue: 'output_value',
  revenue: 'revenue',
  profit: 'profit',
  tax: 'tax',
  energyTce: 'energy_tce',
  electricity: 'electricity',
  employees: 'employees',
  exportValue: 'export_value',
};

export interface RollupFilter {
  from: string;
  to: string;
  scale: Scale;
  clusters?: readonly string[];
  region?: string;
  zones?: readonly string[];
  by: { cluster?: boolean; region?: boolean; zone?: boolean };
  /** also the two largest firms per group (disclosure control); `top` is empty otherwise */
  withTop?: boolean;
}

const list = (xs: readonly string[]) =>
  sql.join(
    xs.map((x) => sql`${x}`),
    sql`, `,
  );

/** Sums of the rollup over the filter, grouped by month and the dimensions asked for. */
export async function loadRollup(db: Db, f: RollupFilter): Promise<RollupRow[]> {
  const conds: SQL[] = [sql`month >= ${`${f.from}-01`}::date`, sql`month <= ${`${f.to}-01`}::date`];
  if (f.scale !== 'all') conds.push(sql`scale = ${f.scale}`);
  if (f.clusters) conds.push(f.clusters.length ? sql`cluster_code in (${list(f.clusters)})` : sql`false`);
  if (f.region) conds.push(sql`region_code = ${f.region}`);
  if (f.zones) conds.push(f.zones.length ? sql`zone_code in (${list(f.zones)})` : sql`false`);
  const dims = [
    f.by.cluster ? 'cluster_code' : `''::text`,
    f.by.region ? 'region_code' : `''::text`,
    f.by.zone ? 'zone_code' : `''::text`,
  ];
  const group = [
    'month',
    ...(['cluster_code', 'region_code', 'zone_code'] as const).filter(
      (_, i) => [f.by.cluster, f.by.region, f.by.zone][i],
    ),
  ];
  const sums = [
    ...MEASURES.map((m) => `sum(${COLUMN[m]})::float8 as "${m}"`),
    ...(f.withTop ? [...TOP_MEASURES.map(topOfGroup), `sum(profit_abs)::float8 as "profit_abs"`] : []),
  ].join(', ');
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select ${sql.raw(dims[0]!)} as c, ${sql.raw(dims[1]!)} as r, ${sql.raw(dims[2]!)} as z,
      to_char(month, 'YYYY-MM') as m, sum(enterprises)::int as n, ${sql.raw(sums)}
      from ${clusterRegionMonth} where ${sql.join(conds, sql` and `)}
      group by ${sql.raw(group.join(', '))} order by month`,
  );
  return rows.map((r) => ({
    cluster: String(r.c),
    region: String(r.r),
    zone: String(r.z),
    month: String(r.m),
    enterprises: Number(r.n),
    values: Object.fromEntries(MEASURES.map((m) => [m, r[m] == null ? null : Number(r[m])])) as Record<
      Measure,
      number | null
    >,
    top: Object.fromEntries(
      TOP_MEASURES.map((m) => [m, [r[`${m}_t1`], r[`${m}_t2`]].filter((v) => v != null).map(Number)]),
    ) as Record<TopMeasure, number[]>,
    magnitude: f.withTop
      ? Object.fromEntries(
          TOP_MEASURES.map((m) => {
            const v = m === 'profit' ? r.profit_abs : r[m];
            return [m, v == null ? null : Number(v)];
          }),
        )
      : {},
  }));
}

export async function monthRange(db: Db): Promise<{ first: string | null; latest: string | null }> {
  const rows = await queryRows<{ a: string | null; b: string | null }>(
    db,
    sql`select to_char(min(month), 'YYYY-MM') as a, to_char(max(month), 'YYYY-MM') as b from ${clusterRegionMonth}`,
  );
  return { first: rows[0]?.a ?? null, latest: rows[0]?.b ?? null };
}

/**
 * Membership condition on alias `ec` as at a date: the same rule as the rollup (valid at the date;
 * an enterprise's earliest membership also covers the time before it was recorded).
 */
function memberAt(enterpriseId: SQL, cluster: string, at: string): SQL {
  return sql`exists (select 1 from ${membershipHistory()} ec where ec.enterprise_id = ${enterpriseId} and ec.cluster_code = ${cluster}
    and (ec.valid_from <= ${at}::date or ec.valid_from = (select min(e2.valid_from) from ${membershipHistory()} e2 where e2.enterprise_id = ec.enterprise_id))
    and (ec.valid_to is null or ec.valid_to > ${at}::date))`;
}

export interface EnterpriseValue {
  id: number;
  name: string;
  /** 1–N月累计 output, 万元 */
  value: number;
  visible: boolean;
}

/** Sums over a cluster's firms of their 1–N月累计 output, for concentration (HHI needs Σv and Σv²). */
export interface FirmSums {
  /** firms with a positive 累计 */
  n: number;
  total: number;
  sumSquares: number;
  /** the largest firms, largest first (ties by id) */
  top: EnterpriseValue[];
}

const scaleCondition = (scale: Scale) => (scale === 'all' ? sql`true` : sql`y.scale = ${scale}`);

/**
 * Per cluster (or `_all`): n, Σ and Σ² of the firms' 1–N月累计 output at `month` ('YYYY-MM'), and the
 * `topN` largest, each marked whether the scope may name it. Reads cluster_enterprise_ytd only.
 */
export async function firmSums(
  db: Db,
  scope: Scope,
  clusters: readonly string[],
  month: string,
  scale: Scale,
  topN: number,
): Promise<Map<string, FirmSums>> {
  const out = new Map<string, FirmSums>();
  if (!clusters.length) return out;
  const day = `${month}-01`;
  const scoped = enterpriseScopeCondition(scope) ?? sql`true`;
  const codes = sql.join(
    clusters.map((c) => sql`(${c})`),
    sql`, `,
  );
  const [sums, tops] = await Promise.all([
    queryRows<{ c: string; n: number; t: number; q: number }>(
      db,
      sql`select y.cluster_code as c, count(*)::int as n, sum(y.output_ytd)::float8 as t,
          sum(y.output_ytd * y.output_ytd)::float8 as q
        from ${clusterEnterpriseYtd} y
        where y.month = ${day}::date and y.cluster_code in (${list(clusters)}) and ${scaleCondition(scale)}
        group by y.cluster_code`,
    ),
    queryRows<{ c: string; id: number; name: string; v: number; visible: boolean }>(
      db,
      sql`select c.code as c, y.enterprise_id::int as id, enterprises.name, y.output_ytd::float8 as v, (${scoped}) as visible
        from (values ${codes}) as c(code)
        cross join lateral (
          select y.enterprise_id, y.output_ytd from ${clusterEnterpriseYtd} y
          where y.month = ${day}::date and y.cluster_code = c.code and ${scaleCondition(scale)}
          order by y.output_ytd desc, y.enterprise_id limit ${topN}
        ) y
        join ${registryRows()} enterprises on enterprises.id = y.enterprise_id
        order by c.code, y.output_ytd desc, y.enterprise_id`,
    ),
  ]);
  for (const r of sums)
    out.set(r.c, { n: Number(r.n), total: Number(r.t), sumSquares: Number(r.q), top: [] });
  for (const r of tops)
    out
      .get(r.c)
      ?.top.push({ id: Number(r.id), name: r.name, value: Number(r.v), visible: Boolean(r.visible) });
  return out;
}

/**
 * Firms of a cluster (or `_all`) whose 1–N月累计 output at `month` is at least `min` 万元 (below `below`
 * when given), largest first, each marked whether the scope may name it. December's rows are the
 * year: the leading-enterprise ladders.
 */
export async function firmsAtLeast(
  db: Db,
  scope: Scope,
  cluster: string,
  month: string,
  scale: Scale,
  min: number,
  below: number | null = null,
): Promise<EnterpriseValue[]> {
  const scoped = enterpriseScopeCondition(scope) ?? sql`true`;
  const rows = await queryRows<{ id: number; name: string; v: number; visible: boolean }>(
    db,
    sql`select y.enterprise_id::int as id, enterprises.name, y.output_ytd::float8 as v, (${scoped}) as visible
      from ${clusterEnterpriseYtd} y join ${registryRows()} enterprises on enterprises.id = y.enterprise_id
      where y.month = ${`${month}-01`}::date and y.cluster_code = ${cluster} and ${scaleCondition(scale)}
        and y.output_ytd >= ${min} ${below == null ? sql`` : sql`and y.output_ytd < ${below}`}
      order by y.output_ytd desc, y.enterprise_id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    value: Number(r.v),
    visible: Boolean(r.visible),
  }));
}

export interface ComparableSums {
  /** firms with output in both periods, and their output now and then (万元) */
  both: number;
  current: number;
  previous: number;
  entered: number;
  enteredOutput: number;
  left: number;
  leftOutput: number;
}

/**
 * Per cluster (and `anyCluster`: the clusters together, each firm once) the output of the firms present in
 * both periods and of those that entered or left (docs/methodology.md, "同比 on a comparable basis"). A
 * firm is present in a period when its output there is positive and it belongs to the cluster at the
 * period's end (membership as in cluster_enterprise_ytd). `period` 'ytd' compares 1–N月累计 (the table's
 * values), 'month' the month's own output (monthly_stats). Reads two months of two tables, grouped in SQL.
 */
export async function comparableSums(
  db: Db,
  clusters: readonly string[],
  anyCluster: string,
  month: string,
  previousMonth: string,
  scale: Scale,
  period: 'month' | 'ytd',
): Promise<Map<string, ComparableSums>> {
  const out = new Map<string, ComparableSums>();
  if (!clusters.length) return out;
  const side = (m: string) => {
    const day = `${m}-01`;
    const value =
      period === 'ytd'
        ? sql`y.output_ytd`
        : sql`(select ms.output_value from ${monthlyFactRows()} ms where ms.enterprise_id = y.enterprise_id and ms.month = ${day}::date)`;
    // One row per cluster × firm, plus the firm once under anyCluster (its value is the same in every cluster).
    return sql`select c, id, v from (
        select y.cluster_code as c, y.enterprise_id as id, ${value} as v from ${clusterEnterpriseYtd} y
        where y.month = ${day}::date and y.cluster_code in (${list(clusters)}) and ${scaleCondition(scale)}
      ) per_cluster where v > 0
      union all
      select ${anyCluster}, id, max(v) from (
        select y.enterprise_id as id, ${value} as v from ${clusterEnterpriseYtd} y
        where y.month = ${day}::date and y.cluster_code in (${list(clusters)}) and ${scaleCondition(scale)}
      ) any_cluster where v > 0 group by id`;
  };
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with cur as (${side(month)}), prev as (${side(previousMonth)})
      select coalesce(cur.c, prev.c) as c,
        count(*) filter (where cur.v is not null and prev.v is not null)::int as both_n,
        coalesce(sum(cur.v) filter (where prev.v is not null), 0)::float8 as cur_v,
        coalesce(sum(prev.v) filter (where cur.v is not null), 0)::float8 as prev_v,
        count(*) filter (where prev.v is null)::int as new_n,
        coalesce(sum(cur.v) filter (where prev.v is null), 0)::float8 as new_v,
        count(*) filter (where cur.v is null)::int as gone_n,
        coalesce(sum(prev.v) filter (where cur.v is null), 0)::float8 as gone_v
      from cur full join prev on prev.c = cur.c and prev.id = cur.id
      group by coalesce(cur.c, prev.c)`,
  );
  for (const r of rows)
    out.set(String(r.c), {
      both: Number(r.both_n),
      current: Number(r.cur_v),
      previous: Number(r.prev_v),
      entered: Number(r.new_n),
      enteredOutput: Number(r.new_v),
      left: Number(r.gone_n),
      leftOutput: Number(r.gone_v),
    });
  return out;
}

/** The month's last day: '2025-02' → '2025-02-28' (membership is taken as at that day). */
function monthEnd(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const d = new Date(Date.UTC(y, m, 0));
  return d.toISOString().slice(0, 10);
}

export interface AnnualRatios {
  year: number;
  taxPerMu: number | null;
  valueAddedPerMu: number | null;
  labourProductivity: number | null;
  rdIntensity: number | null;
}

/** Yearly city ratios of the 亩均 inputs over 规上 industrial enterprises (annual_inputs). */
export async function annualRatios(db: Db): Promise<AnnualRatios[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select a.year::int as year,
        sum(a.tax_paid) filter (where a.land_mu > 0)::float8 / nullif(sum(a.land_mu) filter (where a.tax_paid is not null and a.land_mu > 0), 0) as tax_per_mu,
        sum(a.value_added) filter (where a.land_mu > 0)::float8 / nullif(sum(a.land_mu) filter (where a.value_added is not null and a.land_mu > 0), 0) as va_per_mu,
        sum(a.value_added) filter (where a.avg_employees > 0)::float8 / nullif(sum(a.avg_employees) filter (where a.value_added is not null and a.avg_employees > 0), 0) as productivity,
        100 * sum(a.rd_expense) filter (where a.revenue > 0)::float8 / nullif(sum(a.revenue) filter (where a.rd_expense is not null and a.revenue > 0), 0) as rd
      from ${annualInputRows()} a join ${registryRows()} enterprises on enterprises.id = a.enterprise_id join industries i on i.code = enterprises.industry_code
      where enterprises.scale = 'above' and i.section in ('B', 'C', 'D')
      group by a.year order by a.year`,
  );
  const n = (v: unknown) => (v == null ? null : Number(v));
  return rows.map((r) => ({
    year: Number(r.year),
    taxPerMu: n(r.tax_per_mu),
    valueAddedPerMu: n(r.va_per_mu),
    labourProductivity: n(r.productivity),
    rdIntensity: n(r.rd),
  }));
}

export interface RankingFilter {
  scope: Scope;
  from: string;
  to: string;
  prevFrom: string;
  prevTo: string;
  scale: Scale;
  cluster?: string;
  region?: string;
  zone?: string;
  measure: Measure;
  q?: string;
  limit: number;
  offset: number;
}

/**
 * Each firm's value of the measure summed over [from, to] (enterprise_id, v; v null when every month
 * was blank). 1–N月累计 of output — the default ranking — comes from cluster_enterprise_ytd (`_all`):
 * its row at a month carries the firm's earlier months of the year when it did not report that month,
 * exactly as the sum does; a month after the latest on record in its year reads the latest (nothing
 * later is on record). That table keeps positive sums only, so firms whose 累计 is 0 or less are summed
 * from the facts, found through the partial index of non-positive outputs (a handful of rows).
 * docs/methodology.md, "Rankings". Other measures and 本月 sum the facts of the period.
 */
function rankedValues(f: RankingFilter): SQL {
  const from = `${f.from}-01`;
  const to = `${f.to}-01`;
  if (f.measure !== 'outputValue' || f.from !== `${f.to.slice(0, 4)}-01`) {
    const col = sql.raw(COLUMN[f.measure]);
    return sql`select ms.enterprise_id, sum(ms.${col})::float8 as v from ${monthlyFactRows()} ms
        where ms.month >= ${from}::date and ms.month <= ${to}::date group by ms.enterprise_id`;
  }
  return sql`select y.enterprise_id, y.output_ytd as v from ${clusterEnterpriseYtd} y
        where y.cluster_code = ${ALL_ENTERPRISES} and y.month = (
          select case when ${to}::date > m and date_trunc('year', ${to}::date) = date_trunc('year', m) then m
            else ${to}::date end from (select max(month) as m from ${clusterEnterpriseYtd}) last)
      union all
      select ms.enterprise_id, sum(ms.output_value)::float8 from ${monthlyFactRows()} ms
        where ms.month >= ${from}::date and ms.month <= ${to}::date and ms.enterprise_id in (
          select z.enterprise_id from ${monthlyFactRows()} z
          where z.output_value <= 0 and z.month >= ${from}::date and z.month <= ${to}::date)
        group by ms.enterprise_id having sum(ms.output_value) <= 0`;
}

/** Enterprises inside the scope ranked by a measure summed over [from, to], with last year's figure. */
export async function rankEnterprises(db: Db, f: RankingFilter) {
  const col = sql.raw(COLUMN[f.measure]);
  const conds: SQL[] = [];
  const scoped = enterpriseScopeCondition(f.scope);
  if (scoped) conds.push(scoped);
  if (f.scale !== 'all') conds.push(sql`enterprises.scale = ${f.scale}`);
  if (f.region) conds.push(sql`enterprises.region_code = ${f.region}`);
  if (f.zone) conds.push(sql`enterprises.zone_code = ${f.zone}`);
  if (f.cluster) conds.push(memberAt(sql`enterprises.id`, f.cluster, monthEnd(f.to)));
  if (f.q) conds.push(sql`enterprises.name ilike ${`%${f.q.replace(/[%_\\]/g, (c) => '\\' + c)}%`}`);
  const where = conds.length ? sql.join(conds, sql` and `) : sql`true`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    // the page first (scope and filters inside the query), then last year's figure and the clusters of
    // the page's rows only: summing last year for every firm and the clusters of every row cost the
    // most of this read (issue 13)
    sql`with cur as (${rankedValues(f)}), page as (
        select enterprises.id, cur.v, count(*) over ()::int as total
        from cur join ${registryRows()} enterprises on enterprises.id = cur.enterprise_id
        where cur.v is not null and ${where}
        order by cur.v desc, enterprises.id
        limit ${f.limit} offset ${f.offset}
      )
      select enterprises.id::int as id, enterprises.name, enterprises.region_code, r.name as region_name, enterprises.zone_code, enterprises.industry_code,
        page.v as value, page.total,
        (select sum(ms.${col})::float8 from ${monthlyFactRows()} ms where ms.enterprise_id = page.id
          and ms.month >= ${`${f.prevFrom}-01`}::date and ms.month <= ${`${f.prevTo}-01`}::date) as previous,
        coalesce((select array_agg(ec.cluster_code order by ec.cluster_code) from ${currentMemberships()} ec
          where ec.enterprise_id = enterprises.id), '{}') as clusters
      from page join ${registryRows()} enterprises on enterprises.id = page.id
        left join regions r on r.code = enterprises.region_code
      order by page.v desc, enterprises.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    regionCode: String(r.region_code),
    regionName: r.region_name == null ? null : String(r.region_name),
    zoneCode: r.zone_code == null ? null : String(r.zone_code),
    industryCode: String(r.industry_code),
    clusters: parseArray(r.clusters),
    value: Number(r.value),
    previous: r.previous == null ? null : Number(r.previous),
    total: Number(r.total),
  }));
}

function parseArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string')
    return v
      .replace(/^\{|\}$/g, '')
      .split(',')
      .filter(Boolean);
  return [];
}
