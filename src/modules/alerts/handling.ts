// Handling an alert: 核实 (verify), 走访 (visit), 帮扶 (support), 关闭 (close, with a reason) or 误报
// (false alarm, with a reason). Each step is an event of the alert's history and an audit row, in one
// transaction.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { badRequest, conflict } from '../../server/errors.ts';
import { writeAudit, type Actor } from '../audit/service.ts';
import { alertEvents } from './repo.ts';
import { visibleAlert } from './service.ts';
import { withDb } from './tx.ts';
import type { ALERT_STATUSES, HANDLING_STEPS } from './schemas.ts';

type Status = (typeof ALERT_STATUSES)[number];
type Step = (typeof HANDLING_STEPS)[number];

/** The handling steps as data: where each may be taken from, where it leads, whether it needs a reason. */
export const STEPS: Record<Step, { from: readonly Status[]; to: Status; reason: boolean; zh: string }> = {
  verify: { from: ['open'], to: 'verifying', reason: false, zh: '核实' },
  visit: { from: ['open', 'verifying'], to: 'visited', reason: false, zh: '走访' },
  support: { from: ['open', 'verifying', 'visited'], to: 'supporting', reason: false, zh: '帮扶' },
  close: { from: ['open', 'verifying', 'visited', 'supporting'], to: 'closed', reason: true, zh: '关闭' },
  false_alarm: {
    from: ['open', 'verifying', 'visited', 'supporting'],
    to: 'false_alarm',
    reason: true,
    zh: '误报',
  },
};

export async function handleAlert(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  id: number,
  body: { step: Step; reason?: string },
) {
  return withDb(db, async (tx) => {
    const alert = await visibleAlert(tx, user, id);
    const step = STEPS[body.step];
    if (!step.from.includes(alert.status))
      throw conflict(
        `An alert in status ${alert.status} cannot take the step ${body.step}.`,
        `当前状态下不能执行“${step.zh}”。`,
      );
    const reason = body.reason?.trim() || null;
    if (step.reason && !reason)
      throw badRequest(`The step ${body.step} needs a reason.`, `“${step.zh}”须填写理由。`, [
        { field: 'reason', message: 'required', messageZh: '必填' },
      ]);
    const closing = step.to === 'closed' || step.to === 'false_alarm';
    await tx.execute(
      sql`update alerts set status = ${step.to}, open = ${!closing}, closed_reason = ${closing ? reason : null},
            updated_at = now() where id = ${id}`,
    );
    await tx.execute(
      sql`insert into alert_events (alert_id, kind, reason, user_id, username)
          values (${id}, ${body.step}, ${reason}, ${actor.id}, ${actor.username})`,
    );
    await writeAudit(tx, actor, {
      action: `alerts.${body.step}`,
      entity: 'alert',
      entityId: id,
      before: { status: alert.status },
      after: { status: step.to, reason },
    });
    const after = await visibleAlert(tx, user, id);
    return { alert: after, events: await alertEvents(tx, id) };
  });
}
