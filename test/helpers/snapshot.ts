// Every row of every table, hashed: what a request that must write nothing (a refusal, any GET) must
// leave exactly as it was.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/client.ts';

export async function databaseSnapshot(db: Db): Promise<string> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const counts = await queryRows<{ name: string; n: number; h: string }>(
    db,
    sql.raw(
      tables
        .map(
          (t) =>
            `select '${t.name}' as name, count(*)::int as n, coalesce(md5(string_agg(md5(x::text), '' order by md5(x::text))), '') as h from "${t.name}" x`,
        )
        .join(' union all '),
    ),
  );
  return JSON.stringify(counts);
}

/** The tables whose rows differ between two snapshots. */
export function changedTables(before: string, after: string): string[] {
  const b = new Map((JSON.parse(before) as { name: string; h: string }[]).map((r) => [r.name, r.h]));
  return (JSON.parse(after) as { name: string; h: string }[])
    .filter((r) => b.get(r.name) !== r.h)
    .map((r) => r.name);
}
