// The automatic run (issue 21): after a monthly import that brings the newest month, the city's bulletin
// draft is queued inside the import's transaction (so it disappears if the import rolls back) and
// generated in the background afterwards — never inside the import, which must stay quick.
// CLUSTERSCOPE_BULLETIN_AUTO=0 turns it off (the test suite does).
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.ts';
import { settings } from '../../settings.ts';
import { onFactsChanged } from '../imports/index.ts';
import { cityInfo } from '../reference/index.ts';
import { kickSoon, SYSTEM_ACTOR } from './jobs.ts';
import { insertQueued } from './service.ts';

let registered = false;

/** Idempotent; called by the composition root (src/composition.ts). */
export function registerBulletinHooks(): void {
  if (registered) return;
  registered = true;
  onFactsChanged(async (tx, change) => {
    if (!settings().CLUSTERSCOPE_BULLETIN_AUTO) return;
    if (change.kind !== 'monthly' || change.action === 'rollback' || !change.months?.length) return;
    const newest = [...change.months].sort().at(-1)!;
    // the newest month on record (the monthly facts, as they stand inside this transaction)
    const [latest] = await queryRows<{ m: string | null }>(
      tx,
      sql`select to_char(max(month), 'YYYY-MM') as m from monthly_stats`,
    );
    if (latest?.m && newest < latest.m) return;
    // one draft per month and import: a correction import of the same month queues a fresh one
    await insertQueued(tx, SYSTEM_ACTOR, {
      month: newest,
      kind: 'city',
      code: null,
      name: (await cityInfo(tx)).name,
      trigger: 'auto',
      importId: change.importId ?? null,
    });
    kickSoon();
  }, 'bulletin draft');
}
