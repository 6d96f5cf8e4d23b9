// The chain reads (atlas, gaps, quadrants, roadmap, a node's firms) are computed from every firm on the
// chain and a year of their facts: about a second each on city data. Fifty readers at once must not each
// recompute, so the answers are kept per database, per reader's scope and per data version, in memory
// (a GET writes nothing). The data version is read from the database, so a second server process
// sees another's writes: the chains' own stamp (structure edits, syncs, placement, people's decisions),
// the registry's change stamps and the monitoring rollups' stamp (every import of facts). It is read at
// most once per VERSION_TTL_MS, so another process's write shows within that time (plus 250 ms for a
// registry write: its stamps are one read shared by the caches, enterprises/stamps.ts); this process's own
// writes forget the answers at once.
import { sql } from 'drizzle-orm';
import { answerCache } from '../../db/answer-cache.ts';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { meta } from '../../db/schema.ts';
import { readRegistryStamps } from '../enterprises/index.ts';
import { onRollupsRefreshed, rollupVersion } from '../monitoring/index.ts';

export { keptBytes, keptJson } from '../../db/answer-cache.ts';

const CHAINS_VERSION_KEY = 'chains_version';
/** How long a read version is trusted before it is read again (as monitoring's answer cache). */
export const VERSION_TTL_MS = 1000;

async function dataVersion(db: Db): Promise<string> {
  const [registry, [row], rollups] = await Promise.all([
    readRegistryStamps(db),
    queryRows<{ c: string | null }>(
      db,
      sql`select (select value::text from ${meta} where key = ${CHAINS_VERSION_KEY}) as c`,
    ),
    rollupVersion(db),
  ]);
  return JSON.stringify([row?.c ?? null, registry.enterprises, registry.memberships, rollups]);
}

const cache = answerCache({ version: dataVersion, ttlMs: VERSION_TTL_MS, maxEntries: 1000 });

/** Forgets every kept answer of this process (its own write, or a rollup refresh it ran). */
export function forgetChainAnswers(): void {
  cache.forget();
}
onRollupsRefreshed(forgetChainAnswers);

/**
 * Marks every kept chain answer stale, in this process and (through the stamp, inside the caller's
 * transaction) in every other: called by each write that changes what the chain reads compute from.
 */
export async function bumpChainsVersion(tx: Db): Promise<void> {
  const value = { at: new Date().toISOString(), nonce: Math.random().toString(36).slice(2) };
  await tx
    .insert(meta)
    .values({ key: CHAINS_VERSION_KEY, value })
    .onConflictDoUpdate({ target: meta.key, set: { value } });
  forgetChainAnswers();
}

/**
 * The kept answer for `key` at the current data version, or `compute()` once for every reader
 * asking at the same time. The key must name every input of the answer: route inputs and the
 * reader's scope.
 */
export function chainAnswer<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  return cache.answer(db, key, compute);
}

// Pages of a kept answer, kept beside it (a page's object is the key under which keptBytes keeps its bytes,
// so a page is sliced and encoded once per data version, not per request). At most MAX_PAGES per answer: a
// reader asking ever other page sizes clears them rather than growing the process.
const MAX_PAGES = 100;
const pagesOf = new WeakMap<object, Map<string, object>>();

/** The page `key` of the kept answer `whole`, made once by `make` while `whole` is kept. */
export function keptPage<P extends object>(whole: object, key: string, make: () => P): P {
  let pages = pagesOf.get(whole);
  if (!pages) pagesOf.set(whole, (pages = new Map()));
  let page = pages.get(key) as P | undefined;
  if (!page) {
    if (pages.size >= MAX_PAGES) pages.clear();
    pages.set(key, (page = make()));
  }
  return page;
}
