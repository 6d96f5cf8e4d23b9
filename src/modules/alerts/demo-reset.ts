// What the previous demo run's alerts left outside the alert tables: the handling work items of the alerts
// (kind 'alert') and the service requests filed from red and orange alerts. The re-run deletes every alert,
// so both would point at nothing and the boards would count them beside the new run's (issue 17, demo
// believability): they go first, in the re-run's transaction.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { clearAlertRequests } from '../service/index.ts';
import { removeWorkItemsWhere } from '../workitems/index.ts';

export async function clearPreviousAlertTrail(tx: Db): Promise<void> {
  // every alert goes, so every alert's work item goes (those an earlier re-run left too)
  await removeWorkItemsWhere(tx, 'alert', () => sql`true`);
  await clearAlertRequests(tx);
}
