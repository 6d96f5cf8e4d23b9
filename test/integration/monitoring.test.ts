// Cluster monitoring on every test database: the rollups agree with direct SQL over the fact tables
// (demo data), hand-computed 累计 / 同比 across a year boundary and a missing month, membership
// history, zones inside counties, incremental refresh, scope.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { enterpriseClusters, enterprises, monthlyStats } from '../../src/db/schema.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import type {
  ClusterPage,
  Cockpit,
  FiguresAnswer,
  RankingAnswer,
  RegionPage,
  StructureAnswer,
  TargetsAnswer,
} from '../../src/modules/monitoring/schemas.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, PASSWORD, TONGXIANG } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

const actor = { id: null, username: 'fixture' };

describe.each(testDatabases())('monitoring on demo data ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let cookie: string;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 7, enterpriseCount: 160 });
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    await createUser(
      d.db,
      { username: 'mon_analyst', displayName: 'Analyst', role: 'analyst', password: PASSWORD },
      actor,
    );
    app = await testApp(d);
    cookie = await loginCookie(app, 'mon_analyst');
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const get = <T>(url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie } }).then((r) => {
      expect(r.statusCode, r.body).toBe(200);
      return json<T>(r);
    });

  it('agrees with a direct SQL sum over the fact tables for every cluster, county and month', async () => {
    // Independent formulation: membership valid at the month's last day, an enterprise's earliest
    // membership row also covering earlier months; each enterprise counted once per cluster.
    const direct = await queryRows<{
      c: string;
      r: string;
      m: string;
      out: number | null;
      rev: number | null;
      emp: number | null;
      n: number;
    }>(
      d.db,
      sql`select c.code as c, e.region_code as r, to_char(ms.month, 'YYYY-MM') as m, sum(ms.output_value)::float8 as out,
            sum(ms.revenue)::float8 as rev, sum(ms.employees)::float8 as emp, count(*)::int as n
          from monthly_stats ms join enterprises e on e.id = ms.enterprise_id cross join clusters c
          where e.scale = 'above' and exists (
            select 1 from enterprise_clusters ec where ec.enterprise_id = e.id and ec.cluster_code = c.code
              and (ec.valid_to is null or ec.valid_to > (ms.month + interval '1 month' - interval '1 day')::date)
              and (ec.valid_from <= (ms.month + interval '1 month' - interval '1 day')::date
                   or not exists (select 1 from enterprise_clusters x where x.enterprise_id = e.id and x.valid_from < ec.valid_from)))
          group by c.code, e.region_code, ms.month`,
    );
    expect(direct.length).toBeGreaterThan(100);
    const years = [...new Set(direct.map((x) => x.m.slice(0, 4)))].sort();
    const api = new Map<string, FiguresAnswer['rows'][number]>();
    const meta = await get<{ latestMonth: string }>('/api/monitoring/meta');
    for (const y of years) {
      const to = `${y}-12` > meta.latestMonth ? meta.latestMonth : `${y}-12`;
      const res = await get<FiguresAnswer>(`/api/monitoring/figures?from=${y}-01&month=${to}`);
      for (const row of res.rows) api.set(`${row.clusterCode}|${row.regionCode}|${row.month}`, row);
    }
    for (const x of direct) {
      const row = api.get(`${x.c}|${x.r}|${x.m}`);
      expect(row, `${x.c} ${x.r} ${x.m}`).toBeDefined();
      expect(row!.enterprises).toBe(x.n);
      expect(row!.measures.outputValue.month ?? 0).toBeCloseTo(x.out ?? 0, 4);
      expect(row!.measures.revenue.month ?? 0).toBeCloseTo(x.rev ?? 0, 4);
      expect(row!.measures.employees.month ?? 0).toBeCloseTo(x.emp ?? 0, 6);
    }
    const realClusterRows = [...api.values()].filter((r) => !r.clusterCode.startsWith('_'));
    expect(realClusterRows.length).toBe(direct.length);

    // 累计 of a county: the sum of its months from January, straight from SQL.
    const sample = direct.find((x) => x.m.endsWith('-06'))!;
    const months = direct.filter(
      (x) =>
        x.c === sample.c && x.r === sample.r && x.m.slice(0, 4) === sample.m.slice(0, 4) && x.m <= sample.m,
    );
    const expectYtd = months.reduce((s, x) => s + (x.out ?? 0), 0);
    expect(api.get(`${sample.c}|${sample.r}|${sample.m}`)!.measures.outputValue.ytd).toBeCloseTo(
      expectYtd,
      4,
    );
  });

  it('sends a large answer gzip-compressed to a client that accepts it, the same JSON once decoded', async () => {
    const meta = await get<{ latestMonth: string }>('/api/monitoring/meta');
    const url = `/api/monitoring/figures?from=${meta.latestMonth.slice(0, 4)}-01&month=${meta.latestMonth}`;
    const plain = await app.inject({ method: 'GET', url, headers: { cookie } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');
    expect(plain.rawPayload.length).toBeGreaterThan(8 * 1024);
    for (const accept of ['gzip', 'gzip, deflate, br', 'br;q=1.0, gzip;q=0.8, *;q=0.1', '*']) {
      const zipped = await app.inject({ method: 'GET', url, headers: { cookie, 'accept-encoding': accept } });
      expect(zipped.headers['content-encoding'], accept).toBe('gzip');
      expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
      expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload), accept).toBe(true);
    }
    // refused or not named: the bytes as they are
    for (const accept of ['gzip;q=0', 'br', 'identity'])
      expect(
        (await app.inject({ method: 'GET', url, headers: { cookie, 'accept-encoding': accept } })).headers[
          'content-encoding'
        ],
        accept,
      ).toBeUndefined();
    // a small answer (a few packets) is never compressed
    const small = await app.inject({
      method: 'GET',
      url: '/api/monitoring/meta',
      headers: { cookie, 'accept-encoding': 'gzip' },
    });
    expect(small.rawPayload.length).toBeLessThan(8 * 1024);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('counts zones inside their county, never twice, and dual members once in the five-cluster total', async () => {
    const meta = await get<{ latestMonth: string }>('/api/monitoring/meta');
    const y = meta.latestMonth.slice(0, 4);
    const byCounty = await get<FiguresAnswer>(
      `/api/monitoring/figures?from=${y}-01&month=${meta.latestMonth}`,
    );
    const byZone = await get<FiguresAnswer>(
      `/api/monitoring/figures?from=${y}-01&month=${meta.latestMonth}&by=zone`,
    );
    const sum = new Map<string, number>();
    for (const r of byZone.rows) {
      const k = `${r.clusterCode}|${r.regionCode}|${r.month}`;
      sum.set(k, (sum.get(k) ?? 0) + (r.measures.outputValue.month ?? 0));
    }
    for (const r of byCounty.rows)
      expect(sum.get(`${r.clusterCode}|${r.regionCode}|${r.month}`)).toBeCloseTo(
        r.measures.outputValue.month ?? 0,
        4,
      );

    const once = await queryRows<{ v: number }>(
      d.db,
      sql`select sum(ms.output_value)::float8 as v from monthly_stats ms join enterprises e on e.id = ms.enterprise_id
          where e.scale = 'above' and ms.month = ${`${meta.latestMonth}-01`}::date
          and exists (select 1 from enterprise_clusters ec where ec.enterprise_id = e.id and ec.valid_to is null)`,
    );
    const c = await get<Cockpit>(`/api/monitoring/cockpit?month=${meta.latestMonth}`);
    expect(c.total.output.month).toBeCloseTo(once[0]!.v, 4);
    const countySum = c.counties.reduce((s, x) => s + (x.output.month ?? 0), 0);
    expect(countySum).toBeCloseTo(once[0]!.v, 4);
    expect(c.clusters).toHaveLength(5);
    expect(c.trend).toHaveLength(25);
    // The set in force (135N, 2023—2027) is the default; the superseded five-cluster set is asked for.
    expect(c.targets?.set.code).toBe('135n-2023-2027');
    const old = await get<Cockpit>(
      `/api/monitoring/cockpit?month=${meta.latestMonth}&targetSet=five-clusters-2020`,
    );
    expect(old.targets?.set.code).toBe('five-clusters-2020');
    // 2025 is over in the demo data: every cluster output target says achieved or missed.
    const outputs = old.targets!.targets.filter((x) => x.metric === 'cluster_output');
    expect(outputs).toHaveLength(5);
    for (const o of outputs) expect(['achieved', 'missed']).toContain(o.status);
  });

  it('answers the cluster, county, structure, targets and rankings pages', async () => {
    const cl = await get<ClusterPage>('/api/monitoring/clusters/textile');
    expect(cl.areas.filter((a) => a.kind === 'county')).toHaveLength(7);
    expect(cl.ladder.rungs.map((r) => r.thresholdYiYuan)).toEqual([1000, 500, 100]);
    const county = await get<RegionPage>(`/api/monitoring/regions/${TONGXIANG}`);
    expect(county.clusters).toHaveLength(5);
    if (county.shiftShare) {
      const tot = county.shiftShare.total;
      expect(tot.referenceGrowth + tot.industryMix + tot.regionalShare).toBeCloseTo(tot.change, 3);
    }
    const s = await get<StructureAnswer>('/api/monitoring/structure');
    expect(s.lq).toHaveLength(7);
    const set135 = await get<TargetsAnswer>('/api/monitoring/targets?targetSet=135n-2023-2027');
    expect(set135.set.code).toBe('135n-2023-2027');
    expect(set135.targets.find((x) => x.metric === 'tax_per_mu')?.actual).toBeGreaterThan(0);
    const r = await get<RankingAnswer>('/api/monitoring/rankings?cluster=textile&pageSize=5');
    expect(r.items.length).toBeGreaterThan(0);
    for (let i = 1; i < r.items.length; i++)
      expect(r.items[i]!.value).toBeLessThanOrEqual(r.items[i - 1]!.value);
    expect(
      (await app.inject({ method: 'GET', url: '/api/monitoring/clusters/nope', headers: { cookie } }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/api/monitoring/targets?targetSet=nope',
          headers: { cookie },
        })
      ).statusCode,
    ).toBe(400);
  });

  it("keeps each firm's 1–N月累计 per cluster in agreement with a direct sum, also after an incremental refresh", async () => {
    // Independent formulation: Σ output over January … m of the firm's rows, membership at m's last
    // day (earliest membership covering earlier months), every month up to the latest on record.
    const direct = sql`select c.code as c, to_char(mo.m, 'YYYY-MM') as m, ms.enterprise_id::int as id, sum(ms.output_value)::float8 as v
      from (select distinct month as m from cluster_region_month) mo
      join monthly_stats ms on ms.month >= date_trunc('year', mo.m) and ms.month <= mo.m
      cross join (select code from clusters union all select '_all') c
      where c.code = '_all' or exists (
        select 1 from enterprise_clusters ec where ec.enterprise_id = ms.enterprise_id and ec.cluster_code = c.code
          and (ec.valid_to is null or ec.valid_to > (mo.m + interval '1 month' - interval '1 day')::date)
          and (ec.valid_from <= (mo.m + interval '1 month' - interval '1 day')::date
               or not exists (select 1 from enterprise_clusters x where x.enterprise_id = ms.enterprise_id and x.valid_from < ec.valid_from)))
      group by c.code, mo.m, ms.enterprise_id
      having sum(ms.output_value) > 0`;
    const table = sql`select cluster_code as c, to_char(month, 'YYYY-MM') as m, enterprise_id::int as id, output_ytd as v from cluster_enterprise_ytd`;
    const compare = async () => {
      const want = await queryRows<{ c: string; m: string; id: number; v: number }>(d.db, direct);
      const rows = await queryRows<{ c: string; m: string; id: number; v: number }>(d.db, table);
      const got = new Map(rows.map((r) => [`${r.c}|${r.m}|${r.id}`, r.v]));
      expect(want.length).toBeGreaterThan(1000);
      expect(got.size).toBe(rows.length); // one row per cluster × month × firm (no unique index says so)
      expect(got.size).toBe(want.length);
      for (const w of want)
        expect(got.get(`${w.c}|${w.m}|${w.id}`), `${w.c} ${w.m} ${w.id}`).toBeCloseTo(w.v, 6);
    };
    await compare();

    // An import of a mid-year month changes the 累计 of the rest of that year; refreshed incrementally.
    const [{ m } = { m: '' }] = await queryRows<{ m: string }>(
      d.db,
      sql`select to_char(max(month), 'YYYY') || '-02' as m from monthly_stats`,
    );
    await d.db.transaction(async (tx) => {
      await tx.execute(
        sql`update monthly_stats set output_value = output_value * 3 + 1 where month = ${`${m}-01`}::date`,
      );
      await refreshClusterRollups(tx, { months: [m] });
    });
    await compare();

    // A correction of a few firms in a month of the latest year (a monthly import names its firms):
    // only their 累计 is rebuilt, from the stored month before.
    const [{ c } = { c: '' }] = await queryRows<{ c: string }>(
      d.db,
      sql`select to_char(max(month), 'YYYY') || '-03' as c from monthly_stats`,
    );
    const few = (
      await queryRows<{ id: number }>(
        d.db,
        sql`select enterprise_id::int as id from monthly_stats where month = ${`${c}-01`}::date order by 1 limit 5`,
      )
    ).map((r) => r.id);
    await d.db.transaction(async (tx) => {
      await tx.execute(
        sql`update monthly_stats set output_value = output_value + 1000 where month = ${`${c}-01`}::date
            and enterprise_id = any(${`{${few.join(',')}}`}::bigint[])`,
      );
      await refreshClusterRollups(tx, { months: [c], firms: few });
    });
    await compare();

    // A new latest month reported by half the firms: the others' 累计 carries into it.
    const [{ next } = { next: '' }] = await queryRows<{ next: string }>(
      d.db,
      sql`select to_char(max(month) + interval '1 month', 'YYYY-MM') as next from monthly_stats`,
    );
    const half = await d.db.transaction(async (tx) => {
      const ids = await queryRows<{ id: number }>(
        tx,
        sql`insert into monthly_stats (enterprise_id, month, output_value)
            select enterprise_id, ${`${next}-01`}::date, output_value from monthly_stats
            where month = (select max(month) from monthly_stats) and enterprise_id % 2 = 0
            returning enterprise_id::int as id`,
      );
      await refreshClusterRollups(tx, { months: [next], firms: ids.map((r) => r.id) });
      return ids.length;
    });
    expect(half).toBeGreaterThan(10);
    await compare();

    // The concentration answered on the cluster page is the one of the firms' 累计 values.
    const meta = await get<{ latestMonth: string }>('/api/monitoring/meta');
    const cl = await get<ClusterPage>(`/api/monitoring/clusters/textile?month=${meta.latestMonth}`);
    const firms = (await queryRows<{ c: string; m: string; id: number; v: number }>(d.db, direct)).filter(
      (r) => r.c === 'textile' && r.m === meta.latestMonth,
    );
    const scaleOf = new Map(
      (
        await queryRows<{ id: number; scale: string }>(
          d.db,
          sql`select id::int as id, scale from enterprises`,
        )
      ).map((r) => [r.id, r.scale]),
    );
    const values = firms.filter((f) => scaleOf.get(f.id) === 'above').map((f) => f.v);
    const total = values.reduce((s, v) => s + v, 0);
    expect(cl.concentration!.n).toBe(values.length);
    expect(cl.concentration!.hhi).toBeCloseTo(
      values.reduce((s, v) => s + (v / total) ** 2, 0),
      9,
    );
  });
});

