// Refreshing the monitoring rollups in set-based SQL: delete the affected months, insert them again
// grouped from the fact tables. Runs inside the caller's transaction (an import's, or the demo
// generator's), so figures and facts never disagree. Rules in docs/methodology.md ("Rollups").
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { clusterRegionMonth, meta } from '../../db/schema.ts';

/** Reserved cluster codes of cluster_region_month. */
export const ANY_CLUSTER = '_clusters';
export const ALL_INDUSTRY = '_industry';
/** GB/T 4754 sections counted as 工业 (mining, manufacturing, utilities). */
export const INDUSTRIAL_SECTIONS = ['B', 'C', 'D'] as const;

export interface FactsChange {
  /** months changed, 'YYYY-MM'; omitted (and no enterpriseIds) = everything */
  months?: readonly string[];
  /** enterprises whose registry facts (county, zone, scale, industry, membership) changed: all their months */
  enterpriseIds?: readonly number[];
}

export interface RefreshResult {
  months: number | 'all';
  rows: number;
  ms: number;
}

const ROLLUP_VERSION_KEY = 'monitoring_rollup';

/** Local listeners (the API's response cache) told after a refresh in this process. */
const listeners = new Set<() => void>();
export function onRollupsRefreshed(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const MEASURES = sql.raw(`sum(f.output_value), sum(f.revenue), sum(f.profit), sum(f.tax), sum(f.energy_tce),
  sum(f.electricity), sum(f.employees), sum(f.export_value), count(*)::int, count(f.output_value)::int`);

async function affectedMonths(db: Db, change: FactsChange): Promise<string[] | null> {
  if (!change.months && !change.enterpriseIds) return null;
  const months = new Set((change.months ?? []).map((m) => `${m.slice(0, 7)}-01`));
  if (change.enterpriseIds?.length) {
    const ids = sql.join(
      change.enterpriseIds.map((id) => sql`${id}`),
      sql`, `,
    );
    const rows = await queryRows<{ m: string }>(
      db,
      sql`select distinct to_char(month, 'YYYY-MM-DD') as m from monthly_stats where enterprise_id in (${ids})`,
    );
    for (const r of rows) months.add(r.m);
  }
  return [...months].sort();
}

/**
 * Rebuilds cluster_region_month for the months a change touched (all months when `change` is
 * empty). Call it inside the transaction that changed the facts.
 */
export async function refreshClusterRollups(tx: Db, change: FactsChange = {}): Promise<RefreshResult> {
  const started = performance.now();
  const months = await affectedMonths(tx, change);
  if (months && months.length === 0) return { months: 0, rows: 0, ms: performance.now() - started };
  const monthList = months
    ? sql.join(
        months.map((m) => sql`${m}::date`),
        sql`, `,
      )
    : null;
  const where: SQL = monthList ? sql`ms.month in (${monthList})` : sql`true`;

  if (monthList) await tx.execute(sql`delete from ${clusterRegionMonth} where month in (${monthList})`);
  else await tx.execute(sql`delete from ${clusterRegionMonth}`);

  const sections = sql.join(
    INDUSTRIAL_SECTIONS.map((s) => sql`${s}`),
    sql`, `,
  );
  // Membership as at the end of each month; an enterprise's earliest recorded membership also
  // covers the months before it was recorded (there is no earlier classification to respect).
  const result = await queryRows<{ n: number }>(
    tx,
    sql`with facts as (
        select ms.*, e.region_code, coalesce(e.zone_code, '') as zone_code, e.scale, e.industry_code
        from monthly_stats ms join enterprises e on e.id = ms.enterprise_id
        where ${where}
      ),
      mem as (
        select ec.enterprise_id, ec.cluster_code, ec.valid_to,
          case when ec.valid_from = min(ec.valid_from) over (partition by ec.enterprise_id) then null else ec.valid_from end as eff_from
        from enterprise_clusters ec
        where ec.cluster_code in (select code from clusters)
      ),
      fm as (
        select distinct f.enterprise_id, f.month, m.cluster_code
        from facts f join mem m on m.enterprise_id = f.enterprise_id
          and (m.eff_from is null or m.eff_from < f.month + interval '1 month')
          and (m.valid_to is null or m.valid_to >= f.month + interval '1 month')
      ),
      ins as (
        insert into ${clusterRegionMonth} (cluster_code, region_code, zone_code, scale, month, output_value, revenue,
          profit, tax, energy_tce, electricity, employees, export_value, enterprises, output_reporters)
        select fm.cluster_code, f.region_code, f.zone_code, f.scale, f.month, ${MEASURES}
          from fm join facts f on f.enterprise_id = fm.enterprise_id and f.month = fm.month
          group by fm.cluster_code, f.region_code, f.zone_code, f.scale, f.month
        union all
        select ${ANY_CLUSTER}::text, f.region_code, f.zone_code, f.scale, f.month, ${MEASURES}
          from facts f where exists (select 1 from fm where fm.enterprise_id = f.enterprise_id and fm.month = f.month)
          group by f.region_code, f.zone_code, f.scale, f.month
        union all
        select ${ALL_INDUSTRY}::text, f.region_code, f.zone_code, f.scale, f.month, ${MEASURES}
          from facts f join industries i on i.code = f.industry_code
          where i.section in (${sections})
          group by f.region_code, f.zone_code, f.scale, f.month
        returning 1
      )
      select count(*)::int as n from ins`,
  );
  const version = { at: new Date().toISOString(), nonce: Math.random().toString(36).slice(2) };
  await tx
    .insert(meta)
    .values({ key: ROLLUP_VERSION_KEY, value: version })
    .onConflictDoUpdate({ target: meta.key, set: { value: version } });
  for (const listener of listeners) listener();
  return { months: months ? months.length : 'all', rows: result[0]?.n ?? 0, ms: performance.now() - started };
}

/** The rollups' version stamp (changes with every refresh, in any process). */
export async function rollupVersion(db: Db): Promise<string> {
  const rows = await queryRows<{ v: unknown }>(
    db,
    sql`select value as v from ${meta} where key = ${ROLLUP_VERSION_KEY}`,
  );
  return rows[0] ? JSON.stringify(rows[0].v) : 'none';
}
