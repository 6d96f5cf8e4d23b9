// Disclosure control per route and role on demo data (issue 12, item 7): a county officer reading
// other counties' zone cells gets suppressed cells (never a one-firm figure, never a lone hidden cell
// a total gives away); an enterprise user cannot read a chain node's top firm's output off
// output × topFirmShare; the analyst (every firm in scope) sees everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import type {
  Cockpit,
  FiguresAnswer,
  MonitoringMeta,
  RegionPage,
} from '../../src/modules/monitoring/schemas.ts';
import type { ChainDetail, ChainSummary } from '../../src/modules/chains/schemas.ts';
import { loadChains } from '../../src/modules/chains/service.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { primaryReason } from '../../src/domain/disclosure/index.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PASSWORD } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

const actor = { id: null, username: 'fixture' };

describe.each(testDatabases())('disclosure control on demo data ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  let firmId = 0;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    const city = await loadCityConfig(resolveCityDir());
    await loadChains(d.db, city);
    await generateDemo(d, city, { seed: 7, enterpriseCount: 400 });
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    const [firm] = await queryRows<{ id: number | string }>(
      d.db,
      sql`select id from enterprises where region_code = ${NANHU} order by id limit 1`,
    );
    firmId = Number(firm!.id);
    const users = [
      { username: 'sdc_analyst', displayName: 'A', role: 'analyst' as const },
      { username: 'sdc_nanhu', displayName: 'N', role: 'county' as const, regionCode: NANHU },
      { username: 'sdc_firm', displayName: 'F', role: 'enterprise' as const, enterpriseId: firmId },
    ];
    for (const u of users) await createUser(d.db, { ...u, password: PASSWORD }, actor);
    app = await testApp(d);
    for (const u of users) cookies[u.username] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const get = <T>(url: string, who: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } }).then((r) => {
      expect(r.statusCode, r.body).toBe(200);
      return json<T>(r);
    });

  it('hides other counties’ zone cells of fewer than 3 firms from a county officer, and one more per county', async () => {
    const meta = await get<MonitoringMeta>('/api/monitoring/meta', 'sdc_analyst');
    const month = meta.latestMonth!;
    const url = `/api/monitoring/figures?from=${month.slice(0, 4)}-01&month=${month}&by=zone`;
    const full = await get<FiguresAnswer>(url, 'sdc_analyst');
    const county = await get<FiguresAnswer>(url, 'sdc_nanhu');
    expect(full.rows.every((r) => r.suppressed === undefined)).toBe(true);
    expect(county.rows).toHaveLength(full.rows.length);

    const small = county.rows.filter((r) => r.regionCode !== NANHU && r.enterprises < 3);
    expect(small.length).toBeGreaterThan(0);
    for (const r of small) {
      expect(r.suppressed).toBe('frequency');
      expect(Object.values(r.measures).every((m) => m.month === null && m.ytd === null)).toBe(true);
    }
    // the officer's own county is theirs to see
    expect(county.rows.filter((r) => r.regionCode === NANHU).every((r) => !r.suppressed)).toBe(true);
    // no county × cluster × month has exactly one hidden zone (its county figure, in the table by county
    // and on the pages, would give it away unless hidden too)
    const groups = new Map<string, { n: number; hidden: number }>();
    const byCounty = await get<FiguresAnswer>(url.replace('by=zone', 'by=county'), 'sdc_nanhu');
    for (const r of byCounty.rows)
      if (r.regionCode !== NANHU)
        groups.set(`${r.month}|${r.clusterCode}|${r.regionCode}`, { n: 1, hidden: r.suppressed ? 1 : 0 });
    for (const r of county.rows) {
      const g = groups.get(`${r.month}|${r.clusterCode}|${r.regionCode}`) ?? { n: 0, hidden: 0 };
      g.n++;
      if (r.suppressed) g.hidden++;
      groups.set(`${r.month}|${r.clusterCode}|${r.regionCode}`, g);
    }
    for (const g of groups.values()) if (g.n >= 2) expect(g.hidden).not.toBe(1);
    expect(county.rows.some((r) => r.suppressed === 'secondary')).toBe(true);
  });

  it('shows a county officer no other county’s cell that fails a rule on the firms’ own values', async () => {
    const meta = await get<MonitoringMeta>('/api/monitoring/meta', 'sdc_analyst');
    const month = meta.latestMonth!;
    const county = await get<FiguresAnswer>(
      `/api/monitoring/figures?from=${month}&month=${month}`,
      'sdc_nanhu',
    );
    // the all-industry rows, checked against the micro data (every industrial firm of the county)
    const firms = await queryRows<{ r: string; o: number | null; v: number | null }>(
      d.db,
      sql`select e.region_code as r, ms.output_value::float8 as o, ms.revenue::float8 as v
        from monthly_stats ms join enterprises e on e.id = ms.enterprise_id join industries i on i.code = e.industry_code
        where ms.month = ${`${month}-01`}::date and i.section in ('B', 'C', 'D')`,
    );
    let shown = 0;
    let dominated = 0;
    for (const row of county.rows.filter((r) => r.clusterCode === '_industry' && r.regionCode !== NANHU)) {
      const mine = firms.filter((f) => f.r === row.regionCode);
      const reason =
        primaryReason(mine.filter((f) => f.o !== null).map((f) => f.o!)) ??
        primaryReason(mine.filter((f) => f.v !== null).map((f) => f.v!));
      if (reason === 'dominance' || reason === 'p-percent') dominated++;
      if (row.suppressed) continue;
      shown++;
      expect(reason, row.regionCode).toBeNull();
    }
    expect(shown + dominated).toBeGreaterThan(0);
  });

  it('cockpit county rows and county pages: nothing shown to a county officer fails a rule on the firms’ own values; both pages agree', async () => {
    const meta = await get<MonitoringMeta>('/api/monitoring/meta', 'sdc_analyst');
    const month = meta.latestMonth!;
    const cockpit = await get<Cockpit>(`/api/monitoring/cockpit?month=${month}`, 'sdc_nanhu');
    const full = await get<Cockpit>(`/api/monitoring/cockpit?month=${month}`, 'sdc_analyst');
    expect(full.counties.every((c) => c.suppressed === undefined)).toBe(true);
    // 规上 firms of the month: the five clusters' firms, and every industrial firm (the share of industry)
    const firms = await queryRows<{ r: string; o: number | null; v: number | null; c: boolean }>(
      d.db,
      sql`select e.region_code as r, ms.output_value::float8 as o, ms.revenue::float8 as v,
                 exists (select 1 from enterprise_clusters ec where ec.enterprise_id = e.id) as c
        from monthly_stats ms join enterprises e on e.id = ms.enterprise_id join industries i on i.code = e.industry_code
        where ms.month = ${`${month}-01`}::date and e.scale = 'above' and i.section in ('B', 'C', 'D')`,
    );
    const reasonOf = (rows: typeof firms) =>
      primaryReason(rows.filter((f) => f.o !== null).map((f) => f.o!)) ??
      primaryReason(rows.filter((f) => f.v !== null).map((f) => f.v!));
    let shown = 0;
    for (const row of cockpit.counties.filter((c) => c.code !== NANHU)) {
      const page = await get<RegionPage>(`/api/monitoring/regions/${row.code}?month=${month}`, 'sdc_nanhu');
      // one pattern for every page: the county page shows its total exactly when the cockpit shows the row
      expect(page.total.suppressed, row.code).toBe(row.suppressed);
      if (row.suppressed) {
        expect(row.output.month).toBeNull();
        expect(page.total.output.month).toBeNull();
        continue;
      }
      expect(page.total.output).toEqual(row.output);
      shown++;
      const mine = firms.filter((f) => f.r === row.code);
      expect(reasonOf(mine.filter((f) => f.c)), row.code).toBeNull();
      expect(reasonOf(mine), row.code).toBeNull();
    }
    // every measure is judged (energy, employees … too): on 400 demo firms most counties' rows hold a
    // dominant firm somewhere; the rows shown passed the rules above, the others name a rule
    const primary = cockpit.counties.filter((c) => c.suppressed && c.suppressed !== 'secondary');
    expect(shown + primary.length).toBeGreaterThan(0);
    expect(primary.length).toBeGreaterThan(0);
    // the officer's own county, whole
    const own = await get<RegionPage>(`/api/monitoring/regions/${NANHU}?month=${month}`, 'sdc_nanhu');
    const ownFull = await get<RegionPage>(`/api/monitoring/regions/${NANHU}?month=${month}`, 'sdc_analyst');
    expect(own.total).toEqual(ownFull.total);
    // (a location quotient is also a ratio to the city's figures: shown only when those are)
    const noLq = (rows: RegionPage['clusters']) => rows.map((c) => ({ ...c, lq: null }));
    expect(noLq(own.clusters)).toEqual(noLq(ownFull.clusters));
    own.clusters.forEach((c, i) => c.lq !== null && expect(c.lq).toBe(ownFull.clusters[i]!.lq));
  });

  it('keeps readers outside a node’s firms from reading its top firm’s output off output × topFirmShare', async () => {
    // the enterprise user may not open the chain atlas at all (access policy); a county officer sees
    // nodes whose firms lie mostly outside its county
    const refused = await app.inject({
      method: 'GET',
      url: '/api/chains',
      headers: { cookie: cookies.sdc_firm! },
    });
    expect(refused.statusCode).toBe(403);
    const chains = await get<ChainSummary[] | { items: ChainSummary[] }>('/api/chains', 'sdc_analyst');
    const list = Array.isArray(chains) ? chains : chains.items;
    let checked = 0;
    let hidden = 0;
    for (const c of list) {
      const full = await get<ChainDetail>(`/api/chains/${c.code}`, 'sdc_analyst');
      const firm = await get<ChainDetail>(`/api/chains/${c.code}`, 'sdc_nanhu');
      for (const n of firm.nodes) {
        const real = full.nodes.find((x) => x.code === n.code)!;
        if (real.output === null || real.topFirmShare === null || real.firms === 0) continue;
        checked++;
        const topOutput = real.output * real.topFirmShare;
        if (n.suppressed) {
          hidden++;
          expect(n.output).toBeNull();
          expect(n.topFirmShare).toBeNull();
          continue;
        }
        // shown: a share to a tenth only, so the product misses the top firm unless by coincidence
        expect(Math.abs(n.topFirmShare! * 10 - Math.round(n.topFirmShare! * 10))).toBeLessThan(1e-9);
        // (a share above 60 % may still show when the top firm is the officer's own county's)
        if (Math.abs(real.topFirmShare - n.topFirmShare!) > 1e-6)
          expect(Math.abs(n.output! * n.topFirmShare! - topOutput)).toBeGreaterThan(1e-6);
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(hidden).toBeGreaterThan(0);
  });
});
