// Removing work items wholesale, for the demo's re-run only (regenerated data: the subjects are gone).
// Set-based: the subjects are picked by a SQL condition on work_items.subject_id, never a list of ids.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

/** Deletes the work items of `kind` whose subject the condition picks, with their events and parties. */
export async function removeWorkItemsWhere(
  tx: Db,
  kind: string,
  subject: (subjectId: SQL) => SQL,
): Promise<void> {
  const picked = sql`select w.id from work_items w where w.kind = ${kind} and ${subject(sql.raw('w.subject_id'))}`;
  await tx.execute(sql`delete from work_item_events where work_item_id in (${picked})`);
  await tx.execute(sql`delete from work_item_parties where work_item_id in (${picked})`);
  await tx.execute(sql`delete from work_items where id in (${picked})`);
}
