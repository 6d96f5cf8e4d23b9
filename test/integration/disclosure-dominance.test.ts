// Dominance and p % rules of disclosure control on hand-made cells (issue 12, item 7), per route and
// role: a county of 5 textile firms where one firm holds 90 % of the output (the count-only rule
// showed it), a county of 3 chemical firms where the second could estimate the first within 10 %,
// balanced counties beside them, and the reader's own county.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { enterpriseClusters, enterprises, monthlyStats } from '../../src/db/schema.ts';
import type { Database } from '../../src/db/client.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import type {
  ClusterPage,
  Cockpit,
  FiguresAnswer,
  RegionPage,
  RankingAnswer,
  StructureAnswer,
} from '../../src/modules/monitoring/schemas.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import type { Role } from '../../src/modules/auth/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, PASSWORD, PINGHU, TONGXIANG } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

const HAIYAN = '330424';
const MONTHS = ['2025-01', '2025-02', '2025-03'];
/** county, cluster, industry, each firm's monthly output (万元); revenue is output × 0.9 */
const CELLS = [
  { region: TONGXIANG, cluster: 'textile', industry: '1711', outputs: [9000, 300, 250, 200, 250] },
  { region: PINGHU, cluster: 'textile', industry: '1711', outputs: [1000, 900, 800, 700] },
  { region: NANHU, cluster: 'textile', industry: '1711', outputs: [500, 400, 300] },
  { region: HAIYAN, cluster: 'chem_materials', industry: '2651', outputs: [5000, 4800, 100] },
  { region: PINGHU, cluster: 'chem_materials', industry: '2651', outputs: [1000, 900, 800, 700] },
];
const actor = { id: null, username: 'fixture' };

