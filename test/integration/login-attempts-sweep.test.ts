// Old login attempts are forgotten (issue 12): recording an attempt deletes, in one statement, the
// attempts older than the retention (two login windows), and keeps the recent ones the limits count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { loginAttempts } from '../../src/db/schema.ts';
import { LOGIN_ATTEMPT_RETENTION_MINUTES, reserveAttempt } from '../../src/modules/auth/login-limits.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

describe.each(testDatabases())('login attempts sweep on $kind', (t) => {
  let d: Database;
  beforeAll(async () => {
    d = await openReadyDatabase(t);
  }, 120_000);
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  it('deletes attempts past the retention as a new one is recorded, keeping the recent ones', async () => {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    await d.db.insert(loginAttempts).values([
      { username: 'old1', ip: '10.0.0.1', at: ago(60 * 24 * 30) },
      { username: 'old2', ip: '10.0.0.2', at: ago(LOGIN_ATTEMPT_RETENTION_MINUTES + 1) },
      { username: 'recent', ip: '10.0.0.3', at: ago(LOGIN_ATTEMPT_RETENTION_MINUTES - 5) },
    ]);
    await reserveAttempt(d.db, 'someone', '10.0.0.9');
    const left = await queryRows<{ username: string }>(
      d.db,
      sql`select username from login_attempts order by username`,
    );
    expect(left.map((r) => r.username)).toEqual(['recent', 'someone']);
  });
});