describe.each(testDatabases())('monitoring by hand ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  const ids: Record<'a' | 'b' | 'c', number> = { a: 0, b: 0, c: 0 };

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    const rows = await d.db
      .insert(enterprises)
      .values([
        {
          uscc: fixtureUscc(11),
          name: '南湖手算纺织有限公司',
          regionCode: NANHU,
          zoneCode: 'Z-JXETDZ',
          industryCode: '1711',
          scale: 'above',
        },
        {
          uscc: fixtureUscc(12, TONGXIANG),
          name: '桐乡手算光伏纺织有限公司',
          regionCode: TONGXIANG,
          industryCode: '1711',
          scale: 'above',
        },
        {
          uscc: fixtureUscc(13),
          name: '南湖手算食品有限公司',
          regionCode: NANHU,
          industryCode: '1391',
          scale: 'above',
        },
      ])
      .returning({ id: enterprises.id });
    [ids.a, ids.b, ids.c] = rows.map((r) => r.id) as [number, number, number];
    await d.db.insert(enterpriseClusters).values([
      { enterpriseId: ids.a, clusterCode: 'textile', basis: 'industry_code', validFrom: '2024-06-01' },
      { enterpriseId: ids.b, clusterCode: 'textile', basis: 'industry_code', validFrom: '2019-01-01' },
      // an administrator's override from mid-February 2025: new energy from the February figures on
      { enterpriseId: ids.b, clusterCode: 'new_energy', basis: 'override', validFrom: '2025-02-15' },
    ]);
    const facts: { enterpriseId: number; month: string; outputValue: number }[] = [];
    for (let m = 1; m <= 12; m++) {
      const month = `2024-${String(m).padStart(2, '0')}-01`;
      facts.push(
        { enterpriseId: ids.a, month, outputValue: 100 },
        { enterpriseId: ids.b, month, outputValue: 50 },
        { enterpriseId: ids.c, month, outputValue: 10 },
      );
    }
    const y2025: Record<'a' | 'b' | 'c', (number | null)[]> = {
      a: [120, 130, null, 150],
      b: [60, 40, 70, 80],
      c: [20, 20, 20, 20],
    };
    for (const k of ['a', 'b', 'c'] as const) {
      y2025[k].forEach((v, i) => {
        if (v !== null) facts.push({ enterpriseId: ids[k], month: `2025-0${i + 1}-01`, outputValue: v });
      });
    }
    await d.db.insert(monthlyStats).values(facts);
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    await createUser(
      d.db,
      { username: 'h_analyst', displayName: 'A', role: 'analyst', password: PASSWORD },
      actor,
    );
    await createUser(
      d.db,
      { username: 'h_nanhu', displayName: 'N', role: 'county', regionCode: NANHU, password: PASSWORD },
      actor,
    );
    await createUser(
      d.db,
      { username: 'h_firm', displayName: 'F', role: 'enterprise', enterpriseId: ids.a, password: PASSWORD },
      actor,
    );
    app = await testApp(d);
    for (const u of ['h_analyst', 'h_nanhu', 'h_firm']) cookies[u] = await loginCookie(app, u);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const get = <T>(url: string, who = 'h_analyst') =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } }).then((r) => {
      expect(r.statusCode, r.body).toBe(200);
      return json<T>(r);
    });
  const row = (f: FiguresAnswer, cluster: string, region: string, month: string) =>
    f.rows.find((r) => r.clusterCode === cluster && r.regionCode === region && r.month === month)?.measures
      .outputValue;

  it('computes 本月, 累计 and 同比 across the year boundary by hand', async () => {
    const c = await get<Cockpit>('/api/monitoring/cockpit?month=2025-01');
    const textile = c.clusters.find((x) => x.code === 'textile')!;
    // January starts a new 累计: 120 + 60, not 2024's months; 同比 against January 2024 (100 + 50)
    expect(textile.output).toMatchObject({ month: 180, ytd: 180, ytdMissingMonths: [] });
    expect(textile.output.yoy).toBeCloseTo(0.2, 12);
    expect(textile.output.ytdYoy).toBeCloseTo(0.2, 12);
    // new energy only from the override's month on: nothing in January
    expect(c.clusters.find((x) => x.code === 'new_energy')!.output.month).toBeNull();
    // the five-cluster total counts the dual member once
    expect(c.total.output.month).toBe(180);
    expect(c.total.shareOfIndustry).toBeCloseTo(180 / 200, 12);

    const feb = await get<Cockpit>('/api/monitoring/cockpit?month=2025-02');
    const t2 = feb.clusters.find((x) => x.code === 'textile')!.output;
    expect(t2.month).toBe(170);
    expect(t2.ytd).toBe(350);
    expect(t2.yoy).toBeCloseTo(170 / 150 - 1, 12);
    expect(t2.ytdYoy).toBeCloseTo(350 / 300 - 1, 12);
    expect(feb.clusters.find((x) => x.code === 'new_energy')!.output.month).toBe(40);
    expect(feb.total.output.month).toBe(170);
  });

  it('reports a missing month instead of counting it as zero', async () => {
    const f = await get<FiguresAnswer>('/api/monitoring/figures?from=2025-01&month=2025-04&cluster=textile');
    // 南湖 (firm A only) did not report March 2025
    expect(row(f, 'textile', NANHU, '2025-03')).toBeUndefined();
    const apr = row(f, 'textile', NANHU, '2025-04')!;
    expect(apr.month).toBe(150);
    expect(apr.ytd).toBe(400); // 120 + 130 + 150, partial
    expect(apr.ytdYoy).toBeNull(); // an incomplete 累计 is not compared
    expect(apr.yoy).toBeCloseTo(0.5, 12); // 150 / 100
    const region = await get<RegionPage>(`/api/monitoring/regions/${NANHU}?month=2025-04`);
    const tx = region.clusters.find((x) => x.code === 'textile')!;
    expect(tx.output.ytdMissingMonths).toEqual(['2025-03']);
    expect(tx.output.ytdYoyReason).toBe('incompleteCurrentYear');
    // 桐乡 reported every month: a full 累计 and its 同比
    const tongxiang = row(f, 'textile', TONGXIANG, '2025-04')!;
    expect(tongxiang.ytd).toBe(250);
    expect(tongxiang.ytdYoy).toBeCloseTo(250 / 200 - 1, 12);
  });

  it('gives location quotients and zones inside their county', async () => {
    const region = await get<RegionPage>(`/api/monitoring/regions/${NANHU}?month=2025-01`);
    // (南湖 textile 120 / 南湖 industry 140) / (city textile 180 / city industry 200)
    expect(region.clusters.find((x) => x.code === 'textile')!.lq).toBeCloseTo(120 / 140 / (180 / 200), 12);
    const zone = region.zones.find((z) => z.code === 'Z-JXETDZ')!;
    expect(zone.output.month).toBe(120);
    expect(region.total.output.month).toBe(120);
    expect(region.industry.output.month).toBe(140);
    const zonePage = await get<RegionPage>('/api/monitoring/regions/Z-JXETDZ?month=2025-01');
    expect(zonePage.area).toMatchObject({ kind: 'zone', hostRegionCode: NANHU });
    expect(zonePage.total.output.month).toBe(120);
  });

  it('refreshes only the months an import changed, inside its transaction', async () => {
    await d.db.transaction(async (tx) => {
      await tx.execute(
        sql`update monthly_stats set output_value = 90 where enterprise_id = ${ids.b} and month = '2025-04-01'`,
      );
      const r = await refreshClusterRollups(tx, { months: ['2025-04'] });
      expect(r.months).toBe(1);
    });
    const f = await get<FiguresAnswer>('/api/monitoring/figures?from=2025-03&month=2025-04&cluster=textile');
    expect(row(f, 'textile', TONGXIANG, '2025-04')!.month).toBe(90);
    expect(row(f, 'textile', TONGXIANG, '2025-03')!.month).toBe(70);
    // a rolled-back import leaves the rollups as they were
    await expect(
      d.db.transaction(async (tx) => {
        await tx.execute(sql`update monthly_stats set output_value = 1 where month = '2025-04-01'`);
        await refreshClusterRollups(tx, { months: ['2025-04'] });
        throw new Error('import refused');
      }),
    ).rejects.toThrow('import refused');
    const again = await get<FiguresAnswer>(
      '/api/monitoring/figures?from=2025-04&month=2025-04&cluster=textile',
    );
    expect(row(again, 'textile', TONGXIANG, '2025-04')!.month).toBe(90);
  });

  it('shows a county officer city aggregates but only their own enterprises', async () => {
    // the city total less Nanhu's own firms is one firm's (B's) output: withheld from Nanhu's officer
    // (disclosure control, frequency rule), shown to the administrator
    const c = await get<Cockpit>('/api/monitoring/cockpit?month=2025-01', 'h_nanhu');
    expect(c.total.suppressed).toBe('frequency');
    expect(c.total.output.month).toBeNull();
    expect((await get<Cockpit>('/api/monitoring/cockpit?month=2025-01')).total.output.month).toBe(180);
    const r = await get<RankingAnswer>('/api/monitoring/rankings?month=2025-02&period=month', 'h_nanhu');
    expect(r.items.map((x) => x.id).sort()).toEqual([ids.a, ids.c].sort());
    const cl = await get<ClusterPage>('/api/monitoring/clusters/textile?month=2025-02', 'h_nanhu');
    // two firms, one of them another county's: with A's own output the HHI or top share would give
    // B's away, so the officer gets no concentration (disclosure control, frequency rule)
    expect(cl.concentration).toBeNull();
    const all = await get<ClusterPage>('/api/monitoring/clusters/textile?month=2025-02');
    expect(all.concentration!.top).toHaveLength(2);
    // on 1–2月累计: A 120 + 130, B 60 + 40
    expect(all.concentration!.hhi).toBeCloseTo((250 / 350) ** 2 + (100 / 350) ** 2, 12);
    const region = await get<RegionPage>(`/api/monitoring/regions/${TONGXIANG}?month=2025-01`, 'h_nanhu');
    expect(region.enterprisesVisible).toBe(false);
    const denied = await app.inject({
      method: 'GET',
      url: '/api/monitoring/cockpit',
      headers: { cookie: cookies.h_firm! },
    });
    expect(denied.statusCode).toBe(403);
  });
});
