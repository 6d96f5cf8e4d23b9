// The registry's change stamps (relations.ts registryChangeStamps) read once for every kept-answer cache that
// depends on them: the enterprise lists, the 亩均 answers, the objection lists and the chain answers each read
// them to learn whether their answers still hold, every half second while they are in use. At province scale
// (220,000 firms) one read costs ≈ 38 ms of database CPU (counting the firms and memberships), and six caches
// each reading them was a good part of the database's work on a busy read path (issue 13).
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { registryChangeStamps } from './relations.ts';

export interface RegistryStamps {
  enterprises: string;
  memberships: string;
  tiers: string;
}

/**
 * How long a read of the stamps answers later askers too, counted from the read's start. The caches trust a
 * version for their ttl (1 s) and read it again after half of it; this adds at most this much to how late
 * another process's write shows. This process's registry writes start a new read at once (registryWritten).
 */
const SHARED_MS = 250;

interface Shared {
  startedAt: number;
  generation: number;
  read: Promise<RegistryStamps>;
}
const shared = new WeakMap<Db, Shared>();
let generation = 0;
/** Stamp reads made, for the reads bench's trace (BENCH_READS_TRACE). */
export const stampCounts = { reads: 0 };

/** The registry's change stamps on `db`: one read shared by every asker while it is under way or recent. */
export function readRegistryStamps(db: Db): Promise<RegistryStamps> {
  const now = Date.now();
  const last = shared.get(db);
  if (last && last.generation === generation && now - last.startedAt < SHARED_MS) return last.read;
  const stamps = registryChangeStamps();
  stampCounts.reads++;
  const read = queryRows<{ e: string; m: string; t: string }>(
    db,
    sql`select ${stamps.enterprises} as e, ${stamps.memberships} as m, ${stamps.tiers} as t`,
  ).then(([row]) => ({ enterprises: row!.e, memberships: row!.m, tiers: row!.t }));
  const entry: Shared = { startedAt: now, generation, read };
  shared.set(db, entry);
  // a failed read is not shared: the next asker reads again
  read.catch(() => {
    if (shared.get(db) === entry) shared.delete(db);
  });
  return read;
}

/** A registry write of this process (inside or after its transaction): no read from before it is shared on. */
export function registryWritten(): void {
  generation++;
}
