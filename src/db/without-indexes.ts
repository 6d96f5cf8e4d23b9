// Bulk writes into an indexed table (issue 13): a statement that adds many rows beside the ones a table
// holds is cheaper with the table's plain indexes dropped and built once at the end than with every row
// descending into each of them. Used by the monitoring rollups' year-to-date table and the alert writer.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from './client.ts';

/**
 * Drops a table's plain indexes (not those behind a constraint) inside the caller's transaction and answers
 * the function that builds them again, from the catalogue's own definitions (whatever the migrations made
 * of them). A rollback brings them back with everything else. The price: dropping an index locks the table
 * against readers until the transaction ends (callers take it only for a bulk write, and say when).
 */
export async function withoutIndexes(tx: Db, table: string): Promise<() => Promise<void>> {
  const indexes = await queryRows<{ schema: string; name: string; def: string }>(
    tx,
    sql`select n.nspname as schema, c.relname as name, pg_get_indexdef(i.indexrelid) as def
        from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
        where i.indrelid = to_regclass(${table})
          and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`,
  );
  for (const i of indexes)
    await tx.execute(sql`drop index ${sql.identifier(i.schema)}.${sql.identifier(i.name)}`);
  // a partitioned table's index (cluster_enterprise_ytd, by year) is defined `on only` the table: built again
  // without `only`, every partition gets its part of it
  return async () => {
    for (const i of indexes) await tx.execute(sql.raw(i.def.replace(' ON ONLY ', ' ON ')));
  };
}
