// 我的待办 (GET /api/home/todos) on every test database: each user's groups are the ones the policy lets it
// act on, counted as the capability's own list counts them — a department its units' requests, a county
// officer its county's alerts (not another's), an administrator an edition another administrator submitted
// (not its own submission), a firm only its own requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { alerts, users } from '../../src/db/schema.ts';
import { scopeOf } from '../../src/domain/policy/index.ts';
import type { AuthedUser } from '../../src/server/auth-context.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { ensureServiceUnits, linkDemoUnitMembers } from '../../src/modules/service/index.ts';
import { actOn } from '../../src/modules/service/service.ts';
import { sweepEscalations, unitByCode } from '../../src/modules/workitems/index.ts';
import type { Todos } from '../../src/modules/home/schemas.ts';
import type { RequestDetail } from '../../src/modules/service/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PASSWORD, PINGHU, TONGXIANG, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

const cst = (s: string) => new Date(`${s}+08:00`);

describe.each(testDatabases())('my to-dos on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookie: Record<string, string> = {};
  const authed: Record<string, AuthedUser> = {};
  const who = [
    'fx_admin',
    'fx_admin2',
    'fx_analyst',
    'fx_nanhu',
    'fx_tongxiang',
    'fx_enterprise',
    'fx_ent2',
    'fx_auditor',
    'service_center',
    'dept_economy',
    'dept_resources',
  ];

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    const sys = { id: null, username: 'fixture' };
    for (const u of ['service_center', 'dept_economy', 'dept_resources'])
      await createUser(d.db, { username: u, displayName: u, role: 'department', password: PASSWORD }, sys);
    await createUser(
      d.db,
      { username: 'fx_admin2', displayName: 'Admin 2', role: 'admin', password: PASSWORD },
      sys,
    );
    await createUser(
      d.db,
      {
        username: 'fx_ent2',
        displayName: '桐乡示例化纤',
        role: 'enterprise',
        enterpriseId: fx.ids.tongxiangTextile,
        password: PASSWORD,
      },
      sys,
    );
    await ensureServiceUnits(d.db, sys);
    await linkDemoUnitMembers(d.db);
    app = await testApp(d);
    for (const u of who) {
      cookie[u] = await loginCookie(app, u);
      const [row] = await d.db.select().from(users).where(eq(users.username, u));
      const base = {
        id: row!.id,
        username: u,
        displayName: u,
        role: row!.role as AuthedUser['role'],
        regionCode: row!.regionCode,
        regionName: null,
        clusterCode: row!.clusterCode,
        enterpriseId: row!.enterpriseId,
      };
      authed[u] = { ...base, scope: scopeOf(base), sessionTokenHash: '' };
    }
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const as = (u: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie: cookie[u]! }, payload: payload as never });
  const todos = async (u: string) => {
    const res = await as(u, 'GET', '/api/home/todos');
    expect(res.statusCode, `${u}: ${res.body}`).toBe(200);
    return new Map(json<Todos>(res).groups.map((g) => [g.key, g]));
  };

  it('answers every role, and only the groups it may act on', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/home/todos' })).statusCode).toBe(401);
    expect([...(await todos('fx_auditor')).keys()]).toEqual([]);
    // the analyst reads and exports: nothing to handle, review or publish
    expect([...(await todos('fx_analyst')).keys()]).toEqual([]);
    const admin = await todos('fx_admin');
    expect([...admin.keys()]).toEqual(
      expect.arrayContaining([
        'alerts',
        'evaluation.runs',
        'index.editions',
        'alerts.rules',
        'bulletin.reports',
      ]),
    );
    expect(admin.get('index.editions')).toMatchObject({
      count: 0,
      path: '/index/editions',
      zh: '待审核集群指数版本',
    });
    const firm = await todos('fx_enterprise');
    expect([...firm.keys()].sort()).toEqual(['evaluation.objections', 'service.ownOpen', 'service.toRate']);
    expect([...(await todos('fx_nanhu')).keys()]).not.toContain('index.editions');
  });

  it("counts a unit's requests for its department, a firm's own for the firm", async () => {
    const file = async (u: string, title: string) => {
      const res = await as(u, 'POST', '/api/service/requests', {
        nature: 'help',
        category: 'construction',
        title,
        description: `${title}，请协调办理。`,
      });
      expect(res.statusCode, res.body).toBe(201);
      return json<RequestDetail>(res).request;
    };
    const mine = await file('fx_enterprise', '新厂房用电增容');
    await file('fx_ent2', '化纤车间用地指标');
    expect((await todos('fx_enterprise')).get('service.ownOpen')).toMatchObject({
      count: 1,
      path: '/service',
    });
    expect((await todos('fx_ent2')).get('service.ownOpen')?.count).toBe(1);
    expect((await todos('dept_economy')).get('service.inbox')?.count).toBe(0);
    // the centre dispatches: both wait for it, and its count is the length of the list its link opens
    const centre = await todos('service_center');
    expect(centre.get('service.dispatch')).toMatchObject({ count: 2, path: '/service?tab=dispatch' });
    const queue = json<{ total: number }>(
      await as('service_center', 'GET', '/api/service/requests?state=submitted,contested&open=true'),
    );
    expect(queue.total).toBe(2);
    // a department dispatches nothing
    expect((await todos('dept_economy')).has('service.dispatch')).toBe(false);

    // the centre routes the firm's request to the economy bureau, weeks ago: its deadline has passed
    const economy = (await unitByCode(d.db, 'city.economy'))!;
    await actOn(
      d.db,
      authed.service_center!,
      mine.id,
      { transition: 'assign', ownerUnitId: economy.id },
      null,
      cst('2025-09-26T10:00:00'),
    );
    await sweepEscalations(d.db, new Date());
    expect((await todos('service_center')).get('service.dispatch')?.count).toBe(1);
    const dept = await todos('dept_economy');
    expect(dept.get('service.inbox')).toMatchObject({ count: 1, overdue: 1, path: '/service?tab=inbox' });
    expect(dept.get('service.assist')).toMatchObject({ count: 0 });
    // the same count as the unit's inbox list the link opens
    const inbox = json<{ total: number }>(
      await as('dept_economy', 'GET', '/api/service/requests?mine=true&open=true'),
    );
    expect(inbox.total).toBe(1);
    expect((await todos('dept_resources')).get('service.inbox')?.count).toBe(0);

    // answered: it awaits the firm's 回访
    await actOn(d.db, authed.dept_economy!, mine.id, { transition: 'accept' }, null);
    await actOn(
      d.db,
      authed.dept_economy!,
      mine.id,
      { transition: 'answer', reason: '已协调供电公司' },
      null,
    );
    expect((await todos('fx_enterprise')).get('service.toRate')?.count).toBe(1);
    expect((await todos('fx_ent2')).get('service.toRate')?.count).toBe(0);
  });

  it("counts a county's open alerts for its officer, not another county's", async () => {
    const alert = (enterpriseId: number, regionCode: string, clusterCode: string, open = true) => ({
      subjectKind: 'firm' as const,
      subjectKey: `firm:${enterpriseId}:${open}`,
      enterpriseId,
      regionCode,
      clusterCode,
      signal: 'output_yoy',
      ruleId: 'output_drop',
      level: 'yellow',
      ruleSetVersion: 1,
      firstMonth: '2025-11-01',
      lastMonth: '2025-11-01',
      evidence: [{ month: '2025-11', values: { output_yoy: -35 } }],
      open,
      status: open ? 'open' : 'closed',
      deadlineAt: cst('2025-12-01T17:30:00'),
    });
    await d.db
      .insert(alerts)
      .values([
        alert(fx.ids.nanhuTextile, NANHU, 'textile'),
        alert(fx.ids.nanhuTextile, NANHU, 'textile', false),
        alert(fx.ids.tongxiangTextile, TONGXIANG, 'textile'),
        alert(fx.ids.pinghuChem, PINGHU, 'chem_materials'),
      ]);
    expect((await todos('fx_nanhu')).get('alerts')).toMatchObject({ count: 1, overdue: 1, path: '/alerts' });
    expect((await todos('fx_tongxiang')).get('alerts')?.count).toBe(1);
    expect((await todos('fx_admin')).get('alerts')?.count).toBe(3);
    // the board the link opens counts the same
    expect(json<{ total: number }>(await as('fx_nanhu', 'GET', '/api/alerts')).total).toBe(1);
    expect((await todos('dept_economy')).has('alerts')).toBe(false);
  });

  it('counts an edition another administrator submitted, never its own submission', async () => {
    const created = await as('fx_admin2', 'POST', '/api/index/editions', { years: { from: 2024, to: 2025 } });
    expect(created.statusCode).toBe(201);
    const id = json<{ id: number }>(created).id;
    const sub = await as('fx_admin2', 'POST', `/api/index/editions/${id}/transition`, { action: 'submit' });
    expect(sub.statusCode, sub.body).toBe(200);
    expect((await todos('fx_admin')).get('index.editions')?.count).toBe(1);
    expect((await todos('fx_admin2')).get('index.editions')?.count).toBe(0);
    // reviewed by the other administrator, it still awaits publication — by either of them but the submitter
    const rev = await as('fx_admin', 'POST', `/api/index/editions/${id}/transition`, { action: 'review' });
    expect(rev.statusCode, rev.body).toBe(200);
    expect((await todos('fx_admin')).get('index.editions')?.count).toBe(1);
    expect((await todos('fx_admin2')).get('index.editions')?.count).toBe(0);
  });
  it('counts a reported value for the reviewer who did not submit it, and a returned one for its county', async () => {
    const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n').toString('base64');
    const sent = await as('fx_nanhu', 'POST', '/api/targets/reports', {
      setCode: 'five-clusters-2020',
      targetCode: 'brands-global',
      regionCode: NANHU,
      year: 2024,
      value: 3,
      evidence: [{ fileName: '品牌证明.pdf', contentBase64: PDF }],
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const id = json<{ id: number }>(sent).id;
    expect((await todos('fx_admin')).get('targets.toReview')).toMatchObject({
      count: 1,
      path: '/targets?tab=reports',
    });
    // the county reports and corrects, it does not review: nothing of its own awaits it yet
    expect((await todos('fx_nanhu')).has('targets.toReview')).toBe(false);
    expect((await todos('fx_nanhu')).get('targets.toCorrect')?.count).toBe(0);
    const back = await as('fx_admin', 'POST', `/api/targets/reports/${id}/review`, {
      decision: 'return',
      reason: '佐证材料缺少认定文件',
    });
    expect(back.statusCode, back.body).toBe(200);
    expect((await todos('fx_admin')).get('targets.toReview')?.count).toBe(0);
    expect((await todos('fx_nanhu')).get('targets.toCorrect')?.count).toBe(1);
    expect((await todos('fx_tongxiang')).get('targets.toCorrect')?.count).toBe(0);
  });
});
