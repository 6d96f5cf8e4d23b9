// Handling an alert: 核实 (verify), 走访 (visit), 帮扶 (support), 关闭 (close, with a reason) or 误报
// (false alarm, with a reason) — transitions of the alert's work item (workflow.ts), which checks the state
// machine and the actor's relation and writes its event and audit row; the alert mirrors the item's state
// and keeps the step in its own history. One transaction.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { transitionWorkItem, workActor } from '../workitems/index.ts';
import type { Actor } from '../audit/index.ts';
import { alertEvents } from './repo.ts';
import { currentRuleSet } from './rules.ts';
import { visibleAlert } from './service.ts';
import { withDb } from './tx.ts';
import { ALERT_WORKFLOW, ensureAlertUnits, openAlertWorkItem } from './workflow.ts';
import type { HANDLING_STEPS } from './schemas.ts';

type Step = (typeof HANDLING_STEPS)[number];

export async function handleAlert(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  id: number,
  body: { step: Step; reason?: string },
) {
  return withDb(db, async (tx) => {
    const alert = await visibleAlert(tx, user, id);
    const wa = workActor(user, actor.ip);
    await ensureAlertUnits(tx, { ...wa, role: 'system' });
    let itemId = alert.workItemId;
    if (itemId == null) {
      // a yellow alert (or a past one recorded by a backfill) gets its work item when first acted on
      const rs = await currentRuleSet(tx);
      const item = await openAlertWorkItem(
        tx,
        wa,
        { ...alert, regionCode: alert.regionCode, createdAt: new Date(alert.createdAt) },
        rs.definition.deadlines,
      );
      itemId = item.id;
    }
    const reason = body.reason?.trim() || null;
    const item = await transitionWorkItem(tx, wa, { id: itemId, transition: body.step, reason });
    const final = ALERT_WORKFLOW.states.find((s) => s.key === item.state)?.final === true;
    await tx.execute(
      sql`update alerts set status = ${item.state}, open = ${!final}, closed_reason = ${final ? reason : null},
            deadline_at = ${item.deadlineAt}, updated_at = now() where id = ${id}`,
    );
    await tx.execute(
      sql`insert into alert_events (alert_id, kind, reason, user_id, username)
          values (${id}, ${body.step}, ${reason}, ${actor.id}, ${actor.username})`,
    );
    const after = await visibleAlert(tx, user, id);
    return { alert: after, events: await alertEvents(tx, id) };
  });
}
