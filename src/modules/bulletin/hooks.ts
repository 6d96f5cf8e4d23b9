// The automatic run (issue 21): after a monthly import that brings the newest month, a draft for the
// city, for each county and for each cluster (each scope kind the template has a title and sections for)
// is queued inside the import's transaction — one INSERT … SELECT over the counties and clusters and one
// audit row, so it disappears if the import rolls back and costs the import two statements — and
// generated in the background afterwards, one job at a time, never inside the import.
// CLUSTERSCOPE_BULLETIN_AUTO=0 turns it off (the test suite does).
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.ts';
import { settings } from '../../settings.ts';
import { monthlyFactRows, onFactsChanged } from '../imports/index.ts';
import { cityInfo } from '../reference/index.ts';
import { SCOPE_KINDS, sectionsFor, type BulletinTemplate } from '../../domain/bulletin/index.ts';
import { writeAudit } from '../audit/index.ts';
import { kickSoon, SYSTEM_ACTOR } from './jobs.ts';
import { bulletinTemplate } from './template.ts';

/** The scope kinds the template makes bulletins of: a title and at least one section. */
export function autoScopeKinds(t: BulletinTemplate): string[] {
  return SCOPE_KINDS.filter((k) => t.title[k] && sectionsFor(t, k).length > 0);
}

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
      sql`select to_char(max(f.month), 'YYYY-MM') as m from ${monthlyFactRows()} f`,
    );
    if (latest?.m && newest < latest.m) return;
    // one draft per scope, month and import: a correction import of the same month queues fresh ones
    const kinds = autoScopeKinds(await bulletinTemplate());
    const importId = change.importId ?? null;
    const queued = await queryRows<{ id: number | string; scope_kind: string; scope_code: string | null }>(
      tx,
      sql`insert into bulletins (month, scope_kind, scope_code, scope_name, status, job, trigger, import_id,
                                 created_by, created_by_name)
          select ${newest}, s.kind, s.code, s.name, 'pending', 'queued', 'auto', ${importId}, null,
                 ${SYSTEM_ACTOR.username}
            from (select 'city' as kind, null::text as code, ${(await cityInfo(tx)).name}::text as name, 0 as ord
                  union all
                  select 'county', code, name, 1 from regions where level = 'county'
                  union all
                  select 'cluster', code, name, 2 from clusters) s
           where s.kind = any(${sql.param(kinds)}::text[])
           order by s.ord, s.code
          returning id, scope_kind, scope_code`,
    );
    if (!queued.length) return;
    await writeAudit(tx, SYSTEM_ACTOR, {
      action: 'bulletin.request',
      entity: 'bulletin',
      entityId: Number(queued[0]!.id),
      after: {
        month: newest,
        trigger: 'auto',
        importId,
        bulletins: queued.map((q) => ({
          id: Number(q.id),
          scopeKind: q.scope_kind,
          scopeCode: q.scope_code,
        })),
      },
    });
    kickSoon();
  }, 'bulletin draft');
}
