// Request counts per firm and period, for other capabilities' set-wise figures (the cluster index's
// 按时办结率 and 满意率 of a cluster's firms). The same counting as stats.ts's requestCounts (merged and
// withdrawn requests left out, the month received in China time); rates are made from the summed counts.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { SERVICE_REQUEST_KIND } from '../../domain/service/index.ts';
import { workItemRows } from '../workitems/index.ts';

export interface RequestPeriod {
  label: string;
  /** first and last month of the period (YYYY-MM) */
  from: string;
  to: string;
}

export interface FirmRequestCounts {
  label: string;
  enterpriseId: number;
  received: number;
  closed: number;
  closedOnTime: number;
  rated: number;
  satisfied: number;
}

export async function requestCountsByFirm(
  db: Db,
  periods: readonly RequestPeriod[],
): Promise<FirmRequestCounts[]> {
  const rows = await queryRows<Record<string, string | number>>(
    db,
    sql`with r as (
          select r.*, w.state, to_char(r.received_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month
            from service_requests r
            join ${workItemRows()} w on w.kind = ${SERVICE_REQUEST_KIND} and w.subject_type = 'service_request' and w.subject_id = r.id::text
           where w.state not in ('merged', 'withdrawn'))
        select p.label, r.enterprise_id,
               count(*)::int as received,
               count(*) filter (where r.state = 'closed')::int as closed,
               count(*) filter (where r.state = 'closed' and r.answered_on_time)::int as closed_on_time,
               count(*) filter (where r.state = 'closed' and r.rating is not null)::int as rated,
               count(*) filter (where r.state = 'closed' and r.rating in ('satisfied', 'basic'))::int as satisfied
          from jsonb_to_recordset(${JSON.stringify(periods)}::jsonb) as p(label text, "from" text, "to" text)
          join r on r.month between p."from" and p."to"
         group by p.label, r.enterprise_id`,
  );
  return rows.map((r) => ({
    label: String(r.label),
    enterpriseId: Number(r.enterprise_id),
    received: Number(r.received),
    closed: Number(r.closed),
    closedOnTime: Number(r.closed_on_time),
    rated: Number(r.rated),
    satisfied: Number(r.satisfied),
  }));
}
