// Rankings (企业排行) on every test database: 1–N月累计 of output read from cluster_enterprise_ytd gives the
// same firms, order, values and totals as summing the facts (docs/methodology.md, "Rankings") — with a
// firm that stopped reporting (carry-forward), a firm whose 累计 is 0, one with only blank outputs, a
// month after the latest on record, a county's scope, and after an incremental refresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import type { RankingAnswer } from '../../src/modules/monitoring/schemas.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PASSWORD } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

const actor = { id: null, username: 'fixture' };

describe.each(testDatabases())('rankings from the 1–N月累计 table ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  let latest = '';
  const firms: Record<'stopped' | 'zero' | 'blank', number> = { stopped: 0, zero: 0, blank: 0 };

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 11, enterpriseCount: 200 });
    const [l] = await queryRows<{ m: string }>(
      d.db,
      sql`select to_char(max(month), 'YYYY-MM') as m from monthly_stats`,
    );
    latest = l!.m;
    // three 规上 firms reporting every month of 2025: one stops after February, one reports 0 all year,
    // one reports blanks only
    const picked = await queryRows<{ id: number }>(
      d.db,
      sql`select ms.enterprise_id::int as id from monthly_stats ms join enterprises e on e.id = ms.enterprise_id
          where e.scale = 'above' and ms.month between '2025-01-01' and '2025-12-01' and ms.output_value > 0
          group by 1 having count(*) = 12 order by 1 limit 3`,
    );
    expect(picked).toHaveLength(3);
    [firms.stopped, firms.zero, firms.blank] = picked.map((p) => p.id) as [number, number, number];
    await d.db.transaction(async (tx) => {
      await tx.execute(
        sql`delete from monthly_stats where enterprise_id = ${firms.stopped} and month between '2025-03-01' and '2025-12-01'`,
      );
      await tx.execute(
        sql`update monthly_stats set output_value = 0 where enterprise_id = ${firms.zero} and month between '2025-01-01' and '2025-12-01'`,
      );
      await tx.execute(
        sql`update monthly_stats set output_value = null where enterprise_id = ${firms.blank} and month between '2025-01-01' and '2025-12-01'`,
      );
      await refreshClusterRollups(tx);
    });
    await createUser(
      d.db,
      { username: 'rk_analyst', displayName: 'A', role: 'analyst', password: PASSWORD },
      actor,
    );
    await createUser(
      d.db,
      { username: 'rk_nanhu', displayName: 'N', role: 'county', regionCode: NANHU, password: PASSWORD },
      actor,
    );
    app = await testApp(d);
    for (const u of ['rk_analyst', 'rk_nanhu']) cookies[u] = await loginCookie(app, u);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const get = async (url: string, who: string) => {
    const r = await app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
    expect(r.statusCode, r.body).toBe(200);
    return json<RankingAnswer>(r);
  };

  /** Independent formulation: Σ output over January … month of the firm's rows, 规上, in the region. */
  async function direct(month: string, region: string | null) {
    const to = `${month}-01`;
    const from = `${month.slice(0, 4)}-01-01`;
    const lastYear = (m: string) => `${Number(m.slice(0, 4)) - 1}${m.slice(4)}`;
    return queryRows<{ id: number; v: number; p: number | null }>(
      d.db,
      sql`select e.id::int as id, sum(ms.output_value)::float8 as v,
            (select sum(p.output_value)::float8 from monthly_stats p where p.enterprise_id = e.id
              and p.month between ${lastYear(from)}::date and ${lastYear(to)}::date) as p
          from monthly_stats ms join enterprises e on e.id = ms.enterprise_id
          where ms.month between ${from}::date and ${to}::date and e.scale = 'above'
            and (${region}::text is null or e.region_code = ${region}::text)
          group by e.id having sum(ms.output_value) is not null
          order by v desc, e.id`,
    );
  }

  async function expectSame(month: string, who: string, region: string | null) {
    const want = await direct(month, region);
    const got = await get(`/api/monitoring/rankings?month=${month}&pageSize=200`, who);
    expect(got.total).toBe(want.length);
    const top = want.slice(0, 200);
    expect(got.items.map((x) => x.id)).toEqual(top.map((x) => x.id));
    got.items.forEach((x, i) => {
      expect(x.rank).toBe(i + 1);
      expect(x.value).toBeCloseTo(top[i]!.v, 6);
      if (top[i]!.p == null) expect(x.previous).toBeNull();
      else expect(x.previous).toBeCloseTo(top[i]!.p!, 6);
    });
    // the second page continues the first
    if (want.length > 5) {
      const p2 = await get(`/api/monitoring/rankings?month=${month}&pageSize=5&page=2`, who);
      expect(p2.items.map((x) => x.id)).toEqual(want.slice(5, 10).map((x) => x.id));
    }
    return got;
  }

  it('equals the sum over the facts, month by month, for the city and for a county', async () => {
    for (const month of ['2025-01', '2025-02', '2025-03', '2025-07', '2025-12', latest]) {
      await expectSame(month, 'rk_analyst', null);
      await expectSame(month, 'rk_nanhu', NANHU);
    }
  });

  it('carries a firm that stopped reporting, lists a 0 累计 last and leaves out blanks only', async () => {
    const all = await get(`/api/monitoring/rankings?month=2025-07&pageSize=200`, 'rk_analyst');
    const ids = all.items.map((x) => x.id);
    const stopped = all.items.find((x) => x.id === firms.stopped);
    expect(stopped?.value).toBeGreaterThan(0); // January + February, carried into July
    const zero = all.items.find((x) => x.id === firms.zero);
    if (all.total <= 200) {
      expect(zero?.value).toBe(0);
      expect(ids.indexOf(firms.zero)).toBeGreaterThan(ids.indexOf(firms.stopped));
    }
    expect(ids).not.toContain(firms.blank);
  });

  it('reads the latest month for a later month of the same year, and nothing for a later year', async () => {
    const year = latest.slice(0, 4);
    if (latest.slice(5) !== '12') {
      const later = await expectSame(`${year}-12`, 'rk_analyst', null);
      const now = await get(`/api/monitoring/rankings?month=${latest}&pageSize=200`, 'rk_analyst');
      expect(later.items.map((x) => [x.id, x.value])).toEqual(now.items.map((x) => [x.id, x.value]));
    }
    const next = await get(`/api/monitoring/rankings?month=${Number(year) + 1}-03&pageSize=5`, 'rk_analyst');
    expect(next.total).toBe(0);
  });

  it('stays equal after an incremental refresh of one month', async () => {
    await d.db.transaction(async (tx) => {
      await tx.execute(
        sql`update monthly_stats set output_value = output_value * 3 where month = '2025-05-01' and enterprise_id % 3 = 0`,
      );
      await refreshClusterRollups(tx, { months: ['2025-05'] });
    });
    for (const month of ['2025-04', '2025-05', '2025-09', '2025-12'])
      await expectSame(month, 'rk_analyst', null);
  });
});
