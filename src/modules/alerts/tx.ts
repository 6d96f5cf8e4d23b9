import type { Db } from '../../db/client.ts';

/** One transaction around a write (evaluation, handling): all of it, audit included, or nothing. */
export function withDb<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Db));
}
