// The metric library of the cluster index: how each raw figure is computed from the platform's data,
// per cluster (city) and per cluster × county, for a list of periods, in ONE statement per frequency
// (periods travel as one jsonb parameter; grouping sets give both levels).
//
// Data boundary (docs/architecture.md, issue 11): the index owns only its reported values, negative list and
// results. Every other figure comes through its owner's public entry as a relation joined into this one
// statement (PostgreSQL pulls the subqueries up, so the plan is that of the tables themselves): the registry,
// memberships and tiers (enterprises), the monthly and annual facts (imports), the results in force
// (evaluation), platforms, chain nodes and placements (chains), project investment (projects). Service and
// warning statistics come per firm and period from their modules' public entries, joined here as one jsonb
// parameter each.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { textArray } from '../../db/arrays.ts';
import { firmAlertStats } from '../alerts/index.ts';
import { assignedPlacements, chainNodesByCluster } from '../chains/index.ts';
import { membershipHistory, registryRows, tierRows } from '../enterprises/index.ts';
import { classesInForce } from '../evaluation/index.ts';
import { annualInputRows, monthlyFactRows } from '../imports/index.ts';
import { platformRows } from '../platforms/index.ts';
import { investmentReports } from '../projects/index.ts';
import { requestCountsByFirm } from '../service/index.ts';
import { getSetting } from './repo.ts';

export { METRICS, type Metric } from './metric-names.ts';
import { METRICS } from './metric-names.ts';

/** Firm-level figures behind each metric (for the drill-down), in the order shown. */
export const FIRM_FIGURES = [
  'revenue',
  'revenuePrev',
  'profit',
  'output',
  'rdExpense',
  'mainRevenue',
  'taxPaid',
  'landMu',
  'valueAdded',
  'employees',
  'tiered',
  'evaluationClass',
] as const;

export type Frequency = 'year' | 'quarter';

export interface Period {
  label: string;
  start: string;
  stop: string;
  year: number;
}

/** The label of the same period `years` earlier ('2025' → '2022', '2025-Q3' → '2024-Q3'). */
export function shiftLabel(label: string, years: number): string {
  return `${Number(label.slice(0, 4)) - years}${label.slice(4)}`;
}

