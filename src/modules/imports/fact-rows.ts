// The fact tables as relations other modules join in their own SQL (issue 11): imports writes
// `monthly_stats` and `annual_inputs` (every commit and rollback), so it owns them (docs/architecture.md,
// "Tables and their owners"); a reader joins one of these subqueries instead of naming the table. Each is a
// plain select that PostgreSQL pulls up into the caller's query (same plan, same indexes) and cannot be
// written through. Units as in src/db/schema.ts (万元, 吨标准煤, 万千瓦时, 亩, 人).
import { sql, type SQL } from 'drizzle-orm';
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
