// Demo alerts come with a handling history, so 预警按时处置率 (the county assessment's alerts-on-time
// indicator, the board's overdue marks) has something believable to show: without it every demo alert was
// raised "now" and never handled, and the rate read 0 %. Each alert is dated as raised by the monthly run
// after its month's data came in (the 10th of the next month), its deadline counted from then in working
// days by level, and — seeded per alert — closed on time (most), found a false alarm, closed late, or
// still open (all raised in the last 20 days stay open). Synthetic (demo only); one statement per table.
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../db/client.ts';
import { rngFor } from '../../demo/random.ts';
import type { Level } from '../../domain/alerts/index.ts';
import type { Actor } from '../audit/index.ts';
import { backdateWorkItems, workCalendar } from '../workitems/index.ts';
import { currentRuleSet } from './rules.ts';
import { withDb } from './tx.ts';

const DAY = 86_400_000;
const REASONS = {
  close: '已走访核实，企业生产经营恢复正常（演示数据）',
  false_alarm: '核实为统计口径调整，非经营风险（演示数据）',
  late: '帮扶后风险解除，超期办结（演示数据）',
} as const;

interface Row {
  id: number;
  level: Level;
  first_month: string;
  work_item_id: number | null;
  open: boolean;
}

export async function handleDemoAlerts(database: Database, seed: number, actor: Actor, now = new Date()) {
  return withDb(database.db, async (tx) => {
    const rs = await currentRuleSet(tx);
    const cal = workCalendar();
    const alerts = await queryRows<Row>(
      tx,
      sql`select id::int as id, level, first_month::text as first_month, work_item_id::int as work_item_id, open
            from alerts order by id`,
    );
    const counts = { onTime: 0, falseAlarm: 0, late: 0, open: 0 };
    const plan = alerts.map((a) => {
      const [y, m] = a.first_month.split('-').map(Number) as [number, number];
      // the run after the month's data: the 10th of the next month, 09:00 Beijing time
      const run = new Date(Date.UTC(y, m, 10, 1, 0, 0));
      const raised = run < now ? run : now;
      const deadline = cal.deadlineAfterWorkingDays(raised, rs.definition.deadlines[a.level]);
      const rng = rngFor(seed, 'alert-handling', a.id);
      const u = rng.next();
      let state: 'closed' | 'false_alarm' | null = null;
      let handled: Date | null = null;
      let reason: string | null = null;
      if (a.open && now.getTime() - raised.getTime() > 20 * DAY) {
        const span = deadline.getTime() - raised.getTime();
        if (u < 0.65) {
          state = u < 0.55 ? 'closed' : 'false_alarm';
          handled = new Date(raised.getTime() + span * rng.uniform(0.2, 0.95));
          reason = state === 'closed' ? REASONS.close : REASONS.false_alarm;
        } else if (u < 0.85) {
          const late = new Date(deadline.getTime() + rng.int(2, 25) * DAY);
          if (late < now) [state, handled, reason] = ['closed', late, REASONS.late];
        }
      }
      if (!a.open) {
        // closed by a later run (the signal went away): left as the run recorded it
      } else if (!state) counts.open++;
      else if (handled! > deadline) counts.late++;
      else if (state === 'false_alarm') counts.falseAlarm++;
      else counts.onTime++;
      return {
        id: a.id,
        item: a.work_item_id,
        raised: raised.toISOString(),
        deadline: deadline.toISOString(),
        state,
        handled: handled?.toISOString() ?? null,
        reason,
        late: handled != null && handled > deadline,
      };
    });
    const x = JSON.stringify(plan);
    const rec = sql`jsonb_to_recordset(${x}::jsonb) as x(id bigint, item bigint, raised timestamptz,
      deadline timestamptz, state text, handled timestamptz, reason text, late boolean)`;
    await tx.execute(
      sql`update alerts a set created_at = x.raised, deadline_at = x.deadline,
            updated_at = coalesce(x.handled, greatest(a.updated_at, x.raised)),
            status = coalesce(x.state, a.status), open = a.open and x.state is null,
            closed_reason = coalesce(x.reason, a.closed_reason)
          from ${rec} where a.id = x.id`,
    );
    // the handling step in the alert's own history and as its work item's transition
    await tx.execute(
      sql`insert into alert_events (alert_id, at, kind, reason, user_id, username)
          select x.id, x.handled, case when x.state = 'false_alarm' then 'false_alarm' else 'close' end,
                 x.reason, ${actor.id}, ${actor.username}
            from ${rec} where x.state is not null`,
    );
    await backdateWorkItems(tx, 'alert', rec, actor);
    await tx.execute(
      sql`update alert_events e set at = least(e.at, e.month + interval '1 month 9 days 1 hour')
           where e.month is not null`,
    );
    return counts;
  });
}
