// The rollups' version stamp and the listeners told after a refresh in this process, apart from the rollup
// refresh itself: the answer caches keyed by it (evaluation's, chains', monitoring's own) reach it through
// relations.ts without loading the refresh, the registry's and the imports' services (issue 13: the
// `evaluate` command loaded the import pipeline and its readers for this one stamp).
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { meta } from '../../db/schema.ts';

export const ROLLUP_VERSION_KEY = 'monitoring_rollup';

/** Local listeners (the API's response cache) told after a refresh in this process. */
const listeners = new Set<() => void>();
export function onRollupsRefreshed(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells this process's listeners that the rollups changed (after the version is written). */
export function tellRollupsRefreshed(): void {
  for (const listener of listeners) listener();
}

/** The rollups' version stamp (changes with every refresh, in any process). */
export async function rollupVersion(db: Db): Promise<string> {
  const rows = await queryRows<{ v: unknown }>(
    db,
    sql`select value as v from ${meta} where key = ${ROLLUP_VERSION_KEY}`,
  );
  return rows[0] ? JSON.stringify(rows[0].v) : 'none';
}
