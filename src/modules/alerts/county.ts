// Alert handling per county for other capabilities (the county assessment's process view): alerts raised
// on the county's firms or the county in the period, how many were closed (关闭 or 误报), and how many of
// those before their handling deadline.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';

export async function countyAlertHandling(
  db: Db,
  period: { from: string; to: string },
): Promise<{ regionCode: string; raised: number; closed: number; closedOnTime: number }[]> {
  const rows = await queryRows<Record<string, string | number>>(
    db,
    sql`select a.region_code, count(*)::int as raised,
               count(*) filter (where not a.open)::int as closed,
               count(*) filter (where not a.open and (a.deadline_at is null or a.updated_at <= a.deadline_at))::int as on_time
          from alerts a
         where a.region_code is not null and a.first_month between ${period.from}::date and ${period.to}::date
         group by a.region_code`,
  );
  return rows.map((r) => ({
    regionCode: String(r.region_code),
    raised: Number(r.raised),
    closed: Number(r.closed),
    closedOnTime: Number(r.on_time),
  }));
}
