// The fact tables as relations other modules join in their own SQL (issue 11): imports writes
// `monthly_stats` and `annual_inputs` (every commit and rollback), so it owns them (docs/architecture.md,
// "Tables and their owners"); a reader joins one of these subqueries instead of naming the table. Each is a
// plain select that PostgreSQL pulls up into the caller's query (same plan, same indexes) and cannot be
// written through. Units as in src/db/schema.ts (万元, 吨标准煤, 万千瓦时, 亩, 人).
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { annualInputs, imports, monthlyStats } from '../../db/schema.ts';

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
 * registry list, the profile, the chains), as one SQL expression (an int, or null without facts) so that a
 * read can ask it inside its own statement instead of a round trip of its own. It walks the month index
 * (the newest month, then that year's or the year before's December); only when that December is absent
 * does it fall back to scanning the Decembers (PostgreSQL runs that branch only when it is reached).
 */
export const factsReferenceYearSql = (): SQL<number | null> =>
  sql<number | null>`(select case
      when l.candidate is null then null
      when exists (select 1 from ${monthlyStats} m where m.month = make_date(l.candidate, 12, 1)) then l.candidate
      else (select max(extract(year from m.month))::int from ${monthlyStats} m where extract(month from m.month) = 12)
    end
    from (select extract(year from x.latest)::int - case when extract(month from x.latest) = 12 then 0 else 1 end
                   as candidate
            from (select max(month) as latest from ${monthlyStats}) x) l)`;

/** factsReferenceYear on its own (one statement). */
export async function factsReferenceYear(db: Db): Promise<number | null> {
  const [row] = await queryRows<{ y: number | null }>(db, sql`select ${factsReferenceYearSql()} as y`);
  return row?.y ?? null;
}

/**
 * The calendar years with monthly figures on record, newest first: the years a page that picks a year of
 * the facts can offer. A walk down the month index, one probe a year (the newest month, then the newest
 * month before that one's January, …), never a scan of the monthly rows.
 */
export async function factsYears(db: Db): Promise<number[]> {
  const rows = await queryRows<{ y: number }>(
    db,
    sql`with recursive ys(m) as (
          select max(s.month) from ${monthlyFactRows()} s
          union all
          select (select max(s.month) from ${monthlyFactRows()} s
                   where s.month < make_date(extract(year from ys.m)::int, 1, 1))
            from ys where ys.m is not null)
        select extract(year from m)::int as y from ys where m is not null order by y desc`,
  );
  return rows.map((r) => Number(r.y));
}

/**
 * A text that changes whenever the fact tables do: every import that wrote facts ends committed or rolled
 * back (its stamp set in the same transaction), and the newest month on record (the month index) catches
 * facts written outside an import (the demo). A cheap gate for answers kept per data version.
 */
export const factsChangeStamp = (): SQL<string> =>
  sql<string>`(select count(*)::text || '/' || coalesce(max(i.committed_at)::text, '') || '/' ||
                      coalesce(max(i.rolled_back_at)::text, '') || '/' ||
                      coalesce((select max(m.month) from ${monthlyStats} m)::text, '')
                 from ${imports} i where i.status in ('committed', 'rolled_back'))`;
