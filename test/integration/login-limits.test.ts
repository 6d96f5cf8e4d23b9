// Login limits (issue 12, item 4): parallel wrong passwords are counted atomically (no more than the
// limit are ever checked), limits are per (username, address) and per address so the owner gets in
// from an address that has not failed, and guessing one name from many addresses is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { auditLog } from '../../src/db/schema.ts';
import { LOGIN_MAX_FAILURES } from '../../src/modules/auth/login-limits.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture } from '../helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';

describe.each(testDatabases())('login limits on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await seedFixture(d);
    app = await testApp(d);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const login = (username: string, password: string, ip: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress: ip,
    });

  it('checks no more than the limit of 60 simultaneous wrong passwords, and lets the owner in from elsewhere', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => login('fx_nanhu', 'wrong-password-1', '203.0.113.7')),
    );
    const codes = answers.map((a) => a.statusCode);
    // at most the limit were checked (simultaneous attempts may all see each other and all be refused)
    const checked = codes.filter((c) => c === 401).length;
    expect(checked).toBeLessThanOrEqual(LOGIN_MAX_FAILURES);
    expect(codes.filter((c) => c === 429)).toHaveLength(60 - checked);
    // the guessing address stays shut, even with the right password …
    expect((await login('fx_nanhu', PASSWORD, '203.0.113.7')).statusCode).toBe(429);
    // … but the officer at their own desk gets in
    expect((await login('fx_nanhu', PASSWORD, '198.51.100.20')).statusCode).toBe(200);
  });

  it('limits an address across usernames', async () => {
    const ip = '203.0.113.8';
    for (let i = 0; i < LOGIN_MAX_FAILURES * 4; i++)
      expect((await login(`nobody${i}`, 'wrong-password-1', ip)).statusCode).toBe(401);
    expect((await login('fx_analyst', PASSWORD, ip)).statusCode).toBe(429);
  });

  it('reports guessing one name from many addresses in the audit log, once, and still lets the owner in', async () => {
    for (let i = 0; i < LOGIN_MAX_FAILURES * 4 + 3; i++)
      expect((await login('fx_tongxiang', 'wrong-password-1', `192.0.2.${i + 1}`)).statusCode).toBe(401);
    const alerts = await d.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'login.distributed-guessing'), eq(auditLog.entityId, 'fx_tongxiang')));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.after).toMatchObject({ failures: LOGIN_MAX_FAILURES * 4 });
    expect((await login('fx_tongxiang', PASSWORD, '198.51.100.21')).statusCode).toBe(200);
  });
});
