// The demo's enterprise login has something of its own on its pages: its 企业服务 page listed no request and
// its 项目库 no project, its firm (a textile firm in 南湖区, a county that is no base of the textile projects
// here) never drawn among the demo's filers and investors. Now it files three requests online as itself
// (one closed and rated, one still being handled) and invests in one technical upgrade at its own county and
// zone; every other request and project stays as drawn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { DEMO_PASSWORD, ensureDemoUsers } from '../../src/modules/auth/index.ts';
import { generateDemoProjects } from '../../src/modules/projects/index.ts';
import { generateDemoRequests } from '../../src/modules/service/index.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

const ACTOR = { id: null, username: 'cli' };
const NOW = new Date('2026-11-20T04:00:00Z');

interface RequestList {
  items: {
    enterpriseId: number;
    channel: string;
    rating: string | null;
    item: { state: string; closedAt: string | null };
  }[];
  total: number;
}
interface ProjectList {
  items: { investorEnterpriseId: number | null; kind: string; regionCode: string }[];
  total: number;
}

describe.each(testDatabases())('the demo enterprise login ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let cookie: string;
  let firm: { id: number; region_code: string; zone_code: string | null };

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 7, enterpriseCount: 500 });
    await ensureDemoUsers(d.db, ACTOR);
    await generateDemoProjects(d.db, 7);
    await generateDemoRequests(d.db, 7, { months: 12, perMonth: 6, now: NOW });
    [firm] = (await queryRows<{ id: number; region_code: string; zone_code: string | null }>(
      d.db,
      sql`select e.id::int as id, e.region_code, e.zone_code from users u join enterprises e on e.id = u.enterprise_id
           where u.username = 'enterprise'`,
    )) as [typeof firm];
    app = await testApp(d);
    cookie = await loginCookie(app, 'enterprise', DEMO_PASSWORD);
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  it('sees its own requests, filed online by itself, one closed and rated and one still open', async () => {
    const res = await app.inject({ url: '/api/service/requests?pageSize=100', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const list = json<RequestList>(res);
    expect(list.items.length).toBeGreaterThanOrEqual(3);
    expect(list.items.every((r) => r.enterpriseId === firm.id)).toBe(true);
    const filed = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from service_requests r join users u on u.id = r.created_by
           where u.username = 'enterprise' and r.channel = 'online' and r.source = 'demo'`,
    );
    expect(filed[0]!.n).toBe(3);
    expect(list.items.some((r) => r.item.closedAt !== null && r.rating !== null)).toBe(true);
    expect(list.items.some((r) => r.item.closedAt === null)).toBe(true);
  });

  it('sees the technical upgrade it invests in, at its own county and zone', async () => {
    const res = await app.inject({ url: '/api/projects?pageSize=100', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const list = json<ProjectList>(res);
    expect(list.total).toBeGreaterThanOrEqual(1);
    const own = list.items.find((p) => p.investorEnterpriseId === firm.id && p.kind === 'upgrade');
    expect(own?.regionCode).toBe(firm.region_code);
    const [row] = await queryRows<{ zone_code: string | null }>(
      d.db,
      sql`select zone_code from projects where investor_enterprise_id = ${firm.id} and kind = 'upgrade' and source = 'demo'`,
    );
    expect(row!.zone_code).toBe(firm.zone_code);
  });
});
