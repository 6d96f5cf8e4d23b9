// Issue 14 item 5 on every test database: once the chain's firms have towns, the quadrants' density is the
// co-location measure (colocation.ts) over the firms actually placed, not the structural substitute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadChains } from '../../src/modules/chains/service.ts';
import { loadChain } from '../../src/modules/chains/repo.ts';
import { VERSION_TTL_MS } from '../../src/modules/chains/cache.ts';
import { colocationDensity } from '../../src/domain/chains/colocation.ts';
import { relatednessDensity } from '../../src/domain/chains/relatedness.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { seedFixture } from '../helpers/fixtures.ts';
import { PV, seedPv } from '../helpers/chains.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

type Points = { points: { code: string; density: number | null }[] };

describe.each(testDatabases())('chain relatedness from co-location on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let ids: Record<string, number>;
  let cookie: string;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await loadChains(d.db, await loadCityConfig(resolveCityDir()));
    await seedFixture(d);
    ids = await seedPv(d);
    app = await testApp(d);
    cookie = await loginCookie(app, 'fx_admin');
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const quadrants = async () => {
    const res = await app.inject({ method: 'GET', url: '/api/chains/pv/quadrants', headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return new Map(json<Points>(res).points.map((p) => [p.code, p.density]));
  };

  it('without towns: the structural substitute; with towns: co-location over the placed firms', async () => {
    const { def } = (await loadChain(d.db, 'pv'))!;
    const before = await quadrants();
    // the PV fixture firms in three towns of 南湖 and one of 桐乡
    const town: Record<string, string> = {
      si: '330402100',
      wafer: '330402100',
      inverter: '330402101',
      mount: '330402101',
      plant: '330402103',
      module1: '330483001',
      module2: '330483001',
      glass: '330402103',
    };
    // as the registry's writes (edits, imports) do, the row's updated_at moves with it: the chain answers
    // are kept per registry stamp (src/modules/chains/cache.ts). Written past the server's own write paths,
    // like another process's write, it shows once the server reads the stamp again (VERSION_TTL_MS).
    for (const p of PV)
      await d.db.execute(
        sql`update enterprises set town_code = ${town[p.key]!}, updated_at = now() where id = ${ids[p.key]!}`,
      );
    await new Promise((resolve) => setTimeout(resolve, VERSION_TTL_MS + 50));
    const after = await quadrants();

    const placed = await queryRows<{ node_code: string; town_code: string | null; zone_code: string | null }>(
      d.db,
      sql`select ecn.node_code, e.town_code, e.zone_code from enterprise_chain_nodes ecn join enterprises e on e.id = ecn.enterprise_id
          where ecn.chain_code = 'pv' and ecn.assigned and e.status <> 'closed'`,
    );
    const located = placed
      .filter((r) => r.town_code || r.zone_code)
      .map((r) => ({
        node: r.node_code,
        locations: [r.town_code ? `town:${r.town_code}` : null, r.zone_code ? `zone:${r.zone_code}` : null],
      }));
    expect(located.length).toBeGreaterThan(0);
    const expected = colocationDensity(def, located);
    for (const [code, v] of after) {
      const e = expected.get(code) ?? null;
      if (e == null) expect(v).toBeNull();
      else expect(v).toBeCloseTo(e, 6);
    }
    // before the towns, the structural measure over the nodes present (a firm on the node)
    const present = new Map(def.nodes.map((n) => [n.code, placed.some((r) => r.node_code === n.code)]));
    const structural = relatednessDensity(def, present);
    for (const [code, v] of before) {
      const e = structural.get(code) ?? null;
      if (e == null) expect(v).toBeNull();
      else expect(v).toBeCloseTo(e, 6);
    }
    // and the measure separates nodes: not one value for all
    const values = [...after.values()].filter((v): v is number => v != null).map((v) => Math.round(v));
    expect(new Set(values).size).toBeGreaterThan(1);
    expect([...after].some(([c, v]) => v !== before.get(c))).toBe(true);
  });
});
