import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadCityConfig, resolveCityDir, type CityConfig } from '../config/load.ts';
import { openDatabase, queryRows, runMigrations, type Database } from '../db/client.ts';
import { clustersForIndustry } from '../domain/clusters.ts';
import { validateUscc } from '../domain/uscc.ts';
import {
  BLOCKED_ZIHAO,
  NameBook,
  candidateName,
  industryWords,
  shortPlace,
  type NameRequest,
} from './names.ts';
import { Rng, WeightedPicker, hashString, rngFor, round } from './random.ts';
import { codeCovers } from '../domain/chains/assign.ts';
import { drawProducts } from './products.ts';
import { DEFAULT_SEED, DEMO_META_KEY, enterpriseRow, generateDemo, type DemoSummary } from './generate.ts';
import { planEnterprises } from './enterprises.ts';
import { monthlyContext, seasonOfYear } from './monthly.ts';
import { LUNAR_NEW_YEAR } from './calibration.ts';
import { DemoWorld } from './world.ts';
import { loadReferenceData } from '../modules/reference/service.ts';

// ------------------------------------------------------------------ random.ts

describe('random', () => {
  it('is deterministic per seed and stream', () => {
    const a = new Rng(42, 'x');
    const b = new Rng(42, 'x');
    const xs = Array.from({ length: 50 }, () => a.nextUint32());
    expect(Array.from({ length: 50 }, () => b.nextUint32())).toEqual(xs);
    const c = new Rng(43, 'x');
    const d = new Rng(42, 'y');
    expect(Array.from({ length: 50 }, () => c.nextUint32())).not.toEqual(xs);
    expect(Array.from({ length: 50 }, () => d.nextUint32())).not.toEqual(xs);
  });

  it('draws uniforms in [0, 1) with a sane mean, integers within inclusive bounds', () => {
    const r = rngFor(1, 'test');
    let sum = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 20000; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      const k = r.int(3, 7);
      expect(k).toBeGreaterThanOrEqual(3);
      expect(k).toBeLessThanOrEqual(7);
      seen.add(k);
    }
    expect(sum / 20000).toBeGreaterThan(0.49);
    expect(sum / 20000).toBeLessThan(0.51);
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('normal draws have mean 0 and sd 1; noise has mean 1', () => {
    const r = rngFor(7, 'normal');
    const n = 40000;
    let s = 0;
    let s2 = 0;
    let noise = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
      noise += r.noise(0.3);
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(s2 / n) - 1)).toBeLessThan(0.03);
    expect(Math.abs(noise / n - 1)).toBeLessThan(0.01);
  });

  it('picks by weight and never picks a zero weight', () => {
    const p = new WeightedPicker([
      ['a', 1],
      ['b', 3],
      ['never', 0],
    ] as const);
    const r = rngFor(3, 'pick');
    const counts: Record<string, number> = {};
    for (let i = 0; i < 8000; i++) {
      const x = p.pick(r);
      counts[x] = (counts[x] ?? 0) + 1;
    }
    expect(counts.never).toBeUndefined();
    expect(counts.b! / counts.a!).toBeGreaterThan(2.6);
    expect(counts.b! / counts.a!).toBeLessThan(3.4);
  });

  it('hashes strings stably and rounds half away from zero', () => {
    expect(hashString('monthly#1')).toBe(hashString('monthly#1'));
    expect(hashString('monthly#1')).not.toBe(hashString('monthly#2'));
    expect(round(1.005 * 1000, 0)).toBe(1005);
    expect(round(-2.345, 1)).toBe(-2.3);
    expect(Object.is(round(-0.001), 0)).toBe(true);
  });
});

// ------------------------------------------------------------------ names.ts

