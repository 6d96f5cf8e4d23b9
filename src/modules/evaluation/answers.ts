// The 亩均 read answers computed from every firm in the reader's scope (the aggregates, the class mix over
// the years, the adjustment flags) are kept per reader's scope and data version (src/db/answer-cache.ts):
// fifty readers at once must not each sum the city's annual inputs. The version covers every input of
// those answers: the registry's change stamps (county, zone, industry, cluster membership, names), the
// monitoring stamp (bumped by every import, annual inputs and flags files included), the runs (a
// publication, a correction, a supersession), the adjustment flags themselves and the rule sets. Read at most once a
// second, so another server process's write shows within a second (1.25 s at most for a registry write: its
// stamps are one read shared by the caches, enterprises/stamps.ts); this process's own writes forget the
// answers at once (`forgetEvaluationAnswers`).
import { sql } from 'drizzle-orm';
import { answerCache } from '../../db/answer-cache.ts';
import { queryRows, type Db } from '../../db/client.ts';
import { documentsStamp } from '../documents/index.ts';
import { readRegistryStamps } from '../enterprises/relations.ts';
import { onRollupsRefreshed, rollupVersion } from '../monitoring/relations.ts';

async function dataVersion(db: Db): Promise<string> {
  const [registry, [row], rollups] = await Promise.all([
    readRegistryStamps(db),
    queryRows<{ r: string; f: string; s: string }>(
      db,
      // rule sets are only ever added (a change is a new version), so their count and newest id stamp them
      sql`select (select count(*)::text || '/' || coalesce(max(id), 0)::text from evaluation_rule_sets) as s,
            (select count(*)::text || '/' || coalesce(max(id), 0)::text || '/' ||
                    coalesce(sum(hashtext(id::text || status || coalesce(superseded_by_run_id::text, '') ||
                                          coalesce(published_at::text, ''))), 0)::text
               from evaluation_runs) as r,
            (select count(*)::text || '/' ||
                    coalesce(sum(hashtext(enterprise_id::text || ':' || year::text || ':' || flag || ':' ||
                                          updated_at::text || ':' || coalesce(evidence, ''))), 0)::text
               from evaluation_flags) as f`,
    ),
    rollupVersion(db),
  ]);
  return JSON.stringify([registry.enterprises, registry.memberships, row?.r, row?.f, row?.s, rollups]);
}

const cache = answerCache({ version: dataVersion, ttlMs: 1000, maxEntries: 1000 });
// The watch list's pages carry each firm's handling (status, owner, deadline), written far more often than
// anything above: kept apart, at the data version and the handling's own stamp, so a handling saved
// forgets the pages alone and not the results, policies and explanations beside them.
const watchPages = answerCache({
  version: async (db) => {
    const [version, [row]] = await Promise.all([
      dataVersion(db),
      queryRows<{ h: string }>(
        db,
        sql`select count(*)::text || '/' || coalesce(max(updated_at)::text, '') as h from evaluation_watch_handling`,
      ),
    ]);
    return `${version}:${row?.h}`;
  },
  ttlMs: 1000,
  maxEntries: 1000,
});
// The objection lists, their evidence-file lists and the objection ids each scope sees (for downloads):
// filed and resolved far more often than runs change, kept apart at the registry's stamps (the firm's
// name and scope), the objections' own stamp and their files' stamp, so an objection filed or resolved, or
// a file attached, forgets these alone.
const objectionLists = answerCache({
  version: async (db) => {
    const [registry, [row]] = await Promise.all([
      readRegistryStamps(db),
      queryRows<{ o: string; f: string }>(
        db,
        sql`select (select count(*)::text || '/' || coalesce(max(id), 0)::text || '/' ||
                    coalesce(sum(hashtext(id::text || status || coalesce(resolved_at::text, ''))), 0)::text
               from evaluation_objections) as o, ${documentsStamp('evaluation_objection')} as f`,
      ),
    ]);
    return JSON.stringify([registry.enterprises, registry.memberships, row?.o, row?.f]);
  },
  ttlMs: 1000,
  maxEntries: 1000,
});
onRollupsRefreshed(() => {
  cache.forget();
  watchPages.forget();
});

/** Forgets the kept answers of this process: called by each evaluation write (runs, flags, rule sets). */
export function forgetEvaluationAnswers(): void {
  cache.forget();
  watchPages.forget();
}

/** Forgets the kept watch-list pages of this process: called by each handling saved here. */
export function forgetWatchPages(): void {
  watchPages.forget();
}

/** Forgets the kept objection lists of this process: called by each objection filed or resolved, or file attached, here. */
export function forgetObjectionLists(): void {
  objectionLists.forget();
}

/** An objection list (or its files, or the objection ids a scope sees), kept per query and scope. */
export function objectionListAnswer<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  return objectionLists.answer(db, key, compute);
}

/** A watch-list page (with each firm's handling), kept per year, county, page and scope. */
export function watchPageAnswer<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  return watchPages.answer(db, key, compute);
}

/**
 * The kept answer for `key` (route inputs and the reader's scope) at the current data version, or
 * `compute()` once for every reader asking meanwhile. What it computes already has the scope inside its
 * SQL: a reader only ever gets sums over firms it may see.
 */
export function evaluationAnswer<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  return cache.answer(db, key, compute);
}