describe.each(testDatabases())('dominance and p % rules per route and role ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  let firmId = 0;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    let n = 100;
    for (const cell of CELLS) {
      const ids = await d.db
        .insert(enterprises)
        .values(
          cell.outputs.map(() => ({
            uscc: fixtureUscc(n++, cell.region),
            name: `示例企业${n}`,
            regionCode: cell.region,
            industryCode: cell.industry,
            scale: 'above' as const,
          })),
        )
        .returning({ id: enterprises.id });
      await d.db.insert(enterpriseClusters).values(
        ids.map(({ id }) => ({
          enterpriseId: id,
          clusterCode: cell.cluster,
          basis: 'industry_code',
          validFrom: '2019-01-01',
        })),
      );
      await d.db.insert(monthlyStats).values(
        ids.flatMap(({ id }, i) =>
          MONTHS.map((m) => ({
            enterpriseId: id,
            month: `${m}-01`,
            outputValue: cell.outputs[i]!,
            revenue: cell.outputs[i]! * 0.9,
          })),
        ),
      );
      if (cell.region === NANHU) firmId = ids[0]!.id;
    }
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    const users: {
      username: string;
      role: Role;
      regionCode?: string;
      clusterCode?: string;
      enterpriseId?: number;
    }[] = [
      { username: 'dom_analyst', role: 'analyst' },
      { username: 'dom_nanhu', role: 'county', regionCode: NANHU },
      { username: 'dom_tongxiang', role: 'county', regionCode: TONGXIANG },
      { username: 'dom_textile', role: 'cluster_agency', clusterCode: 'textile' },
      { username: 'dom_firm', role: 'enterprise', enterpriseId: firmId },
    ];
    for (const u of users)
      await createUser(d.db, { ...u, displayName: u.username, password: PASSWORD }, actor);
    app = await testApp(d);
    for (const u of users) cookies[u.username] = await loginCookie(app, u.username);
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const get = async <T>(url: string, who: string, status = 200) => {
    const r = await app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
    expect(r.statusCode, r.body).toBe(status);
    return json<T>(r);
  };
  const figuresUrl = '/api/monitoring/figures?from=2025-01&month=2025-03&by=county';
  const cell = (a: FiguresAnswer, cluster: string, region: string, month = '2025-03') =>
    a.rows.find((r) => r.clusterCode === cluster && r.regionCode === region && r.month === month)!;

  it('figures: the analyst sees every cell, exact', async () => {
    const a = await get<FiguresAnswer>(figuresUrl, 'dom_analyst');
    expect(a.rows.every((r) => r.suppressed === undefined)).toBe(true);
    expect(cell(a, 'textile', TONGXIANG).measures.outputValue!.month).toBe(10_000);
    expect(cell(a, 'textile', TONGXIANG).measures.outputValue!.ytd).toBe(30_000);
  });

  it('figures: a county officer gets another county’s dominated cell suppressed though it has 5 firms', async () => {
    const a = await get<FiguresAnswer>(figuresUrl, 'dom_nanhu');
    const cityChem = (await get<Cockpit>('/api/monitoring/cockpit?month=2025-03', 'dom_nanhu')).clusters.find(
      (c) => c.code === 'chem_materials',
    );
    for (const month of MONTHS) {
      const dominated = cell(a, 'textile', TONGXIANG, month);
      expect(dominated.enterprises).toBe(5); // the count-only rule showed it
      expect(dominated.suppressed).toBe('dominance');
      expect(Object.values(dominated.measures).every((m) => m.month === null && m.ytd === null)).toBe(true);
      // the second firm could estimate the first within 10 %
      expect(cell(a, 'chem_materials', HAIYAN, month).suppressed).toBe('p-percent');
      // the only other chemical county, or the city's chemical figure, is hidden too, or the city's
      // cluster total would give Haiyan away (the cross-route check is in disclosure-across.test.ts)
      expect(
        cell(a, 'chem_materials', PINGHU, month).suppressed !== undefined ||
          cityChem?.suppressed !== undefined,
      ).toBe(true);
      // the reserved rows (all clusters, all industry) hold the same firms: the same rule
      expect(cell(a, '_clusters', TONGXIANG, month).suppressed).toBe('dominance');
      expect(cell(a, '_industry', TONGXIANG, month).suppressed).toBe('dominance');
    }
    // the officer's own county is theirs; the city's textile figure, less Nanhu, is Tongxiang's dominant
    // firm and Pinghu's: hidden on the cockpit, so Pinghu's balanced cell may show
    expect(cell(a, 'textile', NANHU).suppressed).toBeUndefined();
    expect(cell(a, 'textile', NANHU).measures.outputValue!.month).toBe(1200);
    // no additive group (month × cluster: the counties and the city's figure on the cockpit) keeps
    // exactly one hidden cell among those the officer cannot see
    const groups = new Map<string, { n: number; hidden: number }>();
    for (const month of MONTHS) {
      const cockpit = await get<Cockpit>(`/api/monitoring/cockpit?month=${month}`, 'dom_nanhu');
      for (const c of [...cockpit.clusters, { ...cockpit.total, code: '_clusters' }])
        groups.set(`${month}|${c.code}`, { n: 1, hidden: c.suppressed ? 1 : 0 });
    }
    for (const r of a.rows.filter((r) => r.regionCode !== NANHU)) {
      const g = groups.get(`${r.month}|${r.clusterCode}`) ?? { n: 0, hidden: 0 };
      g.n++;
      if (r.suppressed) g.hidden++;
      groups.set(`${r.month}|${r.clusterCode}`, g);
    }
    for (const g of groups.values()) if (g.n >= 2) expect(g.hidden).not.toBe(1);
  });

  it('figures: the dominated county’s own officer and the cluster’s agency see what is theirs', async () => {
    const own = await get<FiguresAnswer>(figuresUrl, 'dom_tongxiang');
    expect(cell(own, 'textile', TONGXIANG).suppressed).toBeUndefined();
    expect(cell(own, 'textile', TONGXIANG).measures.outputValue!.month).toBe(10_000);
    expect(cell(own, 'chem_materials', HAIYAN).suppressed).toBe('p-percent');
    const agency = await get<FiguresAnswer>(figuresUrl, 'dom_textile');
    expect(cell(agency, 'textile', TONGXIANG).suppressed).toBeUndefined();
    expect(cell(agency, 'chem_materials', HAIYAN).suppressed).toBe('p-percent');
    // all-cluster rows mix in firms outside the agency's cluster: judged as outside
    expect(cell(agency, '_industry', TONGXIANG).suppressed).toBe('dominance');
  });

  it('cluster page: another county’s dominated row loses its figures, and one more county with it', async () => {
    const url = '/api/monitoring/clusters/textile?month=2025-03';
    const full = await get<ClusterPage>(url, 'dom_analyst');
    const county = await get<ClusterPage>(url, 'dom_nanhu');
    const area = (a: ClusterPage, code: string) => a.areas.find((x) => x.code === code)!;
    expect(full.areas.every((x) => x.suppressed === undefined)).toBe(true);
    expect(area(full, TONGXIANG).output.month).toBe(10_000);
    expect(area(county, TONGXIANG)).toMatchObject({ suppressed: 'dominance', enterprises: 5, lq: null });
    expect(area(county, TONGXIANG).output.ytd).toBeNull();
    expect(Object.values(area(county, TONGXIANG).measures).every((m) => m.month === null)).toBe(true);
    expect(area(county, NANHU).suppressed).toBeUndefined();
    expect(area(county, NANHU).output.month).toBe(1200);
    // the city's cluster figure rests on 12 firms, but less Nanhu's three, one firm holds 9,000 of
    // 13,400 (67 %): withheld from Nanhu's officer, with its trend; Tongxiang's officer sees it
    expect(county.city.suppressed).toBe('dominance');
    expect(county.city.output.month).toBeNull();
    expect(county.trend.every((p) => p.value === null || p.month < '2024-01')).toBe(true);
    const own = await get<ClusterPage>(url, 'dom_tongxiang');
    expect(own.city.output.month).toBe(full.city.output.month);
    // with the city hidden, Pinghu's balanced row may show (Tongxiang = hidden city − Nanhu − Pinghu)
    expect(area(county, PINGHU).output.month).toBe(area(full, PINGHU).output.month);
    // the cluster's own agency sees its cluster whole
    const agency = await get<ClusterPage>(url, 'dom_textile');
    expect(agency.areas.every((x) => x.suppressed === undefined)).toBe(true);
  });

  it('cockpit: other counties’ dominated rows lose their figures; a lone hidden county takes the smallest other with it', async () => {
    const url = '/api/monitoring/cockpit?month=2025-03';
    const row = (a: Cockpit, code: string) => a.counties.find((c) => c.code === code)!;
    const full = await get<Cockpit>(url, 'dom_analyst');
    expect(full.counties.every((c) => c.suppressed === undefined)).toBe(true);
    expect(row(full, TONGXIANG).output.month).toBe(10_000);
    const nanhu = await get<Cockpit>(url, 'dom_nanhu');
    expect(row(nanhu, TONGXIANG)).toMatchObject({
      suppressed: 'dominance',
      enterprises: 5,
      shareOfIndustry: null,
    });
    expect(row(nanhu, TONGXIANG).output.ytd).toBeNull();
    expect(Object.values(row(nanhu, TONGXIANG).measures).every((m) => m.month === null)).toBe(true);
    expect(row(nanhu, HAIYAN).suppressed).toBe('p-percent');
    // two hidden counties: neither is given away by the city's total, so Pinghu stays
    expect(row(nanhu, PINGHU).suppressed).toBeUndefined();
    expect(row(nanhu, PINGHU).output.month).toBe(row(full, PINGHU).output.month);
    expect(row(nanhu, NANHU).output.month).toBe(1200);
    // the city-wide figures beside them are unchanged
    expect(nanhu.total.output.month).toBe(full.total.output.month);
    // Tongxiang's officer: Haiyan alone would follow from the total, so the smallest other (Nanhu) goes too
    const tongxiang = await get<Cockpit>(url, 'dom_tongxiang');
    expect(row(tongxiang, TONGXIANG).output.month).toBe(10_000);
    expect(row(tongxiang, HAIYAN).suppressed).toBe('p-percent');
    expect(row(tongxiang, NANHU).suppressed).toBe('secondary');
    expect(row(tongxiang, PINGHU).suppressed).toBeUndefined();
    // a cluster agency: a county's five-cluster row is judged on the firms outside its cluster —
    // Tongxiang's are all textile firms, the agency's own, so it sees the row
    const agency = await get<Cockpit>(url, 'dom_textile');
    expect(row(agency, TONGXIANG).output.month).toBe(10_000);
    expect(row(agency, HAIYAN).suppressed).toBe('p-percent');
    expect(row(agency, NANHU).output.month).toBe(1200);
  });

  it('region page: another county’s dominated cells, trend and shift-share are withheld; the cockpit’s verdict holds here too', async () => {
    const page = (code: string, who: string) =>
      get<RegionPage>(`/api/monitoring/regions/${code}?month=2025-03`, who);
    const cl = (a: RegionPage, code: string) => a.clusters.find((c) => c.code === code)!;
    const full = await page(TONGXIANG, 'dom_analyst');
    expect(full.total.output.month).toBe(10_000);
    expect(cl(full, 'textile').output.month).toBe(10_000);
    expect(full.trend.at(-1)!.values.textile).toBe(10_000);
    const other = await page(TONGXIANG, 'dom_nanhu');
    expect(other.total).toMatchObject({ suppressed: 'dominance', enterprises: 5, shareOfIndustry: null });
    expect(other.total.output.month).toBeNull();
    expect(other.industry.suppressed).toBe('dominance');
    expect(cl(other, 'textile')).toMatchObject({ suppressed: 'dominance', lq: null });
    expect(
      Object.values(cl(other, 'textile').measures).every((m) => m.month === null && m.ytd === null),
    ).toBe(true);
    // clusters with no firm there stay as they are (nothing to protect)
    expect(cl(other, 'chem_materials').suppressed).toBeUndefined();
    for (const point of other.trend) {
      expect(point.values.textile ?? null).toBeNull();
      expect(point.values._clusters ?? null).toBeNull();
    }
    expect(other.shiftShare).toBeNull();
    // p % in Haiyan
    const haiyan = await page(HAIYAN, 'dom_nanhu');
    expect(cl(haiyan, 'chem_materials').suppressed).toBe('p-percent');
    expect(haiyan.total.suppressed).toBe('p-percent');
    // a balanced county is shown exactly as to the analyst
    const pinghu = await page(PINGHU, 'dom_nanhu');
    const pinghuFull = await page(PINGHU, 'dom_analyst');
    expect(pinghu.total).toEqual(pinghuFull.total);
    // … but for the location quotients, built of the city's textile and chemical figures, hidden from
    // Nanhu's officer (textile dominated outside Nanhu; chemicals beside it, as five clusters ≈ their sum)
    const noLq = (rows: RegionPage['clusters']) => rows.map((c) => ({ ...c, lq: null }));
    expect(noLq(pinghu.clusters)).toEqual(noLq(pinghuFull.clusters));
    expect(pinghu.clusters.every((c) => c.lq === null)).toBe(true);
    expect(pinghu.trend).toEqual(pinghuFull.trend);
    // the officer's own county, whole
    const own = await page(NANHU, 'dom_nanhu');
    expect(own.total.output.month).toBe(1200);
    expect(own.total.suppressed).toBeUndefined();
    // Nanhu is the cockpit's secondary cell for Tongxiang's officer: its page hides the same total
    const nanhuForTongxiang = await page(NANHU, 'dom_tongxiang');
    expect(nanhuForTongxiang.total.suppressed).toBe('secondary');
    expect(nanhuForTongxiang.total.output.month).toBeNull();
    // the textile agency sees its cluster's cell in Tongxiang, and the county's five-cluster total (all
    // its firms are textile firms); Haiyan's chemical firms stay hidden from it
    const agency = await page(TONGXIANG, 'dom_textile');
    expect(cl(agency, 'textile').output.month).toBe(10_000);
    expect(cl(agency, 'textile').suppressed).toBeUndefined();
    expect(agency.total.output.month).toBe(10_000);
    expect((await page(HAIYAN, 'dom_textile')).total.suppressed).toBe('p-percent');
  });

  it('figures, structure, rankings, cockpit and region pages refuse the enterprise user (monitoring is not theirs)', async () => {
    for (const url of [
      '/api/monitoring/cockpit?month=2025-03',
      `/api/monitoring/regions/${TONGXIANG}?month=2025-03`,
      figuresUrl,
      '/api/monitoring/structure?month=2025-03',
      '/api/monitoring/rankings?month=2025-03',
    ])
      await get(url, 'dom_firm', 403);
  });

  it('structure: withholds the dominated cell’s LQ and the dominated cluster’s concentration, coarsens the rest', async () => {
    const url = '/api/monitoring/structure?month=2025-03';
    const full = await get<StructureAnswer>(url, 'dom_analyst');
    const county = await get<StructureAnswer>(url, 'dom_nanhu');
    const lq = (a: StructureAnswer, region: string, cluster: string) =>
      a.lq.find((r) => r.regionCode === region)!.values[cluster] ?? null;
    expect(lq(full, TONGXIANG, 'textile')).not.toBeNull();
    expect(lq(county, TONGXIANG, 'textile')).toBeNull();
    expect(lq(county, HAIYAN, 'chem_materials')).toBeNull();
    // Nanhu's own LQ is a ratio to the city's textile figure, which less Nanhu is dominated: withheld
    expect(lq(county, NANHU, 'textile')).toBeNull();
    // whatever an LQ shows to anyone is the analyst's figure
    for (const who of ['dom_nanhu', 'dom_tongxiang', 'dom_textile']) {
      const seen = await get<StructureAnswer>(url, who);
      for (const row of seen.lq)
        for (const [cluster, v] of Object.entries(row.values))
          if (v !== null) expect(v).toBe(lq(full, row.regionCode, cluster));
    }
    const conc = (a: StructureAnswer, c: string) => a.concentration.find((x) => x.clusterCode === c)!.value;
    // textile: one firm holds 9,000 of 14,600 a month (62 %); the top five 37,200 of 43,800
    expect(conc(full, 'textile')!.topShare).toBeCloseTo(37_200 / 43_800, 9);
    expect(conc(county, 'textile')).toBeNull();
    // chemicals pass the rules city-wide (38 % for the largest): shown to a tenth only
    const chem = conc(county, 'chem_materials')!;
    expect(conc(full, 'chem_materials')!.hhi).not.toBe(chem.hhi);
    for (const share of [chem.topShare, chem.hhi, ...chem.top.map((f) => f.share)])
      expect(Math.abs(share * 10 - Math.round(share * 10))).toBeLessThan(1e-9);
    // the textile agency sees its own cluster whole
    const agency = await get<StructureAnswer>(url, 'dom_textile');
    expect(conc(agency, 'textile')).toEqual(conc(full, 'textile'));
  });

  it('rankings: a county officer ranks only its own firms, with no share of anyone else’s total', async () => {
    const mine = await get<RankingAnswer>('/api/monitoring/rankings?month=2025-03&pageSize=200', 'dom_nanhu');
    expect(mine.total).toBe(3);
    expect(mine.items.every((i) => i.regionCode === NANHU)).toBe(true);
    expect(mine.items.map((i) => i.value)).toEqual([1500, 1200, 900]);
    for (const item of mine.items) expect(Object.keys(item).some((k) => /share/i.test(k))).toBe(false);
    const other = await get<RankingAnswer>(
      `/api/monitoring/rankings?month=2025-03&region=${TONGXIANG}`,
      'dom_nanhu',
    );
    expect(other.total).toBe(0);
    const all = await get<RankingAnswer>(
      '/api/monitoring/rankings?month=2025-03&pageSize=200',
      'dom_analyst',
    );
    expect(all.total).toBe(19);
    expect(all.items[0]!.value).toBe(27_000);
  });
});
