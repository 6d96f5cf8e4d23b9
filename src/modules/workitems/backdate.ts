// Back-dates work items and records their handling, set-based, for a capability's demo history (alerts'
// 预警按时处置率): the capability computes the plan, this module owns the rows (issue 11). Demo only.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../audit/index.ts';

/**
 * `plan` is a relation aliased `x` with columns item (work item id), raised, deadline (timestamptz), state
 * ('closed' | 'false_alarm' | null: still open), handled (timestamptz | null), reason (text | null), late
 * (boolean): each item is dated as received at `raised` with that deadline, and a handled one gets its closing
 * transition. The items' "created" events of `kind` take the item's new creation time. One statement each.
 */
export async function backdateWorkItems(tx: Db, kind: string, plan: SQL, actor: Actor): Promise<void> {
  await tx.execute(
    sql`insert into work_item_events (work_item_id, at, type, transition, from_state, to_state, actor_user_id,
          actor_username, reason)
        select x.item, x.handled, 'transition', case when x.state = 'false_alarm' then 'false_alarm' else 'close' end,
               w.state, x.state, ${actor.id}, ${actor.username}, x.reason
          from ${plan} join work_items w on w.id = x.item where x.state is not null`,
  );
  await tx.execute(
    sql`update work_items w set created_at = x.raised, clock_started_at = x.raised, deadline_at = x.deadline,
          state = coalesce(x.state, w.state), closed_at = coalesce(x.handled, w.closed_at),
          close_reason = coalesce(x.reason, w.close_reason), ever_overdue = w.ever_overdue or x.late,
          remind_at = case when x.state is null then w.remind_at end,
          urge_at = case when x.state is null then w.urge_at end,
          escalate_at = case when x.state is null then w.escalate_at end,
          updated_at = coalesce(x.handled, x.raised)
        from ${plan} where w.id = x.item`,
  );
  await tx.execute(
    sql`update work_item_events e set at = w.created_at from work_items w
         where e.work_item_id = w.id and w.kind = ${kind} and e.type = 'created'`,
  );
}
