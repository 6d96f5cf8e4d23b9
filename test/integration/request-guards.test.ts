// Request hygiene (issue 12, items 5 and 9): the session and JSON-only rules follow the routed path,
// control characters in parameters are refused with 400 on every route, security headers are sent,
// and state-changing requests without the app's header or from another origin are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

describe('request guards', () => {
  const pglite = testDatabases()[0]!;
  let d: Database;
  let app: FastifyInstance;
  let cookie = '';
  let fx: Fixture;

  beforeAll(async () => {
    d = await openReadyDatabase(pglite);
    fx = await seedFixture(d);
    app = await testApp(d);
    cookie = await loginCookie(app, 'fx_admin');
  });
  afterAll(async () => {
    await app?.close();
    if (d) await pglite.dispose(d);
  });

  it('applies the session and JSON-only rules to the routed path, however it is spelled', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/%61pi/auth/me' });
    expect(anonymous.statusCode).toBe(401);
    const plain = await app.inject({
      method: 'POST',
      url: '/%61pi/auth/logout',
      headers: { cookie, 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(plain.statusCode).toBe(415);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(
      200,
    );
  });

  it('refuses a control character in any parameter of any read route with 400, never 500', async () => {
    const routes = (app as unknown as { routeList: { method: string; url: string }[] }).routeList.filter(
      (r) => r.method === 'GET' && r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'),
    );
    expect(routes.length).toBeGreaterThan(40);
    for (const r of routes) {
      const url = r.url.replace(/:[a-zA-Z]+/g, '1');
      const res = await app.inject({
        method: 'GET',
        url: `${url}?q=%00&month=2024-01%0a`,
        headers: { cookie },
      });
      expect(res.statusCode, `${r.url}: ${res.body.slice(0, 200)}`).toBe(400);
      expect(json<{ type: string }>(res).type).toContain('control-character');
    }
    const inPath = await app.inject({ method: 'GET', url: '/api/enterprises/%01', headers: { cookie } });
    expect(inPath.statusCode).toBe(400);
  });

  it('sends security headers: a CSP without inline script or framing, nosniff, a referrer policy', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
  });

  it('refuses state-changing requests without the app header or from another origin', async () => {
    const noHeader = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'x-requested-with': '' },
    });
    expect(noHeader.statusCode).toBe(403);
    expect(json<{ detailZh: string }>(noHeader).detailZh).toContain('x-requested-with');
    const otherOrigin = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: 'http://127.0.0.1:9999', host: '127.0.0.1:3000' },
    });
    expect(otherOrigin.statusCode).toBe(403);
    const sameOrigin = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' },
    });
    expect(sameOrigin.statusCode).toBe(200);
  });

  it('lets a county officer link only a firm they may see as a project investor, revealing nothing else', async () => {
    const officer = await loginCookie(app, 'fx_nanhu');
    const project = (investorEnterpriseId: number) =>
      app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: { cookie: officer },
        payload: {
          name: '投资方校验项目',
          kind: 'investment',
          investorName: '示例投资方有限公司',
          plannedTotalInvestment: 12_000,
          plannedFixedInvestment: 10_000,
          priority: 'high',
          likelihood: 'medium',
          regionCode: NANHU,
          clusterCode: 'textile',
          investorEnterpriseId,
        },
      });
    const other = await project(fx.ids.tongxiangTextile);
    const missing = await project(99_999_999);
    expect(other.statusCode).toBe(400);
    expect(missing.statusCode).toBe(400);
    // another county's firm answers exactly like an id that does not exist (except the id itself)
    const detail = (r: typeof other) => json<{ detail: string }>(r).detail.replace(/\d+/g, 'N');
    expect(detail(other)).toBe(detail(missing));
    expect(json<{ errors: { field: string }[] }>(other).errors.map((e) => e.field)).toEqual([
      'investorEnterpriseId',
    ]);
    expect((await project(fx.ids.nanhuTextile)).statusCode).toBe(201);
  });
});
