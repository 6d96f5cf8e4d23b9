// The service requests export reads the pool by keyset on the work items' deadline index (issue: it read 200
// a page by offset and counted the pool again for each page): on some hundreds of requests — deadlines tied,
// some to the microsecond, some without — every request is in it once, in the list's order (deadline first,
// none last, then id), read with no offset and no count per page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import type { Database, Db } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { users } from '../../src/db/schema.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { loginCookie, testApp } from '../helpers/app.ts';
import { scopeOf } from '../../src/domain/policy/index.ts';
import type { AuthedUser } from '../../src/server/auth-context.ts';
import { ensureServiceUnits } from '../../src/modules/service/units.ts';
import { fileRequestsForAlerts } from '../../src/modules/service/index.ts';
import { visibilityOf } from '../../src/modules/service/access.ts';
import { exportRequestsXlsx } from '../../src/modules/service/export.ts';

const REQUESTS = 730;

describe.each(testDatabases())('the service requests export on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  let admin: AuthedUser;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    await ensureServiceUnits(d.db, { id: null, username: 'fixture' });
    const firms = Object.values(fx.ids);
    await fileRequestsForAlerts(
      d.db,
      Array.from({ length: REQUESTS }, (_, i) => ({
        enterpriseId: firms[i % firms.length]!,
        alertId: 1_000_000 + i,
        title: `批量诉求 ${i}`,
        description: '测试',
        level: i % 3 === 0 ? ('red' as const) : ('orange' as const),
      })),
    );
    // deadlines tied in groups (some a microsecond apart, which a Date cursor would round), some none
    await d.db.execute(sql`
      update work_items set deadline_at = case
          when id % 9 = 0 then null
          when id % 9 in (1, 2) then '2026-12-01 09:00:00.123456+08'::timestamptz
          when id % 9 = 3 then '2026-12-01 09:00:00.123457+08'::timestamptz
          else '2026-11-20 17:30:00+08'::timestamptz + (id % 7) * interval '1 hour'
        end
      where kind = 'service_request'`);
    app = await testApp(d);
    const [row] = await d.db.select().from(users).where(eq(users.username, fx.users.admin!.username));
    const base = {
      id: row!.id,
      username: row!.username,
      displayName: row!.username,
      role: row!.role as AuthedUser['role'],
      regionCode: row!.regionCode,
      regionName: null,
      clusterCode: row!.clusterCode,
      enterpriseId: row!.enterpriseId,
    };
    admin = { ...base, scope: scopeOf(base), sessionTokenHash: '' };
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const codesOf = async (xlsx: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as never);
    const ws = wb.getWorksheet('诉求清单')!;
    const out: string[] = [];
    ws.eachRow((r, n) => {
      if (n > 1) out.push(String(r.getCell(1).value));
    });
    return out;
  };

  it('has every request once, in the list order (deadline, none last, then id)', async () => {
    const expected = (
      await queryRows<{ code: string }>(
        d.db,
        sql`select r.code from service_requests r
              join work_items w on w.kind = 'service_request' and w.subject_id = r.id::text
             order by w.deadline_at asc nulls last, w.id`,
      )
    ).map((r) => r.code);
    expect(expected.length).toBeGreaterThanOrEqual(REQUESTS);
    const res = await app.inject({
      url: '/api/service/requests/export.xlsx',
      headers: { cookie: await loginCookie(app, fx.users.admin!.username) },
    });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const codes = await codesOf(res.rawPayload);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(expected);
    // the list's first page is the export's beginning (the same order)
    const list = await app.inject({
      url: '/api/service/requests?page=1&pageSize=100',
      headers: { cookie: await loginCookie(app, fx.users.admin!.username) },
    });
    expect((JSON.parse(list.body) as { items: { code: string }[] }).items.map((i) => i.code)).toEqual(
      expected.slice(0, 100),
    );
  }, 120_000);

  it('says so under the last row when the list is cut at its limit', async () => {
    const v = await visibilityOf(d.db, admin);
    const cut = await exportRequestsXlsx(
      d.db,
      v,
      {} as never,
      { from: '2026-01', to: '2026-12' },
      undefined,
      100,
    );
    const rows = await codesOf(cut);
    expect(rows).toHaveLength(101);
    expect(rows[100]).toMatch(/^仅导出前 100 条诉求，请缩小筛选范围后再导出。Only the first 100 requests/);
    const whole = await codesOf(
      await exportRequestsXlsx(d.db, v, {} as never, { from: '2026-01', to: '2026-12' }, undefined, 100_000),
    );
    expect(whole.some((c) => c.startsWith('仅导出前'))).toBe(false);
    expect(rows.slice(0, 100)).toEqual(whole.slice(0, 100));
  }, 120_000);

  it('reads the pool by keyset: no offset, no count, a few statements for hundreds of requests', async () => {
    const statements: string[] = [];
    const xlsx = await d.db.transaction(async (tx) => {
      // every statement of the transaction goes through this session's logger
      (tx as unknown as { session: { logger: unknown } }).session.logger = {
        logQuery: (q: string) => void statements.push(q),
      };
      const v = await visibilityOf(tx as Db, admin);
      return exportRequestsXlsx(tx as Db, v, {} as never, { from: '2026-01', to: '2026-12' });
    });
    expect((await codesOf(xlsx)).length).toBeGreaterThanOrEqual(REQUESTS);
    const list = statements.filter((s) => /from "work_items"/.test(s) && !/group by/i.test(s));
    expect(list.filter((s) => /\boffset\b/i.test(s))).toEqual([]);
    expect(list.filter((s) => /count\(/i.test(s))).toEqual([]);
    expect(list.some((s) => /"work_items"\."deadline_at", "work_items"\."id"\) >/.test(s))).toBe(true);
  }, 120_000);
});
