// GET requests never write (issue 11 item 4): every read route of the registry without path parameters,
// and every chain read (the atlas used to place enterprises on its first read), asked by every role the
// policy lets read it, leaves every row of every table as it was — even when the registry changed behind
// placement's back. Placement happens in the writes that change its inputs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { enterpriseClusters, enterprises } from '../../src/db/schema.ts';
import { decide, ROLES, type Action, type Resource, type Role } from '../../src/domain/policy/index.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadChains } from '../../src/modules/chains/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { seedPv } from '../helpers/chains.ts';
import { loginCookie, testApp } from '../helpers/app.ts';
import { changedTables, databaseSnapshot } from '../helpers/snapshot.ts';

const AS: Record<Role, string> = {
  admin: 'admin',
  analyst: 'analyst',
  county: 'nanhu',
  cluster_agency: 'textileAgency',
  enterprise: 'enterprise',
  auditor: 'auditor',
  department: 'department',
};

describe.each(testDatabases())('GET requests write nothing on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await loadChains(d.db, await loadCityConfig(resolveCityDir()));
    fx = await seedFixture(d);
    await seedPv(d);
    app = await testApp(d);
    for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  it('no read route changes a row, even with the chain placements out of date', async () => {
    // a firm written behind the hooks' back: its placement is due, and no read may do it
    const [firm] = await d.db
      .insert(enterprises)
      .values({
        uscc: fixtureUscc(190, NANHU),
        name: '嘉兴示例光伏组件补录有限公司',
        regionCode: NANHU,
        industryCode: '3825',
        scale: 'above',
      })
      .returning({ id: enterprises.id });
    await d.db.insert(enterpriseClusters).values({
      enterpriseId: firm!.id,
      clusterCode: 'new_energy',
      basis: 'industry_code',
      validFrom: '2020-01-01',
    });

    const params: Record<string, string> = { code: 'pv', node: 'pv_module' };
    const routes = app.routeList.filter(
      (r) =>
        r.method === 'GET' &&
        r.url.startsWith('/api/') &&
        !r.url.startsWith('/api/docs') &&
        r.policy &&
        (!r.url.includes(':') || r.url.startsWith('/api/chains/')),
    );
    expect(routes.length).toBeGreaterThan(40);
    const writers: string[] = [];
    let asked = 0;
    let before = await databaseSnapshot(d.db);
    for (const r of routes) {
      const url = r.url.replace(/:(\w+)/g, (_, k: string) => params[k] ?? '1');
      for (const role of ROLES) {
        const policy = r.policy as { resource: Resource; action: Action };
        if (!decide({ role }, policy.resource, policy.action).allowed) continue;
        const res = await app.inject({ method: 'GET', url, headers: { cookie: cookies[AS[role]]! } });
        expect(res.statusCode, `${url} as ${role}`).toBeLessThan(500);
        asked++;
      }
      const after = await databaseSnapshot(d.db);
      if (after !== before) writers.push(`${r.url}: ${changedTables(before, after).join(', ')}`);
      before = after;
    }
    console.log(`GET requests asked: ${asked} over ${routes.length} routes`);
    expect(writers).toEqual([]);
  }, 300_000);
});
