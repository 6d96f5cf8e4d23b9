// Warning statistics per firm and period, for other capabilities' set-wise figures (the cluster index's
// "red/orange warnings per 100 firms"). A firm counts in a period when one of its alerts fired (raised,
// refreshed or escalated) red or orange in a month of that period; alerts later marked a false alarm
// do not count. A period counts as observed only when some month of it was evaluated.
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
  '红/橙色预警企业：期内任一月份触发（新发、刷新或升级）红色或橙色预警的企业（误报不计）；期内无评估月份时为无数据';

export async function firmAlertStats(db: Db, periods: readonly AlertPeriod[]): Promise<FirmAlertStats> {
  const p = sql`jsonb_to_recordset(${JSON.stringify(periods)}::jsonb) as p(label text, start date, stop date)`;
  const evaluated = await queryRows<{ label: string; n: number }>(
    db,
    sql`select p.label, count(distinct e.month)::int as n
          from ${p} join alert_evaluations e on e.month >= p.start and e.month < p.stop
         group by p.label`,
  );
  const firms = await queryRows<{ label: string; enterprise_id: number; red: boolean; orange: boolean }>(
    db,
    sql`select p.label, a.enterprise_id,
               bool_or(ev.level = 'red') as red, bool_or(ev.level = 'orange') as orange
          from ${p}
          join alert_events ev on ev.month >= p.start and ev.month < p.stop
           and ev.kind in ('raised', 'refreshed', 'escalated') and ev.level in ('red', 'orange')
          join alerts a on a.id = ev.alert_id and a.subject_kind = 'firm' and a.status <> 'false_alarm'
         group by p.label, a.enterprise_id`,
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
