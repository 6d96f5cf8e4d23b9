// Warning statistics per firm and period, for other capabilities' set-wise figures (the cluster index's
// "red/orange warnings per 100 firms"). A firm counts in a period when one of its alerts was red or orange
// in a month of that period while its rule fired: an alert's history logs every change of its state
// (raised, escalated, de-escalated, another rule) with the month, and the alert keeps the latest month its
// rule fired, so its level is known from each change to the next, up to that month (a re-evaluation that
// changes nothing logs nothing, docs/methodology.md). Alerts later marked a false alarm do not count. A
// period counts as observed only when some month of it was evaluated.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';

export interface AlertPeriod {
  label: string;
  /** first day of the period and first day after it (YYYY-MM-DD) */
  start: string;
  stop: string;
}

export interface FirmAlertStats {
  /** label → months of the period the rules were evaluated for */
  evaluatedMonths: Map<string, number>;
  /** one row per period and firm with a red or orange firing */
  firms: { label: string; enterpriseId: number; red: boolean; orange: boolean }[];
}

export const FIRM_ALERT_DEFINITION =
  '红/橙色预警企业：期内任一月份处于红色或橙色预警状态（且该预警规则持续触发）的企业（误报不计）；期内无评估月份时为无数据';

export async function firmAlertStats(db: Db, periods: readonly AlertPeriod[]): Promise<FirmAlertStats> {
  const p = sql`jsonb_to_recordset(${JSON.stringify(periods)}::jsonb) as p(label text, start date, stop date)`;
  const evaluated = await queryRows<{ label: string; n: number }>(
    db,
    sql`select p.label, count(distinct e.month)::int as n
          from ${p} join alert_evaluations e on e.month >= p.start and e.month < p.stop
         group by p.label`,
  );
  // each state of an alert: from its event's month to the next event's (or past the alert's latest month)
  const firms = await queryRows<{ label: string; enterprise_id: number; red: boolean; orange: boolean }>(
    db,
    sql`with states as (
          select a.enterprise_id, ev.level, ev.month as start,
            least(coalesce(lead(ev.month) over (partition by ev.alert_id order by ev.month, ev.id), 'infinity'::date),
              (a.last_month + interval '1 month')::date) as stop
          from alert_events ev
          join alerts a on a.id = ev.alert_id and a.subject_kind = 'firm' and a.status <> 'false_alarm'
          where ev.kind in ('raised', 'refreshed', 'escalated', 'deescalated')
        )
        select p.label, s.enterprise_id,
               bool_or(s.level = 'red') as red, bool_or(s.level = 'orange') as orange
          from ${p}
          join states s on s.start < p.stop and s.stop > p.start and s.start < s.stop
           and s.level in ('red', 'orange')
         group by p.label, s.enterprise_id`,
  );
  return {
    evaluatedMonths: new Map(evaluated.map((r) => [r.label, Number(r.n)])),
    firms: firms.map((r) => ({
      label: r.label,
      enterpriseId: Number(r.enterprise_id),
      red: Boolean(r.red),
      orange: Boolean(r.orange),
    })),
  };
}
