// The fact tables as relations other modules join in their own SQL (issue 11): imports writes
// `monthly_stats` and `annual_inputs` (every commit and rollback), so it owns them (docs/architecture.md,
// "Tables and their owners"); a reader joins one of these subqueries instead of naming the table. Each is a
// plain select that PostgreSQL pulls up into the caller's query (same plan, same indexes) and cannot be
// written through. Units as in src/db/schema.ts (万元, 吨标准煤, 万千瓦时, 亩, 人).
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { annualInputs, monthlyStats } from '../../db/schema.ts';

/** Monthly statistics, one row per firm and month (month = its first day), with the import it came from. */
export const monthlyFactRows = (): SQL =>
  sql`(select enterprise_id, month, output_value, revenue, profit, tax, energy_tce, electricity, employees,
              export_value, import_id from ${monthlyStats})`;

/** Annual inputs of the 亩均效益 evaluation, one row per firm and year, with the import it came from. */
export const annualInputRows = (): SQL =>
  sql`(select enterprise_id, year, land_mu, tax_paid, value_added, revenue, main_revenue, energy_tce,
              electricity, cod, ammonia_nitrogen, so2, nox, rd_expense, avg_employees, import_id
         from ${annualInputs})`;

/**
 * The latest calendar year with December figures on record: the year "annual output" refers to (the
 * registry list, the profile, the chains). Runs on every such read, so it walks the month index (two
 * lookups) instead of scanning every monthly row; only when that December is absent does it fall back to
 * the scan.
 */
export async function factsReferenceYear(db: Db): Promise<number | null> {
  const [latest] = await queryRows<{ m: string | null }>(
    db,
    sql`select max(month)::text as m from ${monthlyStats}`,
  );
  if (!latest?.m) return null;
  const year = Number(latest.m.slice(0, 4));
  const candidate = latest.m.slice(5, 7) === '12' ? year : year - 1;
  const december = await queryRows<{ one: number }>(
    db,
    sql`select 1 as one from ${monthlyStats} where month = ${`${candidate}-12-01`}::date limit 1`,
  );
  if (december.length) return candidate;
  const rows = await queryRows<{ y: number | null }>(
    db,
    sql`select max(extract(year from month))::int as y from ${monthlyStats} where extract(month from month) = 12`,
  );
  return rows[0]?.y ?? null;
}
