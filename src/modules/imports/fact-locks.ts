// Commits and rollbacks that touch the same facts run one after the other. Without this, two commits
// of the same months at once (READ COMMITTED) each recorded in history the values standing before
// either began, the later one then overwrote the earlier one's rows: its history named the wrong
// import, rolling back the earlier one failed on a duplicate key, and rolling back the later one
// brought back values from before both — the earlier import's data vanished while it still said
// committed. A transaction-scoped advisory lock per fact kind, taken before anything is read, makes
// every commit see the one before it complete; locks are always taken in the order of FACT_KINDS (a
// registry commit also holds the registry against a rollback deleting firms its facts use), so two
// transactions can never wait on each other. On PGlite (one session) the lock is granted at once.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { ImportKind } from '../../domain/imports/columns.ts';

/** The order locks are taken in: the registry first, as a commit of facts depends on it. */
export const FACT_KINDS: readonly ImportKind[] = ['enterprises', 'monthly', 'annual', 'tiers', 'flags'];

/** An arbitrary constant naming clusterscope's import locks in PostgreSQL's advisory-lock space. */
const LOCK_CLASS = 0x63730001;

/**
 * Locks the given fact kinds (and the registry) until the transaction ends, in FACT_KINDS order.
 * Taking a lock the transaction already holds again is harmless.
 */
export async function lockFacts(tx: Db, kinds: Iterable<ImportKind> | 'all'): Promise<void> {
  const wanted = kinds === 'all' ? new Set(FACT_KINDS) : new Set<ImportKind>(['enterprises', ...kinds]);
  for (const [i, kind] of FACT_KINDS.entries()) {
    if (wanted.has(kind)) await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_CLASS}, ${i})`);
  }
}
