// The registry list is kept per scope, filters and page at the registry's data version (issue 13: p95 at
// 50 connections). A kept answer must never outlive what it shows: this process's writes (registry edits,
// tiers another capability records) show at once; a write the process did not make (another server
// process, here a plain SQL write) shows once the version is read again (at most a second later).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { readRegistryStamps, recordTiers } from '../../src/modules/enterprises/index.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import type { EnterpriseList } from '../../src/modules/enterprises/schemas.ts';

describe.each(testDatabases())('kept registry lists on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    app = await testApp(d);
    for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const list = async (url: string, who: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
    expect(res.statusCode).toBe(200);
    return json<EnterpriseList>(res);
  };
  const row = async (id: number, who = 'admin') =>
    (await list('/api/enterprises?pageSize=200', who)).items.find((r) => r.id === id);

  it('answers each scope its own firms, kept or not', async () => {
    const admin = await list('/api/enterprises?pageSize=200', 'admin');
    const nanhu = await list('/api/enterprises?pageSize=200', 'nanhu');
    // asked again: the kept answers, still each reader's own
    expect(await list('/api/enterprises?pageSize=200', 'admin')).toEqual(admin);
    expect(await list('/api/enterprises?pageSize=200', 'nanhu')).toEqual(nanhu);
    expect(nanhu.total).toBeLessThan(admin.total);
    expect(nanhu.items.every((r) => r.regionCode === '330402')).toBe(true);
    // another page and another sort are other answers
    const second = await list('/api/enterprises?pageSize=1&page=2', 'admin');
    expect(second.items[0]?.id).toBe(admin.items[1]?.id);
  });

  it("shows this process's registry edits at once", async () => {
    expect((await row(fx.ids.nanhuOther))?.scale).toBe('below');
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/enterprises/${fx.ids.nanhuOther}`,
      headers: { cookie: cookies.nanhu! },
      payload: { scale: 'above', name: '南湖改名测试有限公司' },
    });
    expect(res.statusCode).toBe(200);
    const after = await row(fx.ids.nanhuOther);
    expect(after).toMatchObject({ scale: 'above', name: '南湖改名测试有限公司' });
    expect((await row(fx.ids.nanhuOther, 'nanhu'))?.name).toBe('南湖改名测试有限公司');
  });

  it('shows a tier another capability records at once', async () => {
    expect((await row(fx.ids.pinghuChem))?.tiers).not.toContain('little_giant');
    await d.db.transaction(async (tx) => {
      await recordTiers(tx as never, [
        {
          enterpriseId: fx.ids.pinghuChem,
          tier: 'little_giant',
          year: 2025,
          level: 'national',
          source: 'test',
        },
      ]);
    });
    expect((await row(fx.ids.pinghuChem))?.tiers).toContain('little_giant');
  });

  it("reads the registry's stamps once for every cache while the read is recent, and anew after a write here", async () => {
    const first = readRegistryStamps(d.db);
    // every cache asking meanwhile shares the read under way
    expect(readRegistryStamps(d.db)).toBe(first);
    const before = await first;
    expect(readRegistryStamps(d.db)).toBe(first);
    // a registry edit of this process: the next asker reads again, and sees it
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/enterprises/${fx.ids.nanhuOther}`,
      headers: { cookie: cookies.nanhu! },
      payload: { name: '南湖共享戳测试有限公司' },
    });
    expect(res.statusCode).toBe(200);
    const afterEdit = readRegistryStamps(d.db);
    expect(afterEdit).not.toBe(first);
    expect((await afterEdit).enterprises).not.toBe(before.enterprises);
    // a write made elsewhere (plain SQL) shows once the shared read is older than 250 ms
    await d.db.execute(
      sql`update enterprises set name = '南湖另一进程改名有限公司', updated_at = now() where id = ${fx.ids.nanhuOther}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await readRegistryStamps(d.db)).enterprises).not.toBe((await afterEdit).enterprises);
  });

  it('shows a write this process did not make once the version is read again', async () => {
    const before = await list('/api/enterprises?pageSize=200', 'analyst');
    // as another server process would: straight to the database, nothing in this process is told
    await d.db.execute(
      sql`update enterprises set name = '另一进程改名有限公司', updated_at = now() where id = ${fx.ids.tongxiangTextile}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const after = await list('/api/enterprises?pageSize=200', 'analyst');
    expect(after.total).toBe(before.total);
    expect(after.items.find((r) => r.id === fx.ids.tongxiangTextile)?.name).toBe('另一进程改名有限公司');
  });
});
