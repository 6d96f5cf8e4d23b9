// Planner and memory settings for a few statements of a transaction, put back after them.
import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { queryRows, textArray } from './client.ts';

/**
 * Sets `settings` until `restore` (inside the caller's transaction: an error aborts it anyway, nothing to
 * restore then); answers the function that puts the previous values back. One statement each way, not one
 * per setting: during an import the alert evaluation runs beside the rollups, and every round trip may wait
 * for its turn of the event loop before the next statement is sent.
 */
export async function setLocal(tx: Db, settings: Record<string, string>): Promise<() => Promise<void>> {
  const names = Object.keys(settings);
  // (each setting is read in the subquery before the outer select changes it)
  const prev = await queryRows<{ name: string; v: string }>(
    tx,
    sql`select s.name, s.v, set_config(s.name, n.value, true)
        from (select name, current_setting(name) as v from unnest(${textArray(names)}) as name offset 0) s
        join unnest(${textArray(names)}, ${textArray(Object.values(settings))}) as n(name, value) on n.name = s.name`,
  );
  return async () => {
    await tx.execute(
      sql`select set_config(name, v, true)
          from unnest(${textArray(prev.map((p) => p.name))}, ${textArray(prev.map((p) => p.v))}) as p(name, v)`,
    );
  };
}