export function periodsFor(years: readonly number[], frequency: Frequency): Period[] {
  if (frequency === 'year')
    return years.map((y) => ({ label: String(y), start: `${y}-01-01`, stop: `${y + 1}-01-01`, year: y }));
  return years.flatMap((y) =>
    [1, 2, 3, 4].map((q) => ({
      label: `${y}-Q${q}`,
      start: `${y}-${String(q * 3 - 2).padStart(2, '0')}-01`,
      stop: q === 4 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`,
      year: y,
    })),
  );
}

export interface UnitMetrics {
  period: string;
  clusterCode: string;
  /** null at the cluster (city) level */
  regionCode: string | null;
  firms: number;
  /** every platform metric, and each `reported:<code>` that has a value for the unit and period */
  raw: Record<string, number | null>;
  /** 营业收入 of the unit and of its two largest firms (万元), for disclosure control */
  revenue: { total: number | null; top1: number | null; top2: number | null };
}

/** Figures other capabilities (and the bureau) give per firm and period, joined into the statement. */
export interface SideInputs {
  requests: {
    label: string;
    enterprise_id: number;
    closed: number;
    on_time: number;
    rated: number;
    satisfied: number;
  }[];
  warned: { label: string; enterprise_id: number }[];
  evaluated: { label: string; n: number }[];
  /** the bureau marked the negative list as maintained (else the metric is null: 无数据) */
  negativeListMaintained: boolean;
}

const NO_SIDE_INPUTS: SideInputs = { requests: [], warned: [], evaluated: [], negativeListMaintained: false };

/** The setting by which the bureau says the negative list is kept up to date. */
export const NEGATIVE_LIST = 'negative_list';

/** The last month (YYYY-MM) before a period's stop date. */
function lastMonthBefore(stop: string): string {
  const y = Number(stop.slice(0, 4));
  const m = Number(stop.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Reads the side inputs of a set of periods through the owning modules' public entries. */
export async function loadSideInputs(db: Db, periods: Period[]): Promise<SideInputs> {
  const requests = await requestCountsByFirm(
    db,
    periods.map((p) => ({ label: p.label, from: p.start.slice(0, 7), to: lastMonthBefore(p.stop) })),
  );
  const alerts = await firmAlertStats(
    db,
    periods.map((p) => ({ label: p.label, start: p.start, stop: p.stop })),
  );
  return {
    requests: requests
      .filter((r) => r.closed > 0)
      .map((r) => ({
        label: r.label,
        enterprise_id: r.enterpriseId,
        closed: r.closed,
        on_time: r.closedOnTime,
        rated: r.rated,
        satisfied: r.satisfied,
      })),
    warned: alerts.firms.map((f) => ({ label: f.label, enterprise_id: f.enterpriseId })),
    evaluated: [...alerts.evaluatedMonths].map(([label, n]) => ({ label, n })),
    negativeListMaintained: (await getSetting(db, NEGATIVE_LIST))?.enabled ?? false,
  };
}

const TIERED = `('zhuanjingtexin','little_giant','single_champion','hidden_champion','xiongying')`;
const SME_REVENUE = 40000; // 万元: 营业收入 < 4 亿元 counts as an SME (统计上大中小微企业划分办法 2017, 工业) [inference]

/** Per member firm (规上) and period: the figures every metric is made of. */
function firmFigures(periods: Period[], annual: boolean, filter?: SQL): SQL {
  const bucket = annual
    ? sql`to_char(s.month, 'YYYY')`
    : sql`to_char(s.month, 'YYYY') || '-Q' || extract(quarter from s.month)::int`;
  const back = annual ? 3 : 1;
  const firstStart = `${Math.min(...periods.map((p) => p.year)) - back}-01-01`;
  const lastStop = periods.reduce((m, p) => (p.stop > m ? p.stop : m), periods[0]!.stop);
  // materialized: the periods are a handful of rows every later step joins; computed once, they keep the
  // plan of one period (a firm list) the same as before the evaluation results came through their relation
  return sql`
    with periods as materialized (
      select * from jsonb_to_recordset(${JSON.stringify(periods.map((p) => ({ ...p, prev1: shiftLabel(p.label, 1), prev3: shiftLabel(p.label, 3) })))}::jsonb)
        as p(label text, start date, stop date, year int, prev1 text, prev3 text)
    ),
    members as (
      select p.label, p.start, p.stop, p.year, p.prev1, p.prev3, ec.cluster_code, enterprises.id as enterprise_id, enterprises.region_code
      from periods p
      join ${membershipHistory()} ec on ec.valid_from < p.stop and (ec.valid_to is null or ec.valid_to > p.start)
      -- aliased enterprises, so that the shared scope condition (src/server/scope.ts) can name it
      join ${registryRows()} enterprises on enterprises.id = ec.enterprise_id and enterprises.scale = 'above'
      ${filter ? sql`where ${filter}` : sql``}
    ),
    member_firms as (select distinct label, prev1, prev3, enterprise_id from members),
    -- monthly facts summed once per firm and period bucket ('2025' or '2025-Q3'); a period and its
    -- comparison periods (a year and three years before) are then looked up by label, not re-scanned
    buckets as (
      select s.enterprise_id, ${bucket} as bucket,
        sum(s.revenue) as revenue, sum(s.profit) as profit, sum(s.output_value) as output, count(*) as months
      from ${monthlyFactRows()} s
      where s.month >= ${firstStart}::date and s.month < ${lastStop}::date
        and s.enterprise_id in (select enterprise_id from member_firms)
      group by 1, 2
    ),
    mon as (
      select m.label, m.enterprise_id, cur.revenue, prev.revenue as revenue_prev, cur.profit, cur.output,
        prev.output as output_prev, p3.output as output_prev3, cur.months
      from member_firms m
      join buckets cur on cur.enterprise_id = m.enterprise_id and cur.bucket = m.label
      left join buckets prev on prev.enterprise_id = m.enterprise_id and prev.bucket = m.prev1
      left join buckets p3 on p3.enterprise_id = m.enterprise_id and p3.bucket = m.prev3
    ),
    tiers as (
      select enterprise_id,
        min(year) filter (where tier in ${sql.raw(TIERED)}) as tiered_from,
        min(year) filter (where tier in ('little_giant','single_champion')) as top_from,
        min(year) filter (where tier = 'zhuanjingtexin') as specialised_from
      from ${tierRows()} et where et.enterprise_id in (select enterprise_id from member_firms)
      group by et.enterprise_id
    ),
    ${
      annual
        ? sql`ev as (select cf.enterprise_id, cf.year, cf.class from ${classesInForce([...new Set(periods.map((p) => p.year))])} cf),`
        : sql``
    }
    firm as (
      select m.label, m.year, m.cluster_code, m.region_code, m.enterprise_id,
        mon.revenue, mon.revenue_prev, mon.profit, mon.output, mon.output_prev, mon.output_prev3, mon.months,
        ${annual ? sql`a.rd_expense, a.main_revenue, a.tax_paid, a.land_mu, a.value_added, a.avg_employees, ap.rd_expense as rd_prev,` : sql`null::float8 as rd_expense, null::float8 as main_revenue, null::float8 as tax_paid, null::float8 as land_mu, null::float8 as value_added, null::int as avg_employees, null::float8 as rd_prev,`}
        coalesce(t.tiered_from <= m.year, false) as tiered,
        coalesce(t.top_from <= m.year, false) as top_tier,
        coalesce(t.specialised_from <= m.year, false) as specialised,
        ${annual ? sql`ev.class` : sql`null::text`} as evaluation_class
      from members m
      join mon on mon.label = m.label and mon.enterprise_id = m.enterprise_id
      left join tiers t on t.enterprise_id = m.enterprise_id
      ${
        annual
          ? sql`left join ${annualInputRows()} a on a.enterprise_id = m.enterprise_id and a.year = m.year
      left join ${annualInputRows()} ap on ap.enterprise_id = m.enterprise_id and ap.year = m.year - 1
      left join ev on ev.enterprise_id = m.enterprise_id and ev.year = m.year`
          : sql``
      }
      where mon.revenue is not null or mon.output is not null
    )`;
}

/**
 * Settings for the index's set-wise statements, for the rest of the caller's transaction (PostgreSQL
 * ignores `set local` outside one, with a warning):
 * - JIT off: the planner's estimates switch JIT compilation on, which costs far more than the work
 *   (measured on the city-scale demo: 15 s of JIT for 4 s of execution);
 * - nested loops off: on tables not yet analysed (right after a bulk import or the demo) the planner
 *   expects one row where there are thousands and nests loops over them — minutes instead of 4 s.
 *   Hash and merge joins are right for these statements whatever the statistics say.
 */
async function planForSetWork(db: Db) {
  await db.execute(sql`set local jit = off`);
  await db.execute(sql`set local enable_nestloop = off`);
}

const ratio = (num: string, den: string, scale = 100) =>
  `case when sum(${den}) > 0 then ${scale} * sum(${num}) / sum(${den}) end`;

/** The statement behind `loadUnitMetrics` (exported for EXPLAIN in bench/). */
export function unitMetricsQuery(
  years: readonly number[],
  frequency: Frequency,
  side: SideInputs = NO_SIDE_INPUTS,
): SQL {
  const periods = periodsFor(years, frequency);
  const annual = frequency === 'year';
  return sql`${firmFigures(periods, annual)},
    requests as (
      select * from jsonb_to_recordset(${JSON.stringify(side.requests)}::jsonb)
        as s(label text, enterprise_id bigint, closed int, on_time int, rated int, satisfied int)
    ),
    warned as (
      select * from jsonb_to_recordset(${JSON.stringify(side.warned)}::jsonb) as w(label text, enterprise_id bigint)
    ),
    evaluated as (
      select * from jsonb_to_recordset(${JSON.stringify(side.evaluated)}::jsonb) as e(label text, n int)
    ),
    -- negative-list events of member firms in the three years to the period's end (withdrawn ones left out)
    negative as (
      select p.label, ne.enterprise_id, count(*)::int as n
      from periods p
      join index_negative_events ne on not ne.withdrawn and ne.event_date < p.stop
        and ne.event_date >= (p.stop - interval '3 years')::date
      where ne.enterprise_id in (select enterprise_id from member_firms)
      group by p.label, ne.enterprise_id
    ),
    firm_side as (
      select f.*, rq.closed as rq_closed, rq.on_time as rq_on_time, rq.rated as rq_rated, rq.satisfied as rq_satisfied,
        w.enterprise_id is not null as warned, ev.n > 0 as alerts_evaluated, coalesce(ng.n, 0) as negative
      from firm f
      left join requests rq on rq.label = f.label and rq.enterprise_id = f.enterprise_id
      left join warned w on w.label = f.label and w.enterprise_id = f.enterprise_id
      left join evaluated ev on ev.label = f.label
      left join negative ng on ng.label = f.label and ng.enterprise_id = f.enterprise_id
    ),
    unit_figures as (
      select label, cluster_code, region_code, grouping(region_code) as city_level,
        count(*)::int as firms,
        sum(revenue) / 10000 as revenue_yi,
        -- the cell's magnitude and its two largest contributions (dominance and p % rules)
        sum(revenue) as revenue_total,
        (array_agg(revenue order by revenue desc nulls last))[1] as revenue_top1,
        (array_agg(revenue order by revenue desc nulls last))[2] as revenue_top2,
        case when sum(revenue_prev) filter (where revenue_prev > 0 and revenue is not null) > 0
          then 100 * (sum(revenue) filter (where revenue_prev > 0) / sum(revenue_prev) filter (where revenue_prev > 0 and revenue is not null) - 1) end as revenue_growth,
        ${sql.raw(ratio('profit', 'revenue'))} as profit_margin,
        sum(output) / 10000 as output_yi,
        ${
          annual
            ? sql`case when sum(output_prev3) filter (where output_prev3 > 0 and output is not null) > 0
          then 100 * (power(sum(output) filter (where output_prev3 > 0) / sum(output_prev3) filter (where output_prev3 > 0 and output is not null), 1.0 / 3) - 1) end`
            : sql`case when sum(output_prev) filter (where output_prev > 0 and output is not null) > 0
          then 100 * (sum(output) filter (where output_prev > 0) / sum(output_prev) filter (where output_prev > 0 and output is not null) - 1) end`
        } as output_growth_3y,
        ${sql.raw(ratio('rd_expense', 'main_revenue'))} as rd_intensity,
        case when sum(rd_prev) filter (where rd_prev > 0 and rd_expense is not null) > 0
          then 100 * (sum(rd_expense) filter (where rd_prev > 0) / sum(rd_prev) filter (where rd_prev > 0 and rd_expense is not null) - 1) end as rd_growth,
        ${sql.raw(ratio('tax_paid', 'land_mu', 1))} as tax_per_mu,
        ${sql.raw(ratio('value_added', 'land_mu', 1))} as va_per_mu,
        ${sql.raw(ratio('value_added', 'avg_employees', 1))} as labour_productivity,
        100.0 * count(*) filter (where tiered) / count(*) as tiered_share,
        count(*) filter (where top_tier)::int as top_tier_firms,
        count(*) filter (where specialised)::int as specialised_firms,
        case when count(evaluation_class) > 0 then 100.0 * count(*) filter (where evaluation_class = 'A') / count(evaluation_class) end as a_class_share,
        case when sum(revenue) > 0 then 100 * sum(revenue) filter (where revenue * 12.0 / greatest(months, 1) < ${SME_REVENUE}) / sum(revenue) end as sme_share,
        case when sum(rq_closed) > 0 then 100.0 * sum(rq_on_time) / sum(rq_closed) end as service_on_time_rate,
        case when sum(rq_rated) > 0 then 100.0 * sum(rq_satisfied) / sum(rq_rated) end as service_satisfaction_rate,
        case when bool_or(alerts_evaluated) then 100.0 * count(*) filter (where warned) / count(*) end as warned_firms_per_100,
        ${side.negativeListMaintained ? sql`sum(negative)::int` : sql`null::int`} as negative_events
      from firm_side
      group by grouping sets ((label, cluster_code), (label, cluster_code, region_code))
    ),
    plat as (
      select p.label, pl.cluster_code, pl.region_code, grouping(pl.region_code) as city_level, count(*)::int as n
      from periods p join ${platformRows()} pl on pl.cluster_code is not null and (pl.year is null or pl.year <= p.year)
      group by grouping sets ((p.label, pl.cluster_code), (p.label, pl.cluster_code, pl.region_code))
    ),
    nodes as (
      select n.cluster_code, count(*)::int as n from ${chainNodesByCluster()} n group by n.cluster_code
    ),
    placed as (
      select f.label, f.cluster_code, f.region_code, grouping(f.region_code) as city_level,
        count(distinct (ecn.chain_code, ecn.node_code))::int as n
      from firm f
      join ${assignedPlacements()} ecn on ecn.enterprise_id = f.enterprise_id and ecn.cluster_code = f.cluster_code
      group by grouping sets ((f.label, f.cluster_code), (f.label, f.cluster_code, f.region_code))
    ),
    inv as (
      select p.label, pr.cluster_code, pr.region_code, grouping(pr.region_code) as city_level,
        sum(pr.investment_month) as invested
      from periods p
      join ${investmentReports()} pr on pr.month >= p.start and pr.month < p.stop and pr.cluster_code is not null
      group by grouping sets ((p.label, pr.cluster_code), (p.label, pr.cluster_code, pr.region_code))
    )
    select u.*,
      coalesce(plat.n, 0) as platforms,
      case when nodes.n > 0 then 100.0 * coalesce(placed.n, 0) / nodes.n end as chain_coverage,
      case when u.revenue_yi > 0 then 100 * coalesce(inv.invested, 0) / (u.revenue_yi * 10000) end as investment_intensity
    from unit_figures u
    left join plat on plat.label = u.label and plat.cluster_code = u.cluster_code and plat.city_level = u.city_level
      and plat.region_code is not distinct from u.region_code
    left join nodes on nodes.cluster_code = u.cluster_code
    left join placed on placed.label = u.label and placed.cluster_code = u.cluster_code and placed.city_level = u.city_level
      and placed.region_code is not distinct from u.region_code
    left join inv on inv.label = u.label and inv.cluster_code = u.cluster_code and inv.city_level = u.city_level
      and inv.region_code is not distinct from u.region_code
    order by u.label, u.cluster_code, u.region_code nulls first`;
}

/** The raw metrics of every unit and period of one frequency. */
export async function loadUnitMetrics(
  db: Db,
  years: readonly number[],
  frequency: Frequency,
): Promise<UnitMetrics[]> {
  const periods = periodsFor(years, frequency);
  const side = await loadSideInputs(db, periods);
  const reported = await loadReported(db, periods);
  // its own short read-only transaction (the plan settings are `set local`): the caller holds none
  // while the Monte Carlo runs, so PGlite's one connection is free between statements
  const rows = await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await planForSetWork(tx);
    return queryRows<Record<string, unknown>>(tx, unitMetricsQuery(years, frequency, side));
  });
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => {
    const regionCode = Number(r.city_level) === 1 ? null : String(r.region_code);
    const raw: Record<string, number | null> = Object.fromEntries(METRICS.map((m) => [m, num(r[m])]));
    for (const [code, value] of reported.get(`${r.label}|${r.cluster_code}|${regionCode ?? ''}`) ?? [])
      raw[`reported:${code}`] = value;
    return {
      period: String(r.label),
      clusterCode: String(r.cluster_code),
      regionCode,
      firms: Number(r.firms),
      raw,
      revenue: { total: num(r.revenue_total), top1: num(r.revenue_top1), top2: num(r.revenue_top2) },
    };
  });
}

/** Reported values of the periods, by 'period|cluster|county' (county '' at the city level). */
async function loadReported(db: Db, periods: Period[]): Promise<Map<string, [string, number][]>> {
  const rows = await queryRows<{
    code: string;
    period: string;
    cluster_code: string;
    region_code: string;
    value: number;
  }>(
    db,
    sql`select code, period, cluster_code, region_code, value from index_reported_values
        where period = any(${textArray(periods.map((p) => p.label))})`,
  );
  const out = new Map<string, [string, number][]>();
  for (const r of rows) {
    const k = `${r.period}|${r.cluster_code}|${r.region_code}`;
    out.set(k, [...(out.get(k) ?? []), [r.code, Number(r.value)]]);
  }
  return out;
}

export interface FirmFigures {
  enterpriseId: number;
  uscc: string;
  name: string;
  regionCode: string;
  figures: Record<(typeof FIRM_FIGURES)[number], number | string | boolean | null>;
}

/** The member firms behind one unit and period, with their figures (scope applied by the caller's filter). */
export async function loadFirmFigures(
  db: Db,
  period: Period,
  frequency: Frequency,
  clusterCode: string,
  regionCode: string | null,
  scope: SQL | undefined,
  limit: number,
): Promise<FirmFigures[]> {
  const filter = sql`ec.cluster_code = ${clusterCode} ${regionCode ? sql`and enterprises.region_code = ${regionCode}` : sql``} ${scope ? sql`and ${scope}` : sql``}`;
  // a read-only transaction, so that the plan settings stay with this statement
  const rows = await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await planForSetWork(tx);
    return queryRows<Record<string, unknown>>(
      tx,
      sql`${firmFigures([period], frequency === 'year', filter)}
    select f.*, e.uscc, e.name from firm f join ${registryRows()} e on e.id = f.enterprise_id
    order by f.revenue desc nulls last, f.enterprise_id limit ${limit}`,
    );
  });
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    enterpriseId: Number(r.enterprise_id),
    uscc: String(r.uscc),
    name: String(r.name),
    regionCode: String(r.region_code),
    figures: {
      revenue: num(r.revenue),
      revenuePrev: num(r.revenue_prev),
      profit: num(r.profit),
      output: num(r.output),
      rdExpense: num(r.rd_expense),
      mainRevenue: num(r.main_revenue),
      taxPaid: num(r.tax_paid),
      landMu: num(r.land_mu),
      valueAdded: num(r.value_added),
      employees: num(r.avg_employees),
      tiered: Boolean(r.tiered),
      evaluationClass: (r.evaluation_class as string | null) ?? null,
    },
  }));
}