describe('names', () => {
  const place = { countyName: '桐乡市', cityName: '嘉兴市', provinceName: '浙江省' };
  const req = (code: string, size = 0): NameRequest => ({ place, industryCode: code, section: 'C', size });

  it('builds {地名}{字号}{行业词}{组织形式}', () => {
    const r = rngFor(1, 'names');
    for (let i = 0; i < 300; i++) {
      const name = candidateName(r, req('2822'));
      expect(name).toMatch(/(有限公司|股份有限公司)$/);
      expect(name).toMatch(/^(桐乡市|桐乡|浙江|[^（]{2,3}（桐乡）)/);
      expect(industryWords('2822', 'C').some((w) => name.includes(w))).toBe(true);
    }
  });

  it('districts use the city name; large firms may use the province', () => {
    const r = rngFor(2, 'names');
    const district = { countyName: '南湖区', cityName: '嘉兴市', provinceName: '浙江省' };
    for (let i = 0; i < 200; i++) {
      const name = candidateName(r, { place: district, industryCode: '3670', section: 'C', size: 0 });
      expect(name.startsWith('南湖')).toBe(false);
    }
    const big = Array.from({ length: 200 }, () => candidateName(r, req('2822', 3)));
    expect(big.some((n) => n.startsWith('浙江'))).toBe(true);
    expect(big.every((n) => /(集团有限公司|股份有限公司)$/.test(n))).toBe(true);
  });

  it('hands out unique names and never a blocked 字号', () => {
    const book = new NameBook();
    const r = rngFor(3, 'names');
    const names = new Set<string>();
    for (let i = 0; i < 5000; i++) names.add(book.next(r, req(i % 2 ? '1751' : '3670')));
    expect(names.size).toBe(5000);
    expect(book.size).toBe(5000);
    for (const n of names)
      for (const z of ['桐昆', '新凤', '晶科', '闻泰', '合盛']) expect(n.includes(z)).toBe(false);
    expect(BLOCKED_ZIHAO.has('桐昆')).toBe(true);
  });

  it('picks the most specific industry word list and shortens places', () => {
    expect(industryWords('1752', 'C')).toContain('印染');
    expect(industryWords('1759', 'C')).toContain('织造');
    expect(industryWords('9999', 'C').length).toBeGreaterThan(0);
    expect(shortPlace('桐乡市')).toBe('桐乡');
    expect(shortPlace('浙江省')).toBe('浙江');
  });
});

// ------------------------------------------------------------------ seasonality (pure)

describe('seasonality', () => {
  it('puts the trough in the 春节 month of every year', () => {
    for (const [y, date] of Object.entries(LUNAR_NEW_YEAR)) {
      const s = seasonOfYear(Number(y));
      const sf = Number(date.slice(5, 7)) - 1;
      expect(Math.min(...s)).toBe(s[sf]);
      expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(12, 9);
    }
  });
});

// ------------------------------------------------------------------ the generator, end to end

const TINY = 300;

