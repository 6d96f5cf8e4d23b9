// The foundation API on every test database: health, login and sessions, scope through every route,
// validated writes and their audit rows.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { auditLog, sessions } from '../../src/db/schema.ts';
import {
  createUser,
  forgetSessions,
  isSessionCached,
  sessionCache,
  setPassword,
} from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, PASSWORD, seedFixture, TONGXIANG, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import type { EnterpriseList, EnterpriseProfile } from '../../src/modules/enterprises/schemas.ts';

describe.each(testDatabases())('API on $kind', (t) => {
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

  const get = (url: string, who?: string) =>
    app.inject({ method: 'GET', url, headers: who ? { cookie: cookies[who]! } : {} });
  const auditRows = (action: string, entityId?: string | number) =>
    d.db
      .select()
      .from(auditLog)
      .where(
        entityId == null
          ? eq(auditLog.action, action)
          : and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))),
      );

  it('reports health with the database kind and schema version', async () => {
    const res = await get('/api/health');
    expect(res.statusCode).toBe(200);
    const body = json<{
      status: string;
      database: string;
      schemaVersion: string;
      migrationsApplied: number;
      city: string;
    }>(res);
    expect(body.status).toBe('ok');
    expect(body.database).toBe(t.kind);
    expect(body.schemaVersion).toMatch(/^\d{4}_/);
    expect(body.migrationsApplied).toBeGreaterThan(0);
    expect(body.city).toBe('嘉兴市');
  });

  it('serves the OpenAPI document', async () => {
    const res = await get('/api/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = json<{ openapi: string; paths: Record<string, unknown> }>(res);
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/enterprises/{id}');
  });

  it("gives the framework's own refusals a Chinese reason (bad JSON, an unsupported content type)", async () => {
    const badJson = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'clusterscope' },
      payload: '{"username": ',
    });
    expect(badJson.statusCode).toBe(400);
    expect(json<{ detailZh: string }>(badJson).detailZh).toBe('请求内容不是有效的 JSON。');
    const csv = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'text/csv', 'x-requested-with': 'clusterscope' },
      payload: 'username,password',
    });
    expect(csv.statusCode).toBe(415);
    expect(json<{ detailZh: string }>(csv).detailZh).toMatch(/^不支持该内容类型/);
  });

  it('refuses every non-public route without a session', async () => {
    const publicRoutes = new Set([
      'GET /api/health',
      'GET /api/city',
      'POST /api/auth/login',
      // 404 unless the bureau turned the public index on (test/integration/cluster-index.test.ts)
      'GET /api/public/index',
    ]);
    const apiRoutes = app.routeList.filter(
      (r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'),
    );
    expect(apiRoutes.length).toBeGreaterThan(8);
    for (const r of apiRoutes) {
      if (publicRoutes.has(`${r.method} ${r.url}`)) continue;
      const res = await app.inject({
        method: r.method as 'GET',
        url: r.url.replace(':id', '1'),
        payload: r.method === 'GET' ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  describe('login', () => {
    it('sets an HttpOnly SameSite session cookie and answers me', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'fx_admin', password: PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      const cookie = String([res.headers['set-cookie']].flat()[0]);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const me = await get('/api/auth/me', 'nanhu');
      expect(json<{ username: string; regionName: string }>(me)).toMatchObject({
        username: 'fx_nanhu',
        regionName: '南湖区',
      });
      expect((await auditRows('login')).length).toBeGreaterThan(0);
    });

    it('says wrong credentials plainly, and rate-limits repeated failures', async () => {
      const attempt = () =>
        app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'fx_auditor', password: 'wrong-password-1' },
        });
      const first = await attempt();
      expect(first.statusCode).toBe(401);
      expect(json<{ detailZh: string }>(first).detailZh).toBe('用户名或密码错误。');
      for (let i = 0; i < 4; i++) expect((await attempt()).statusCode).toBe(401);
      const limited = await attempt();
      expect(limited.statusCode).toBe(429);
      // even the right password waits until the window passes
      const right = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'fx_auditor', password: PASSWORD },
      });
      expect(right.statusCode).toBe(429);
    });

    it('logs out: the session stops working and an audit row is written', async () => {
      const cookie = await loginCookie(app, 'fx_analyst');
      const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
      expect(out.statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(
        401,
      );
      expect((await auditRows('logout')).length).toBeGreaterThan(0);
    });

    it('caches sessions for a few seconds, and logout or a password change clears them at once', async () => {
      const ttl = sessionCache.ttlMs;
      sessionCache.ttlMs = 60_000; // so that no entry can expire by itself during this test
      try {
        await createUser(
          d.db,
          { username: 'fx_cached', displayName: 'Cached', role: 'analyst', password: PASSWORD },
          { id: null, username: 'fixture' },
        );
        const me = (cookie: string) =>
          app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } }).then((r) => r.statusCode);
        const tokenOf = (cookie: string) => cookie.slice(cookie.indexOf('=') + 1);

        // Logout in this process: the cached entry goes with the session, the very next request is refused.
        const first = await loginCookie(app, 'fx_cached');
        expect(await me(first)).toBe(200);
        expect(isSessionCached(d.db, tokenOf(first))).toBe(true);
        const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: first } });
        expect(out.statusCode).toBe(200);
        expect(isSessionCached(d.db, tokenOf(first))).toBe(false);
        expect(await me(first)).toBe(401);

        // A session ended behind this process's back (another process, plain SQL) is honoured from the
        // cache until the entry expires: the documented cross-process bound.
        const second = await loginCookie(app, 'fx_cached');
        expect(await me(second)).toBe(200);
        await d.db
          .delete(sessions)
          .where(eq(sessions.tokenHash, createHash('sha256').update(tokenOf(second)).digest('hex')));
        expect(await me(second)).toBe(200);
        forgetSessions(d.db);
        expect(await me(second)).toBe(401);

        // Setting a user's password ends every session of theirs, cached ones included.
        const third = await loginCookie(app, 'fx_cached');
        const fourth = await loginCookie(app, 'fx_cached');
        expect([await me(third), await me(fourth)]).toEqual([200, 200]);
        await setPassword(d.db, 'fx_cached', 'AnotherPassword2026', { id: null, username: 'fixture' });
        expect([await me(third), await me(fourth)]).toEqual([401, 401]);
      } finally {
        sessionCache.ttlMs = ttl;
      }
    });

    it('changes a password with an audit row, refusing weak ones', async () => {
      const cookie = await loginCookie(app, 'fx_tongxiang');
      const weak = await app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { cookie },
        payload: { currentPassword: PASSWORD, newPassword: 'onlyletters' },
      });
      expect(weak.statusCode).toBe(400);
      const ok = await app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { cookie },
        payload: { currentPassword: PASSWORD, newPassword: 'NewPassword2026' },
      });
      expect(ok.statusCode).toBe(200);
      expect((await auditRows('password.change')).length).toBe(1);
      // the other session of this user (made in beforeAll) has ended
      expect((await get('/api/auth/me', 'tongxiang')).statusCode).toBe(401);
      cookies.tongxiang = await loginCookie(app, 'fx_tongxiang', 'NewPassword2026');
    });
  });

  describe('scope', () => {
    const names = async (who: string) =>
      json<EnterpriseList>(await get('/api/enterprises?pageSize=200', who))
        .items.map((e) => e.id)
        .sort();

    it('city analysts and admins see every enterprise', async () => {
      expect(await names('analyst')).toEqual(Object.values(fx.ids).sort());
      expect(await names('admin')).toHaveLength(4);
    });
    it('a county officer sees only their county, and gets 404 for another county', async () => {
      expect(await names('nanhu')).toEqual([fx.ids.nanhuTextile, fx.ids.nanhuOther].sort());
      expect((await get(`/api/enterprises/${fx.ids.tongxiangTextile}`, 'nanhu')).statusCode).toBe(404);
      expect((await get(`/api/enterprises/${fx.ids.nanhuTextile}`, 'nanhu')).statusCode).toBe(200);
      // a filter cannot widen the scope
      expect(json<EnterpriseList>(await get(`/api/enterprises?county=${TONGXIANG}`, 'nanhu')).total).toBe(0);
    });
    it('a cluster agency sees only its cluster', async () => {
      expect(await names('textileAgency')).toEqual([fx.ids.nanhuTextile, fx.ids.tongxiangTextile].sort());
      expect((await get(`/api/enterprises/${fx.ids.pinghuChem}`, 'textileAgency')).statusCode).toBe(404);
    });
    it('an enterprise user sees only itself', async () => {
      expect(await names('enterprise')).toEqual([fx.ids.nanhuTextile]);
      expect((await get(`/api/enterprises/${fx.ids.nanhuOther}`, 'enterprise')).statusCode).toBe(404);
    });
    it('an auditor reads the audit log but no enterprise; others may not read the audit log', async () => {
      // the policy gives the auditor no enterprise rights: refused with the reason, not an empty list
      const refused = await get('/api/enterprises', 'auditor');
      expect(refused.statusCode).toBe(403);
      expect(json<{ detailZh: string }>(refused).detailZh).toContain('无权限');
      expect((await get('/api/audit', 'auditor')).statusCode).toBe(200);
      expect((await get('/api/audit', 'analyst')).statusCode).toBe(403);
      expect((await get('/api/audit', 'nanhu')).statusCode).toBe(403);
    });
  });

  describe('enterprise list and profile', () => {
    it('searches by name and by USCC prefix, filters by cluster and tier, and paginates', async () => {
      const byName = json<EnterpriseList>(
        await get(`/api/enterprises?q=${encodeURIComponent('化纤')}`, 'analyst'),
      );
      expect(byName.items.map((e) => e.id)).toEqual([fx.ids.tongxiangTextile]);
      const byUscc = json<EnterpriseList>(
        await get(`/api/enterprises?q=${fixtureUscc(4, '330482').slice(0, 12)}`, 'analyst'),
      );
      expect(byUscc.items.map((e) => e.id)).toEqual([fx.ids.pinghuChem]);
      expect(json<EnterpriseList>(await get('/api/enterprises?cluster=textile', 'analyst')).total).toBe(2);
      expect(json<EnterpriseList>(await get('/api/enterprises?tier=listed', 'analyst')).items[0]?.id).toBe(
        fx.ids.tongxiangTextile,
      );
      const page = json<EnterpriseList>(await get('/api/enterprises?pageSize=3&page=2&sort=name', 'analyst'));
      expect(page.total).toBe(4);
      expect(page.items).toHaveLength(1);
    });
    it('sorts by annual output, from the monthly figures of the latest full year', async () => {
      const list = json<EnterpriseList>(await get('/api/enterprises?sort=outputValue&order=desc', 'analyst'));
      expect(list.items[0]?.id).toBe(fx.ids.nanhuTextile);
      // 12 months of 1000 + 10i 万元
      expect(list.items[0]?.outputValue).toBe(12_660);
    });
    it('shows a profile with clusters, recent months and latest annual inputs', async () => {
      const p = json<EnterpriseProfile>(await get(`/api/enterprises/${fx.ids.nanhuTextile}`, 'analyst'));
      expect(p.regionName).toBe('南湖区');
      expect(p.industryName).toBe('棉纺纱加工');
      expect(p.clusterDetails.map((c) => c.code)).toEqual(['textile']);
      expect(p.recentMonths).toHaveLength(12);
      expect(p.recentMonths[0]?.month).toBe('2025-01');
      expect(p.latestAnnual?.landMu).toBe(50);
      expect(p.outputValue).toBe(12_660); // the same annual output as the list shows
    });
    it('rejects bad query parameters with a problem naming the field', async () => {
      const res = await get('/api/enterprises?scale=huge', 'analyst');
      expect(res.statusCode).toBe(400);
      expect(json<{ errors: { field: string }[] }>(res).errors[0]?.field).toContain('scale');
    });
  });

  describe('enterprise writes', () => {
    const create = (who: string, body: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: '/api/enterprises',
        headers: { cookie: cookies[who]! },
        payload: body,
      });
    const base = {
      name: '嘉兴市测试新能源有限公司',
      regionCode: NANHU,
      industryCode: '3825',
      scale: 'above',
    };

    it('refuses an invalid USCC with a message that says why', async () => {
      const res = await create('admin', { ...base, uscc: '914403001922038217' });
      expect(res.statusCode).toBe(400);
      const body = json<{ errors: { field: string; message: string; messageZh: string }[] }>(res);
      expect(body.errors[0]).toMatchObject({ field: 'uscc' });
      expect(body.errors[0]?.messageZh).toContain('第18位应为 6');
      const short = json<{ errors: { messageZh: string }[] }>(
        await create('admin', { ...base, uscc: '91330' }),
      );
      expect(short.errors[0]?.messageZh).toContain('18位');
    });
    it('accepts valid codes it did not generate, computes cluster membership, and audits', async () => {
      const res = await create('admin', { ...base, uscc: '91310110666007217T' });
      expect(res.statusCode).toBe(201);
      const p = json<EnterpriseProfile>(res);
      expect(p.clusters).toEqual(['new_energy']);
      const rows = await auditRows('enterprise.create', p.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.after).toMatchObject({ uscc: '91310110666007217T', name: base.name });
      // lower-case and full-width input is normalised
      const fw = await create('admin', {
        ...base,
        name: '另一家测试企业有限公司',
        uscc: '９１３１０１１５５９１６９３８５６ａ',
      });
      expect(fw.statusCode).toBe(201);
      expect(json<EnterpriseProfile>(fw).uscc).toBe('91310115591693856A');
    });
    it('refuses a duplicate USCC, unknown codes, and another county', async () => {
      expect((await create('admin', { ...base, uscc: '91310110666007217T' })).statusCode).toBe(409);
      const unknown = await create('admin', {
        ...base,
        uscc: '91330100799655058B',
        industryCode: '9999',
        regionCode: '330499',
      });
      expect(unknown.statusCode).toBe(400);
      expect(
        json<{ errors: { field: string }[] }>(unknown)
          .errors.map((e) => e.field)
          .sort(),
      ).toEqual(['industryCode', 'regionCode']);
      const other = await create('nanhu', { ...base, uscc: '91330100799655058B', regionCode: TONGXIANG });
      expect(other.statusCode).toBe(403);
      expect((await create('enterprise', { ...base, uscc: '91330100799655058B' })).statusCode).toBe(403);
      expect((await create('analyst', { ...base, uscc: '91330100799655058B' })).statusCode).toBe(403);
    });
    it('lets a county officer edit in their county with before/after in the audit log', async () => {
      const res = await app.inject({
        method: 'PATCH',
        url: `/api/enterprises/${fx.ids.nanhuOther}`,
        headers: { cookie: cookies.nanhu! },
        payload: { address: '南湖区新地址88号', scale: 'above' },
      });
      expect(res.statusCode).toBe(200);
      const [row] = await auditRows('enterprise.update', fx.ids.nanhuOther);
      expect(row?.before).toMatchObject({ scale: 'below', address: null });
      expect(row?.after).toMatchObject({ scale: 'above', address: '南湖区新地址88号' });
      const other = await app.inject({
        method: 'PATCH',
        url: `/api/enterprises/${fx.ids.tongxiangTextile}`,
        headers: { cookie: cookies.nanhu! },
        payload: { address: 'x' },
      });
      expect(other.statusCode).toBe(404);
      // a day that is no day is refused naming the field, nothing written (the database refused it: a 500)
      for (const founded of ['2026-02-30', '2026-13-01', '0000-01-01']) {
        const bad = await app.inject({
          method: 'PATCH',
          url: `/api/enterprises/${fx.ids.nanhuOther}`,
          headers: { cookie: cookies.nanhu! },
          payload: { founded },
        });
        expect(bad.statusCode, bad.body).toBe(400);
        expect(json<{ errors: { field: string }[] }>(bad).errors.map((e) => e.field)).toEqual(['founded']);
        expect(bad.body).toContain('有效日期');
      }
      expect(await auditRows('enterprise.update', fx.ids.nanhuOther)).toHaveLength(1);
    });
    it('lets an enterprise user change only its own address', async () => {
      const url = `/api/enterprises/${fx.ids.nanhuTextile}`;
      const name = await app.inject({
        method: 'PATCH',
        url,
        headers: { cookie: cookies.enterprise! },
        payload: { name: '改名有限公司' },
      });
      expect(name.statusCode).toBe(403);
      const addr = await app.inject({
        method: 'PATCH',
        url,
        headers: { cookie: cookies.enterprise! },
        payload: { address: '新地址' },
      });
      expect(addr.statusCode).toBe(200);
      expect((await auditRows('enterprise.update', fx.ids.nanhuTextile)).length).toBe(1);
    });
    it('moves cluster membership when the industry code changes, keeping history', async () => {
      const res = await app.inject({
        method: 'PATCH',
        url: `/api/enterprises/${fx.ids.pinghuChem}`,
        headers: { cookie: cookies.admin! },
        payload: { industryCode: '1711' },
      });
      expect(res.statusCode).toBe(200);
      expect(json<EnterpriseProfile>(res).clusters).toEqual(['textile']);
    });
  });

  it('every write route is audited by a test above', () => {
    // projects: audit rows checked in test/integration/projects.test.ts
    const projectWrites = [
      'POST /api/projects',
      'PATCH /api/projects/:id',
      'POST /api/projects/:id/transitions',
      'PUT /api/projects/:id/stages/:stage',
      'PUT /api/projects/:id/progress/:month',
      'POST /api/projects/:id/risks',
      'PATCH /api/projects/:id/risks/:riskId',
      'PUT /api/projects/investment-statistics',
      'POST /api/projects/progress-import',
      'POST /api/projects/:id/stages/:stage/documents',
      'DELETE /api/projects/:id/documents/:documentId',
    ];
    const covered = new Set([
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'POST /api/auth/password',
      'POST /api/enterprises',
      'PATCH /api/enterprises/:id',
      ...projectWrites,
      'POST /api/imports',
      'POST /api/imports/:id/commit',
      'POST /api/imports/:id/rollback',
      // audited in test/integration/imports-recovery.test.ts
      'POST /api/imports/:id/preview',
      'POST /api/imports/:id/discard',
      // audited in test/integration/import-batches.test.ts
      'POST /api/imports/batches',
      'POST /api/imports/batches/:id/commit',
      'POST /api/imports/batches/:id/rollback',
      // audited in test/integration/import-batch-recovery.test.ts
      'POST /api/imports/batches/:id/preview',
      'POST /api/imports/batches/:id/discard',
    ]);
    // evaluation: audited in test/integration/evaluation.test.ts
    for (const r of [
      'POST /api/evaluation/rule-sets/:id/versions',
      'POST /api/evaluation/runs',
      'POST /api/evaluation/runs/:id/submit',
      'POST /api/evaluation/runs/:id/publish',
      'POST /api/evaluation/runs/:id/correct',
      'POST /api/evaluation/runs/:id/objections',
      'POST /api/evaluation/objections/:id/resolve',
      'PUT /api/evaluation/watch/:year/:enterpriseId',
      // audited in test/integration/evaluation-flags.test.ts
      'PUT /api/evaluation/flags/:enterpriseId/:year/:flag',
      'POST /api/evaluation/objections/:id/files',
      // writes nothing (a preview): tested in test/integration/evaluation.test.ts
      'POST /api/evaluation/rule-sets/:id/preview',
    ])
      covered.add(r);
    // chains: audit rows checked in test/integration/chains.test.ts
    for (const r of [
      'PATCH /api/chains/:code',
      'POST /api/chains/:code/nodes',
      'PATCH /api/chains/:code/nodes/:node',
      'DELETE /api/chains/:code/nodes/:node',
      'POST /api/chains/:code/edges',
      'DELETE /api/chains/:code/edges/:from/:to',
      'PUT /api/chains/:code/nodes/:node/enterprises/:id',
      'POST /api/chains/:code/targets',
      'PATCH /api/chain-targets/:id',
      'POST /api/chains/:code/projects',
      'PATCH /api/chain-projects/:id',
      'DELETE /api/chain-targets/:id',
      'DELETE /api/chain-projects/:id',
      // audited in test/integration/chain-admin.test.ts
      'POST /api/chains',
      'DELETE /api/chains/:code',
    ])
      covered.add(r);
    // alerts: audit rows checked in test/integration/alerts.test.ts
    for (const r of [
      'POST /api/alerts/:id/handle',
      'POST /api/alerts/rules',
      'POST /api/alerts/rules/editions/:id/transition',
      'POST /api/alerts/evaluate',
      'POST /api/alerts/backtest',
    ])
      covered.add(r);
    // a preview computes and writes nothing (a POST because the candidate rule set is the body)
    covered.add('POST /api/alerts/rules/preview');
    // work items: audited in test/integration/workitems.test.ts
    for (const r of [
      'POST /api/workitems/units',
      'PATCH /api/workitems/units/:id', // audited in test/integration/service-gaps.test.ts (unit.update)
      'POST /api/workitems/units/:id/members',
      'POST /api/workitems/sweep',
      // enterprise requests: audited in test/integration/service.test.ts
      'POST /api/service/requests',
      'POST /api/service/requests/:id/actions',
      'POST /api/service/requests/:id/extension',
      'POST /api/service/requests/:id/supplements',
      'POST /api/service/requests/bulk-assign',
      // cultivation: audited in test/integration/cultivation.test.ts
      'POST /api/cultivation/entries',
      'POST /api/cultivation/entries/:id/move',
    ])
      covered.add(r);
    // cluster index: audited in test/integration/cluster-index.test.ts
    for (const r of [
      'POST /api/index/editions',
      'PUT /api/index/editions/:id',
      'POST /api/index/editions/:id/recompute',
      'POST /api/index/editions/:id/transition',
      'PUT /api/index/settings',
      'PUT /api/index/reported',
      'PUT /api/index/negative-events',
    ])
      covered.add(r);
    // platforms register: audited in test/integration/platforms.test.ts; county assessment in
    // test/integration/assessment.test.ts
    for (const r of [
      'POST /api/platforms',
      'PUT /api/platforms/:id',
      'DELETE /api/platforms/:id',
      'POST /api/platforms/import',
      'POST /api/assessment/editions',
      'PUT /api/assessment/editions/:id',
      'POST /api/assessment/editions/:id/recompute',
      'POST /api/assessment/editions/:id/transition',
    ])
      covered.add(r);
    // target reports and county goals: audited in test/integration/targets.test.ts; 协办 input in
    // test/integration/service-gaps.test.ts (workitem.assist_done)
    for (const r of [
      'POST /api/targets/reports',
      'POST /api/targets/reports/:id/review',
      'POST /api/targets/reports/import',
      'PUT /api/targets/county-goals',
      'POST /api/service/requests/:id/assist',
    ])
      covered.add(r);
    // monthly bulletin: audited in test/integration/bulletin.test.ts
    for (const r of [
      'POST /api/bulletins',
      'PUT /api/bulletins/:id/commentary',
      'POST /api/bulletins/:id/submit',
      'POST /api/bulletins/:id/return',
      'POST /api/bulletins/:id/publish',
      'POST /api/bulletins/:id/retry',
    ])
      covered.add(r);
    const writes = app.routeList.filter(
      (r) => r.url.startsWith('/api/') && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method),
    );
    // every write route without an audit test, all at once
    expect(writes.map((r) => `${r.method} ${r.url}`).filter((k) => !covered.has(k))).toEqual([]);
  });
});
