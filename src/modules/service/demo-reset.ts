// The demo's re-run replaces every alert (src/modules/alerts/demo.ts), so the requests the platform filed
// from the previous run's alerts (channel 'alert', alert_id set) name alerts, and often firms, that are gone:
// left in place they would be counted beside the new run's requests and the totals would grow with each
// re-run. They go with their work items, history and files; audit rows stay (history is never rewritten).
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { removeDocumentsWhere } from '../documents/index.ts';
import { removeWorkItemsWhere } from '../workitems/index.ts';

/** Removes every request filed from an alert, set-based; for the demo's re-run only. */
export async function clearAlertRequests(tx: Db): Promise<void> {
  const fromAlerts = sql`select r.id from service_requests r where r.alert_id is not null`;
  await removeWorkItemsWhere(
    tx,
    'service_request',
    (subjectId) => sql`${subjectId} in (select id::text from (${fromAlerts}) a)`,
  );
  await removeDocumentsWhere(tx, 'service_request', (ownerId) => sql`${ownerId} in (${fromAlerts})`);
  await tx.execute(sql`delete from service_requests where alert_id is not null`);
}
