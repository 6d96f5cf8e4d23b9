// The published cluster index (issue 19) on every test database, over generated demo data: editions
// computed 2021–2025, four eyes through the API, published results never change, corrections need a
// reason, raw values against direct SQL, the xlsx reproducing the API's numbers, the firms behind a
// figure within scope, the public view only when switched on (small cells withheld), audit rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { auditLog, monthlyStats } from '../../src/db/schema.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadChains } from '../../src/modules/chains/service.ts';
import { generateDemoProjects } from '../../src/modules/projects/demo.ts';
import type { IndexEdition, ResultList } from '../../src/modules/cluster-index/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

describe.each(testDatabases())('cluster index on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookies: Record<string, string> = {};
  let first: IndexEdition;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    const config = await loadCityConfig(resolveCityDir());
    await loadChains(d.db, config);
    const { generateDemo } = await import('../../src/demo/generate.ts');
    await generateDemo(d, config, { seed: 19, enterpriseCount: 700 });
    await generateDemoProjects(d.db, 19);
    fx = await seedFixture(d);
    app = await testApp(d);
    for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const req = (method: 'GET' | 'POST' | 'PUT', url: string, who: string | null, payload?: unknown) =>
    app.inject({ method, url, headers: who ? { cookie: cookies[who]! } : {}, payload: payload as never });
  const audits = (action: string, entityId?: number | string) =>
    d.db
      .select()
      .from(auditLog)
      .where(
        entityId === undefined
          ? eq(auditLog.action, action)
          : and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))),
      );
  const results = async (id: number, q: string, who = 'admin') => {
    const res = await req('GET', `/api/index/editions/${id}/results?${q}`, who);
    expect(res.statusCode, res.body).toBe(200);
    return json<ResultList>(res);
  };

  it('an analyst drafts an edition for 2021–2025, computed at once for both levels and frequencies', async () => {
    const res = await req('POST', '/api/index/editions', 'analyst', { years: { from: 2021, to: 2025 } });
    expect(res.statusCode, res.body).toBe(201);
    first = json<IndexEdition>(res);
    expect(first).toMatchObject({ version: 1, status: 'draft', kind: 'index_framework' });
    expect(first.computations.map((c) => c.frequency).sort()).toEqual(['quarter', 'year']);
    expect((await audits('definition.create', first.id)).length).toBe(1);

    const city = await results(first.id, 'frequency=year&level=cluster', 'analyst');
    expect(city.periods).toEqual(['2021', '2022', '2023', '2024', '2025']);
    for (const p of city.periods) {
      const rows = city.items.filter((r) => r.period === p);
      expect(rows.map((r) => r.clusterCode).sort()).toEqual([
        'automotive',
        'chem_materials',
        'new_energy',
        'smart_home',
        'textile',
      ]);
      expect(rows.map((r) => r.rank).sort()).toEqual([1, 2, 3, 4, 5]);
    }
    for (const r of city.items) {
      expect(r.score).not.toBeNull();
      expect(r.indicators).toHaveLength(16);
      // every figure traces to its parts: the contributions add up to the score
      expect(r.indicators.reduce((a, c) => a + c.contribution, 0)).toBeCloseTo(r.score!, 9);
      expect(r.p5Rank!).toBeLessThanOrEqual(r.medianRank!);
      expect(r.medianRank!).toBeLessThanOrEqual(r.p95Rank!);
      expect(r.gates.map((g) => g.pass)).toContain(null); // the negative list has no data on the platform
    }
    const county = await results(first.id, 'frequency=year&level=county&period=2025', 'analyst');
    expect(county.items.length).toBeGreaterThan(10);
    expect(county.items.every((r) => r.regionCode && r.regionName)).toBe(true);
    const quarter = await results(first.id, 'frequency=quarter&level=cluster&period=2024-Q2', 'analyst');
    expect(quarter.items).toHaveLength(5);
    // annual-only figures are missing in a quarter and their weight goes to the others
    const tax = quarter.items[0]!.indicators.find((c) => c.key === 'tax_per_mu')!;
    expect(tax).toMatchObject({ raw: null, weight: 0 });
  });

  it('computes the raw figures as a direct SQL over the facts does', async () => {
    const city = await results(first.id, 'frequency=year&level=cluster&period=2025&cluster=textile');
    const row = city.items[0]!;
    const [direct] = await queryRows<{ tax: number; land: number; n: number }>(
      d.db,
      sql`select sum(a.tax_paid) as tax, sum(a.land_mu) as land, count(distinct e.id)::int as n
          from enterprises e
          join enterprise_clusters ec on ec.enterprise_id = e.id and ec.cluster_code = 'textile'
            and ec.valid_from < '2026-01-01' and (ec.valid_to is null or ec.valid_to > '2025-01-01')
          left join annual_inputs a on a.enterprise_id = e.id and a.year = 2025
          where e.scale = 'above' and exists (select 1 from monthly_stats m where m.enterprise_id = e.id
            and m.month >= '2025-01-01' and m.month < '2026-01-01')`,
    );
    expect(row.firms).toBe(direct!.n);
    const taxPerMu = row.indicators.find((c) => c.key === 'tax_per_mu')!.raw!;
    expect(taxPerMu).toBeCloseTo(Number(direct!.tax) / Number(direct!.land), 9);
    // revenue growth on the same firms: this year's revenue of firms that had revenue a year before
    const [growth] = await queryRows<{ g: number }>(
      d.db,
      sql`with f as (
            select (select sum(revenue) from monthly_stats m where m.enterprise_id = e.id
                      and m.month >= '2025-01-01' and m.month < '2026-01-01') as r,
                   (select sum(revenue) from monthly_stats m where m.enterprise_id = e.id
                      and m.month >= '2024-01-01' and m.month < '2025-01-01') as p
            from enterprises e
            join enterprise_clusters ec on ec.enterprise_id = e.id and ec.cluster_code = 'textile'
              and ec.valid_from < '2026-01-01' and (ec.valid_to is null or ec.valid_to > '2025-01-01')
            where e.scale = 'above')
          select 100 * (sum(r) filter (where p > 0) / sum(p) filter (where p > 0 and r is not null) - 1) as g from f`,
    );
    expect(row.indicators.find((c) => c.key === 'revenue_growth')!.raw!).toBeCloseTo(Number(growth!.g), 9);
  });

  it('keeps drafts from readers and refuses them the drafting', async () => {
    expect((await req('GET', `/api/index/editions/${first.id}`, 'nanhu')).statusCode).toBe(404);
    expect((await req('GET', `/api/index/editions/${first.id}/results`, 'nanhu')).statusCode).toBe(404);
    expect(json<{ items: unknown[] }>(await req('GET', '/api/index/editions', 'nanhu')).items).toEqual([]);
    expect((await req('POST', '/api/index/editions', 'nanhu', {})).statusCode).toBe(403);
    expect((await req('GET', '/api/index/editions', 'enterprise')).statusCode).toBe(403);
  });

  it('changes a draft (recomputed, audited) and lists nothing to compare before a publication', async () => {
    const fw = first.body.framework;
    const res = await req('PUT', `/api/index/editions/${first.id}`, 'analyst', {
      framework: {
        ...fw,
        dimensions: fw.dimensions.map((x, i) => ({ ...x, weight: i === 0 ? 0.3 : 0.175 })),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<IndexEdition>(res).body.framework.dimensions[0]!.weight).toBe(0.3);
    expect((await audits('definition.edit', first.id)).length).toBe(1);
    const again = await req('POST', `/api/index/editions/${first.id}/recompute`, 'analyst');
    expect(again.statusCode, again.body).toBe(200);
    expect((await audits('index.recompute', first.id)).length).toBe(1);
    // an unusable framework is refused with the field that is wrong
    const bad = await req('PUT', `/api/index/editions/${first.id}`, 'analyst', {
      framework: {
        ...fw,
        indicators: fw.indicators.map((x, i) => (i === 0 ? { ...x, dimension: 'nowhere' } : x)),
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('indicators[0].dimension');
  });

  it('is reviewed and published by a second person only', async () => {
    const move = (who: string, action: string, id = first.id) =>
      req('POST', `/api/index/editions/${id}/transition`, who, { action });
    expect((await move('analyst', 'submit')).statusCode).toBe(200);
    expect((await move('analyst', 'review')).statusCode).toBe(403); // the analyst's role does not review
    // an administrator's own draft: refused by four eyes
    const own = json<IndexEdition>(
      await req('POST', '/api/index/editions', 'admin', { years: { from: 2024, to: 2025 } }),
    );
    expect((await move('admin', 'submit', own.id)).statusCode).toBe(200);
    const refused = await move('admin', 'review', own.id);
    expect(refused.statusCode).toBe(403);
    expect(json<{ detailZh: string }>(refused).detailZh).toContain('双人复核');
    expect((await move('admin', 'withdraw', own.id)).statusCode).toBe(200);

    expect((await move('admin', 'publish')).statusCode).toBe(409); // not reviewed yet
    expect((await move('admin', 'review')).statusCode).toBe(200);
    const pub = await move('admin', 'publish');
    expect(pub.statusCode, pub.body).toBe(200);
    first = json<IndexEdition>(pub);
    expect(first).toMatchObject({
      status: 'published',
      submitted: { name: 'fx_analyst' },
      published: { name: 'fx_admin' },
    });
    for (const a of ['submit', 'review', 'publish', 'withdraw'])
      expect((await audits(`definition.${a}`)).length).toBeGreaterThan(0);
    // readers see it now
    expect((await req('GET', `/api/index/editions/${first.id}`, 'nanhu')).statusCode).toBe(200);
    expect(
      json<{ currentId: number }>(await req('GET', '/api/index/editions', 'textileAgency')).currentId,
    ).toBe(first.id);
  });

  it('never changes a published edition or its results', async () => {
    const before = await results(first.id, 'frequency=year&level=county');
    expect((await req('PUT', `/api/index/editions/${first.id}`, 'analyst', { title: 'x' })).statusCode).toBe(
      409,
    );
    expect((await req('POST', `/api/index/editions/${first.id}/recompute`, 'analyst')).statusCode).toBe(409);
    // new facts arrive: the published figures stay as published
    await d.db
      .update(monthlyStats)
      .set({ revenue: sql`${monthlyStats.revenue} * 2` })
      .where(sql`month >= '2025-01-01'`);
    expect(await results(first.id, 'frequency=year&level=county')).toEqual(before);
  });

  it('takes a correction only with its reason, and compares the two editions', async () => {
    const none = await req('POST', '/api/index/editions', 'analyst', {});
    expect(none.statusCode).toBe(400);
    const res = await req('POST', '/api/index/editions', 'analyst', { reason: '营业收入口径更正' });
    expect(res.statusCode, res.body).toBe(201);
    const v2 = json<IndexEdition>(res);
    expect(v2).toMatchObject({ basedOnId: first.id, reason: '营业收入口径更正', currentId: first.id });
    expect(v2.body.years).toEqual({ from: 2021, to: 2025 });
    const cmp = await req('GET', `/api/index/compare?a=${first.id}&b=${v2.id}&period=2025`, 'admin');
    expect(cmp.statusCode, cmp.body).toBe(200);
    const c = json<{ items: { scoreA: number | null; scoreB: number | null }[] }>(cmp);
    expect(c.items).toHaveLength(5);
    // revenue doubled for 2025: the growth indicator moves, so some score differs
    expect(c.items.some((x) => x.scoreA !== x.scoreB)).toBe(true);
  });

  it('downloads an xlsx that reproduces the API’s numbers, and CSV and JSON', async () => {
    const res = await req('GET', `/api/index/editions/${first.id}/export.xlsx`, 'nanhu');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const api = await results(first.id, 'frequency=year&level=cluster', 'nanhu');
    const sheet = wb.getWorksheet('集群指数（年度）')!;
    const head = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => head.indexOf(name) + 1;
    expect(sheet.rowCount - 1).toBe(api.items.length);
    api.items.forEach((r, i) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(col('期间')).value).toBe(r.period);
      expect(row.getCell(col('集群代码')).value).toBe(r.clusterCode);
      expect(row.getCell(col('指数')).value).toBe(r.score);
      expect(row.getCell(col('排名')).value).toBe(r.rank);
      expect(row.getCell(col('排名中位数')).value).toBe(r.medianRank);
      expect(row.getCell(col('指数P95')).value).toBe(r.p95Score);
    });
    const detail = wb.getWorksheet('指标明细（年度）')!;
    const first2025 = api.items.find((r) => r.period === '2025')!;
    const rows = detail
      .getSheetValues()
      .filter((v) => Array.isArray(v) && v[1] === '2025' && v[2] === first2025.clusterCode && v[3] === '');
    expect(rows.map((v) => (v as unknown[])[5])).toEqual(first2025.indicators.map((c) => c.raw ?? undefined));
    expect(rows.map((v) => (v as unknown[])[10])).toEqual(first2025.indicators.map((c) => c.contribution));

    const csv = await req(
      'GET',
      `/api/index/editions/${first.id}/export.csv?frequency=year&level=county`,
      'nanhu',
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n').filter(Boolean).length - 1).toBe(
      (await results(first.id, 'frequency=year&level=county')).items.length,
    );
    const js = await req('GET', `/api/index/editions/${first.id}/export.json`, 'nanhu');
    expect(js.statusCode).toBe(200);
    const parsed = json<{ results: ResultList[] }>(js);
    expect(parsed.results[0]).toEqual(api);
  });

  it('shows the firms behind a figure within the user’s scope only', async () => {
    const q = `frequency=year&period=2025&cluster=textile`;
    const all = json<{ shown: number; total: number; items: { regionCode: string }[] }>(
      await req('GET', `/api/index/editions/${first.id}/firms?${q}`, 'analyst'),
    );
    expect(all.shown).toBe(all.total);
    const mine = await req('GET', `/api/index/editions/${first.id}/firms?${q}`, 'nanhu');
    expect(mine.statusCode).toBe(200);
    const m = json<{ shown: number; total: number; items: { regionCode: string }[] }>(mine);
    expect(m.items.every((f) => f.regionCode === NANHU)).toBe(true);
    expect(m.shown).toBeLessThan(all.total);
    expect((await req('GET', `/api/index/editions/${first.id}/firms?${q}`, 'enterprise')).statusCode).toBe(
      403,
    );
  });

  it('answers the public view only when the bureau turns it on, cluster level only, small cells withheld', async () => {
    expect((await req('GET', '/api/public/index', null)).statusCode).toBe(404);
    expect((await req('PUT', '/api/index/settings', 'analyst', { publicView: true })).statusCode).toBe(403);
    const on = await req('PUT', '/api/index/settings', 'admin', { publicView: true });
    expect(on.statusCode).toBe(200);
    expect((await audits('index.settings')).length).toBe(1);
    const pub = await req('GET', '/api/public/index', null);
    expect(pub.statusCode, pub.body).toBe(200);
    const body = json<{
      edition: { id: number };
      items: { regionCode: string | null; suppressed: boolean; score: number | null; firms: number }[];
    }>(pub);
    expect(body.edition.id).toBe(first.id);
    expect(body.items.length).toBe(25);
    expect(body.items.every((r) => r.regionCode === null)).toBe(true);
    for (const r of body.items) if (r.firms < 3) expect(r).toMatchObject({ suppressed: true, score: null });
    // county cells of fewer than 3 firms are withheld from county officers too
    const county = await results(first.id, 'frequency=year&level=county', 'nanhu');
    const small = county.items.filter((r) => r.firms < 3);
    for (const r of small) expect(r).toMatchObject({ suppressed: true, score: null, indicators: [] });
    await req('PUT', '/api/index/settings', 'admin', { publicView: false });
    expect((await req('GET', '/api/public/index', null)).statusCode).toBe(404);
  });
});
