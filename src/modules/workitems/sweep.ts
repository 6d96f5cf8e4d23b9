// The escalation sweep: one set-based statement raises the level of every open, timed item whose marks
// have passed (reminder → overdue → 催办 → 督办) and writes one history event per raised item, then one
// audit row for the sweep. The rule is `levelAt` of src/domain/workitems, stated in SQL. Levels only climb;
// a new deadline (a transition, an extension) resets them through the service.
import { settings } from '../../settings.ts';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { writeAudit } from '../audit/index.ts';
import { SYSTEM_ACTOR, type WorkActor } from './actor.ts';
import { LEVELS } from '../../domain/workitems/index.ts';

export interface SweepResult {
  raised: number;
  /** items that reached each level in this sweep */
  byLevel: Record<(typeof LEVELS)[number], number>;
  ids: number[];
}

export async function sweepEscalations(
  db: Db,
  now: Date = new Date(),
  actor: WorkActor = SYSTEM_ACTOR,
  kind?: string,
): Promise<SweepResult> {
  return db.transaction(async (tx) => {
    const at = now.toISOString();
    const rows = await queryRows<{ id: number | string; level: number }>(
      tx as Db,
      sql`with due as (
            select w.id, w.level as old_level,
                   case when ${at}::timestamptz >= w.escalate_at then 4
                        when ${at}::timestamptz >= w.urge_at then 3
                        when ${at}::timestamptz > w.deadline_at then 2
                        when ${at}::timestamptz >= w.remind_at then 1
                        else 0 end as new_level
              from work_items w
             where w.timed and w.closed_at is null and w.remind_at <= ${at}::timestamptz
               ${kind ? sql`and w.kind = ${kind}` : sql``}
          ), raised as (
            update work_items w
               set level = d.new_level,
                   ever_overdue = w.ever_overdue or d.new_level >= 2,
                   updated_at = ${at}::timestamptz
              from due d
             where w.id = d.id and d.new_level > w.level
         returning w.id, d.old_level, d.new_level
          )
          insert into work_item_events (work_item_id, at, type, level, actor_user_id, actor_username, data)
          select id, ${at}::timestamptz, 'level', new_level, ${actor.id}::bigint, ${actor.username},
                 jsonb_build_object('from', old_level)
            from raised
       returning work_item_id as id, level`,
    );
    const byLevel = Object.fromEntries(LEVELS.map((l) => [l, 0])) as SweepResult['byLevel'];
    for (const r of rows) byLevel[LEVELS[Number(r.level)]!]++;
    const ids = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    if (ids.length)
      await writeAudit(tx as Db, actor, {
        action: 'workitem.sweep',
        entity: 'work_item',
        after: { at, byLevel, ids },
      });
    return { raised: ids.length, byLevel, ids };
  });
}

/** Sweeps now and every few minutes (CLUSTERSCOPE_WORKITEM_SWEEP_MINUTES, default 5; 0 = off); unref'd. */
export function startEscalationSweeper(
  db: Db,
  onError: (error: unknown) => void,
  everyMs = settings().CLUSTERSCOPE_WORKITEM_SWEEP_MINUTES * 60_000,
): { first: Promise<SweepResult | null>; stop: () => void } {
  const run = () => sweepEscalations(db).catch((error: unknown) => (onError(error), null));
  if (!(everyMs > 0)) return { first: Promise.resolve(null), stop: () => {} };
  const first = run();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return { first, stop: () => clearInterval(timer) };
}
