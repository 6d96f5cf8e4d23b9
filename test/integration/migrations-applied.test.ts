// runMigrations skips Drizzle's migrator when the journal's newest migration is applied (src/db/client.ts
// journalApplied): the check must agree with the migrator's own rule on a new, a migrated and a
// partly migrated database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { journalApplied, queryRows, runMigrations, type Database } from '../../src/db/client.ts';
import { testDatabases } from '../helpers/databases.ts';

describe.each(testDatabases())('the migrations check ($kind)', (t) => {
  let d: Database;
  beforeAll(async () => {
    d = await t.open();
  });
  afterAll(async () => {
    await t.dispose(d);
  });

  it('is false on a new database, true once migrated, false again when the newest is not applied', async () => {
    expect(await journalApplied(d.db)).toBe(false);
    await runMigrations(d);
    expect(await journalApplied(d.db)).toBe(true);
    const count = async () =>
      (
        await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
      )[0]!.n;
    const applied = await count();
    // a second start applies nothing and records nothing
    await runMigrations(d);
    expect(await count()).toBe(applied);
    // the newest migration's record gone: the migrator's rule would apply it again, and so the check says no
    const [newest] = await queryRows<{ id: number; hash: string; created_at: string }>(
      d.db,
      sql`select id, hash, created_at::text from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    );
    await d.db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${newest!.id}`);
    expect(await journalApplied(d.db)).toBe(false);
    // put back as it was (the migration's tables are there), the check says yes again
    await d.db.execute(
      sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${newest!.hash}, ${newest!.created_at}::bigint)`,
    );
    expect(await journalApplied(d.db)).toBe(true);
  });
});
