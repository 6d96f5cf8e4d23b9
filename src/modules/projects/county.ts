// Project investment per county for other capabilities (the county assessment): the investment reported
// in the months of a year (本月完成投资 summed, 万元) by the county's projects, terminated ones included
// (the money was spent), and how many projects reported.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';

export async function countyInvestment(
  db: Db,
  period: { from: string; to: string },
): Promise<{ regionCode: string; investment: number; projects: number }[]> {
  const rows = await queryRows<Record<string, string | number>>(
    db,
    sql`select p.region_code, coalesce(sum(g.investment_month), 0) as investment,
               count(distinct p.id)::int as projects
          from project_progress g join projects p on p.id = g.project_id
         where g.month between ${period.from}::date and ${period.to}::date
         group by p.region_code`,
  );
  return rows.map((r) => ({
    regionCode: String(r.region_code),
    investment: Number(r.investment),
    projects: Number(r.projects),
  }));
}