describe('generateDemo (tiny instance in PGlite)', () => {
  let config: CityConfig;
  let database: Database;
  let summary: DemoSummary;

  const enterpriseRows = async (d: Database) =>
    queryRows<Record<string, unknown>>(
      d.db,
      sql`select id, uscc, name, region_code, town_code, zone_code, industry_code, scale, founded::text as founded,
                 status, address, main_products from enterprises order by id`,
    );

  beforeAll(async () => {
    config = await loadCityConfig(resolveCityDir('jiaxing'));
    database = await openDatabase({ dataDir: 'memory://' });
    await runMigrations(database);
    await loadReferenceData(database.db, config);
    summary = await generateDemo(database, config, { enterpriseCount: TINY });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('writes every table and marks the database as demo data', async () => {
    expect(summary.counts.enterprises).toBe(TINY);
    expect(summary.above + summary.below).toBe(TINY);
    expect(summary.counts.monthly_stats).toBeGreaterThan(summary.above * 60);
    expect(summary.counts.annual_inputs).toBeGreaterThan(TINY * 3);
    expect(summary.counts.enterprise_clusters).toBeGreaterThan(TINY * 0.4);
    expect(summary.counts.platforms).toBeGreaterThan(20);
    const [m] = await queryRows<{ value: { seed: number; synthetic: boolean } }>(
      database.db,
      sql`select value from meta where key = ${DEMO_META_KEY}`,
    );
    expect(m?.value.synthetic).toBe(true);
    expect(m?.value.seed).toBe(DEFAULT_SEED);
  });

  it('is deterministic: the same seed gives identical rows, another seed differs', async () => {
    const first = await enterpriseRows(database);
    const monthlyFirst = await queryRows(
      database.db,
      sql`select * from monthly_stats order by enterprise_id, month limit 500`,
    );
    // Regenerating over previous demo data is allowed and reproduces the rows, ids included.
    await generateDemo(database, config, { enterpriseCount: TINY });
    expect(await enterpriseRows(database)).toEqual(first);
    expect(
      await queryRows(database.db, sql`select * from monthly_stats order by enterprise_id, month limit 500`),
    ).toEqual(monthlyFirst);

    const world = new DemoWorld(config);
    const a = planEnterprises(world, { seed: DEFAULT_SEED, scale: 'city', enterpriseCount: TINY });
    const b = planEnterprises(world, { seed: DEFAULT_SEED + 1, scale: 'city', enterpriseCount: TINY });
    expect(a.enterprises.map(enterpriseRow)).toEqual(first.map((r) => Object.values(r).slice(1)));
    const aRows = a.enterprises.map((e) => JSON.stringify(enterpriseRow(e)));
    const bRows = new Set(b.enterprises.map((e) => JSON.stringify(enterpriseRow(e))));
    expect(aRows.filter((r) => bRows.has(r)).length).toBe(0);
  });

  it('gives some firms main products of the chain node their code belongs to, and the rest none', () => {
    const world = new DemoWorld(config);
    const plan = planEnterprises(world, { seed: DEFAULT_SEED, scale: 'city', enterpriseCount: 3000 });
    const onNodes = plan.enterprises.filter((e) =>
      world.productNodes.some((n) => n.industryCodes.some((c) => codeCovers(c, e.industryCode))),
    );
    const withProducts = plan.enterprises.filter((e) => e.mainProducts);
    // only firms on some node have products; most of them do, not all
    expect(withProducts.every((e) => onNodes.includes(e))).toBe(true);
    expect(withProducts.length / onNodes.length).toBeGreaterThan(0.6);
    expect(withProducts.length / onNodes.length).toBeLessThan(0.9);
    for (const e of withProducts) {
      expect(e.mainProducts!.length).toBeGreaterThan(0);
      // every product comes from the pool of a node covering the firm's code
      const pools = world.productNodes
        .filter((n) => n.industryCodes.some((c) => codeCovers(c, e.industryCode)))
        .flatMap((n) => n.pool);
      for (const p of e.mainProducts!) expect(pools, `${e.industryCode} ${p}`).toContain(p);
    }
    // 3825 firms split between 电池片, 组件 and 逆变器 products
    const pv = withProducts.filter((e) => e.industryCode === '3825').map((e) => e.mainProducts!.join('、'));
    expect(pv.some((p) => p.includes('电池片'))).toBe(true);
    expect(pv.some((p) => p.includes('光伏组件'))).toBe(true);
    // the leading PV cell maker lists cells
    const anchor = {
      index: 0,
      industryCode: '3825',
      scale: 'above' as const,
      clusters: ['new_energy'],
      anchorKey: 'ne-pv-cells',
    };
    expect(drawProducts(DEFAULT_SEED, anchor, world.productNodes)).toEqual(['PERC电池片', 'TOPCon电池片']);
  });

  it('gives every enterprise a valid, unique USCC registered in its county, and a unique name', async () => {
    const rows = await queryRows<{ uscc: string; name: string; region_code: string }>(
      database.db,
      sql`select uscc, name, region_code from enterprises`,
    );
    for (const r of rows) {
      const v = validateUscc(r.uscc);
      expect(v.ok, r.uscc).toBe(true);
      if (v.ok) expect(v.warnings).toEqual([]); // the embedded organization code is valid too
      expect(r.uscc.slice(0, 2)).toBe('91');
      expect(r.uscc.slice(2, 8)).toBe(r.region_code);
    }
    expect(new Set(rows.map((r) => r.uscc)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
  });

  it('uses only codes that exist in the configuration', async () => {
    const regions = new Map(config.regions.map((r) => [r.code, r]));
    const zones = new Map(config.zones.map((z) => [z.code, z]));
    const industries = new Map(config.industries.map((i) => [i.code, i]));
    const rows = await queryRows<{
      region_code: string;
      town_code: string | null;
      zone_code: string | null;
      industry_code: string;
    }>(database.db, sql`select region_code, town_code, zone_code, industry_code from enterprises`);
    for (const r of rows) {
      expect(regions.get(r.region_code)?.level).toBe('county');
      if (r.town_code) expect(regions.get(r.town_code)?.parentCode).toBe(r.region_code);
      if (r.zone_code) expect(zones.get(r.zone_code)?.hostRegionCode).toBe(r.region_code);
      const ind = industries.get(r.industry_code);
      expect(ind?.level).toBe('class');
      expect(['B', 'C', 'D']).toContain(ind?.section);
    }
    const platforms = await queryRows<{
      region_code: string;
      zone_code: string | null;
      cluster_code: string | null;
    }>(database.db, sql`select region_code, zone_code, cluster_code from platforms`);
    const clusters = new Set(config.clusters.map((c) => c.code));
    for (const p of platforms) {
      expect(regions.has(p.region_code)).toBe(true);
      if (p.zone_code) expect(zones.has(p.zone_code)).toBe(true);
      if (p.cluster_code) expect(clusters.has(p.cluster_code)).toBe(true);
    }
  });

  it('derives cluster membership from the industry code and the configured mapping', async () => {
    const rows = await queryRows<{ industry_code: string; clusters: string[] | null }>(
      database.db,
      sql`select e.industry_code, array_agg(c.cluster_code order by c.cluster_code) filter (where c.cluster_code is not null) as clusters
          from enterprises e left join enterprise_clusters c on c.enterprise_id = e.id group by e.id, e.industry_code`,
    );
    const mapping = new Map<string, string[]>();
    for (const ci of config.clusterIndustries)
      mapping.set(ci.industryCode, [...(mapping.get(ci.industryCode) ?? []), ci.clusterCode]);
    for (const r of rows) expect(r.clusters ?? []).toEqual(clustersForIndustry(r.industry_code, mapping));
    const [basis] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from enterprise_clusters where basis <> 'industry_code' or valid_from <> '2019-01-01'`,
    );
    expect(basis?.n).toBe(0);
  });

  it('has monthly statistics for 规上 firms only, with the 春节 month below its neighbours', async () => {
    const [below] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from monthly_stats m join enterprises e on e.id = m.enterprise_id where e.scale = 'below'`,
    );
    expect(below?.n).toBe(0);
    const totals = await queryRows<{ month: string; v: number }>(
      database.db,
      sql`select to_char(month, 'YYYY-MM') as month, sum(output_value) as v from monthly_stats group by 1`,
    );
    const byMonth = new Map(totals.map((t) => [t.month, Number(t.v)]));
    const key = (y: number, m: number) =>
      m === 0 ? `${y - 1}-12` : m === 13 ? `${y + 1}-01` : `${y}-${String(m).padStart(2, '0')}`;
    let checked = 0;
    for (const [y, date] of Object.entries(LUNAR_NEW_YEAR)) {
      const year = Number(y);
      if (year === 2020) continue; // the COVID shutdown of 2020-02 is deeper than the holiday
      const m = Number(date.slice(5, 7));
      const v = byMonth.get(key(year, m))!;
      for (const n of [byMonth.get(key(year, m - 1)), byMonth.get(key(year, m + 1))]) {
        if (n !== undefined) expect(v).toBeLessThan(n);
      }
      checked++;
    }
    expect(checked).toBe(7);
  });

  it('keeps 规上 annual totals equal to the sum of their months', async () => {
    const rows = await queryRows<{ bad: number; n: number }>(
      database.db,
      sql`select count(*) filter (where abs(a.revenue - s.revenue) > 0.006 or abs(a.tax_paid - s.tax) > 0.006
                                   or abs(a.energy_tce - s.energy) > 0.006 or abs(a.electricity - s.electricity) > 0.006)::int as bad,
                 count(*)::int as n
          from annual_inputs a
          join enterprises e on e.id = a.enterprise_id and e.scale = 'above'
          join (select enterprise_id, extract(year from month)::int as year, sum(revenue) as revenue, sum(tax) as tax,
                       sum(energy_tce) as energy, sum(electricity) as electricity
                from monthly_stats group by 1, 2) s on s.enterprise_id = a.enterprise_id and s.year = a.year`,
    );
    expect(rows[0]!.n).toBeGreaterThan(summary.above * 5);
    expect(rows[0]!.bad).toBe(0);
    const [orphans] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from annual_inputs a join enterprises e on e.id = a.enterprise_id and e.scale = 'above'
          where not exists (select 1 from monthly_stats m where m.enterprise_id = a.enterprise_id
                            and m.month >= make_date(a.year, 1, 1) and m.month < make_date(a.year + 1, 1, 1))`,
    );
    expect(orphans?.n).toBe(0);
  });

  it('keeps ratios believable', async () => {
    const [r] = await queryRows<{ rev: number; tax: number; land_above_min: number; land_above_max: number }>(
      database.db,
      sql`select sum(revenue) / sum(output_value) as rev, sum(tax) / sum(revenue) as tax,
                 (select min(land_mu) from annual_inputs a join enterprises e on e.id = a.enterprise_id where e.scale = 'above') as land_above_min,
                 (select max(land_mu) from annual_inputs a join enterprises e on e.id = a.enterprise_id where e.scale = 'above') as land_above_max
          from monthly_stats`,
    );
    expect(Number(r!.rev)).toBeGreaterThan(0.9);
    expect(Number(r!.rev)).toBeLessThan(1.05);
    expect(Number(r!.tax)).toBeGreaterThan(0.03);
    expect(Number(r!.tax)).toBeLessThan(0.06);
    expect(Number(r!.land_above_min)).toBeGreaterThanOrEqual(10);
    expect(Number(r!.land_above_max)).toBeLessThanOrEqual(2000);
  });

  it('rebuilds the monitoring rollups from the facts in the same transaction', async () => {
    const [r] = await queryRows<{ rollup: number; facts: number }>(
      database.db,
      sql`select (select sum(output_value) from cluster_region_month where cluster_code = '_industry') as rollup,
                 (select sum(output_value) from monthly_stats) as facts`,
    );
    expect(Number(r!.rollup)).toBeCloseTo(Number(r!.facts), 0);
  });

  it('gives tiers to existing firms, biased to larger ones', async () => {
    const [r] = await queryRows<{ tiered: number; all: number; orphans: number }>(
      database.db,
      sql`with f as (select enterprise_id, sum(output_value) as v from monthly_stats
                     where month >= '2025-01-01' and month < '2026-01-01' group by 1)
          select (select avg(f.v) from f where f.enterprise_id in
                    (select enterprise_id from enterprise_tiers where tier in ('listed', 'single_champion', 'xiongying'))) as tiered,
                 (select avg(v) from f) as all,
                 (select count(*)::int from enterprise_tiers t where not exists
                    (select 1 from enterprises e where e.id = t.enterprise_id)) as orphans`,
    );
    expect(r!.orphans).toBe(0);
    expect(Number(r!.tiered)).toBeGreaterThan(Number(r!.all) * 2);
    const tiers = await queryRows<{ tier: string }>(
      database.db,
      sql`select distinct tier from enterprise_tiers`,
    );
    for (const t of tiers) {
      expect([
        'xiongying',
        'chuying',
        'zhuanjingtexin',
        'little_giant',
        'single_champion',
        'hidden_champion',
        'listed',
        'listing_reserve',
      ]).toContain(t.tier);
    }
  });

  it('refuses to wipe a database that holds non-demo enterprises', async () => {
    const other = await openDatabase({ dataDir: 'memory://' });
    try {
      await runMigrations(other);
      await other.db.execute(
        sql`insert into enterprises (uscc, name, region_code, industry_code, scale) values ('91310110666007217T', '真实企业', '330402', '3670', 'above')`,
      );
      await expect(generateDemo(other, config, { enterpriseCount: TINY })).rejects.toThrow(/Refusing/);
      const [n] = await queryRows<{ n: number }>(other.db, sql`select count(*)::int as n from enterprises`);
      expect(n?.n).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('shares one monthly context across firms (pure, deterministic)', () => {
    const a = monthlyContext(1);
    const b = monthlyContext(1);
    expect(a.labels[0]).toBe('2019-01-01');
    expect(a.labels.at(-1)).toBe('2026-10-01');
    expect(Array.from(a.season)).toEqual(Array.from(b.season));
  });
});
