// Disclosure control across routes (issue 12, item 7, what was left): the cockpit's city figures judged
// on the firms outside the reader's scope, the county page's "other industry" remainder, every measure
// (not only output and revenue), and one pattern per reader so that no total on one page minus cells
// on another gives a hidden cell away. Per role: county officers and a cluster agency get cells
// withheld, the cells' own officers and the analyst see them; then, for each reader, everything the
// cockpit, the figures table, every cluster page and every county page show is gathered and checked
// by subtraction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { enterpriseClusters, enterprises, monthlyStats } from '../../src/db/schema.ts';
import type { Database } from '../../src/db/client.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import type {
  ClusterPage,
  Cockpit,
  FigureSet,
  FiguresAnswer,
  RegionPage,
  TargetsAnswer,
} from '../../src/modules/monitoring/schemas.ts';
import { primaryReason } from '../../src/domain/disclosure/index.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import type { Role } from '../../src/modules/auth/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, PASSWORD, PINGHU, TONGXIANG } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

const HAIYAN = '330424';
const JIASHAN = '330421';
const MONTHS = ['2025-01', '2025-02', '2025-03'];
const MONTH = '2025-03';
const CLUSTERS = ['textile', 'new_energy', 'chem_materials', 'automotive', 'smart_home'];

interface Firm {
  output: number;
  employees?: number;
  profit?: number;
}
/** county, cluster (null: an industrial firm in no cluster), firms */
const CELLS: { region: string; cluster: string | null; firms: Firm[] }[] = [
  // item 1: one firm holds 9,000 of the city's textile output outside Nanhu (the cell passes in the
  // city as a whole, 12 firms, but Nanhu's officer can subtract its own three)
  { region: TONGXIANG, cluster: 'textile', firms: [9000, 300, 250, 200, 250].map((output) => ({ output })) },
  { region: NANHU, cluster: 'textile', firms: [500, 400, 300].map((output) => ({ output })) },
  { region: PINGHU, cluster: 'textile', firms: [1000, 900, 800, 700].map((output) => ({ output })) },
  // item 2: four balanced chemical firms and one industrial firm in no cluster — industry minus the
  // five clusters would be that firm's figure
  { region: HAIYAN, cluster: 'chem_materials', firms: [1000, 900, 800, 700].map((output) => ({ output })) },
  { region: HAIYAN, cluster: null, firms: [{ output: 400 }] },
  { region: PINGHU, cluster: 'chem_materials', firms: [1000, 900, 800, 700].map((output) => ({ output })) },
  // item 4: balanced output, but one firm employs nearly everyone / one firm's loss is the cell's profit
  {
    region: JIASHAN,
    cluster: 'automotive',
    firms: [1000, 900, 800, 700].map((output, i) => ({ output, employees: i === 0 ? 5000 : 20 })),
  },
  {
    region: PINGHU,
    cluster: 'automotive',
    firms: [1000, 900, 800, 700].map((output, i) => ({ output, profit: i === 0 ? -8000 : 30 })),
  },
];
const actor = { id: null, username: 'fixture' };

describe.each(testDatabases())('disclosure control across routes ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  /** per county and cluster key, the firms' output this month (the micro data the check judges by) */
  const micro = new Map<string, number[]>();
  const addMicro = (key: string, v: number) => micro.set(key, [...(micro.get(key) ?? []), v]);

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    let n = 300;
    for (const cell of CELLS) {
      const ids = await d.db
        .insert(enterprises)
        .values(
          cell.firms.map(() => ({
            uscc: fixtureUscc(n++, cell.region),
            name: `跨页企业${n}`,
            regionCode: cell.region,
            industryCode: cell.cluster === 'chem_materials' ? '2651' : '1711',
            scale: 'above' as const,
          })),
        )
        .returning({ id: enterprises.id });
      if (cell.cluster)
        await d.db.insert(enterpriseClusters).values(
          ids.map(({ id }) => ({
            enterpriseId: id,
            clusterCode: cell.cluster!,
            basis: 'industry_code',
            validFrom: '2019-01-01',
          })),
        );
      await d.db.insert(monthlyStats).values(
        ids.flatMap(({ id }, i) =>
          MONTHS.map((m) => ({
            enterpriseId: id,
            month: `${m}-01`,
            outputValue: cell.firms[i]!.output,
            revenue: cell.firms[i]!.output * 0.9,
            profit: cell.firms[i]!.profit ?? cell.firms[i]!.output * 0.05,
            employees: cell.firms[i]!.employees ?? 50,
          })),
        ),
      );
      for (const f of cell.firms) {
        for (const k of [cell.cluster ?? '_other', '_industry', ...(cell.cluster ? ['_clusters'] : [])])
          addMicro(`${k}|${cell.region}`, f.output);
      }
    }
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    const users: { username: string; role: Role; regionCode?: string; clusterCode?: string }[] = [
      { username: 'x_analyst', role: 'analyst' },
      { username: 'x_nanhu', role: 'county', regionCode: NANHU },
      { username: 'x_haiyan', role: 'county', regionCode: HAIYAN },
      { username: 'x_jiashan', role: 'county', regionCode: JIASHAN },
      { username: 'x_textile', role: 'cluster_agency', clusterCode: 'textile' },
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

  const get = async <T>(url: string, who: string) => {
    const r = await app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
    expect(r.statusCode, r.body).toBe(200);
    return json<T>(r);
  };
  const cockpit = (who: string) => get<Cockpit>(`/api/monitoring/cockpit?month=${MONTH}`, who);
  const region = (code: string, who: string) =>
    get<RegionPage>(`/api/monitoring/regions/${code}?month=${MONTH}`, who);

  it('cockpit: the city’s textile figure, trend and target are withheld from Nanhu’s officer (the rest is one firm’s), shown to the others', async () => {
    const full = await cockpit('x_analyst');
    const textile = (a: Cockpit) => a.clusters.find((c) => c.code === 'textile')!;
    expect(textile(full).output.month).toBe(14_600);
    const nanhu = await cockpit('x_nanhu');
    expect(textile(nanhu).suppressed).toBe('dominance');
    expect(textile(nanhu).output.month).toBeNull();
    expect(textile(nanhu).comparable).toBeNull();
    for (const m of MONTHS) expect(nanhu.trend.find((p) => p.month === m)!.values.textile ?? null).toBeNull();
    for (const target of nanhu.targets?.targets ?? [])
      if (target.clusterCode === 'textile') expect(target.actual).toBeNull();
    // Haiyan's officer: the city's textile less nothing of theirs is still 12 firms… and dominated
    // by one firm beyond 60 %? 9,000 of 14,600 = 62 %: withheld as well
    expect(textile(await cockpit('x_haiyan')).suppressed).toBe('dominance');
    // the textile agency knows every textile firm; the analyst sees everything
    expect(textile(await cockpit('x_textile')).output.month).toBe(14_600);
    expect(full.clusters.every((c) => c.suppressed === undefined)).toBe(true);
  });

  it('county page: the “other industry” remainder (industry − five clusters) of one firm is protected', async () => {
    const full = await region(HAIYAN, 'x_analyst');
    expect((full.industry.output.month ?? 0) - (full.total.output.month ?? 0)).toBe(400);
    for (const who of ['x_nanhu', 'x_jiashan', 'x_textile']) {
      const page = await region(HAIYAN, who);
      // one of the two is withheld, so their difference is not the firm's figure
      expect(page.industry.suppressed !== undefined || page.total.suppressed !== undefined, who).toBe(true);
      expect(page.shiftShare, who).toBeNull();
    }
    // Haiyan's own officer sees its county whole
    const own = await region(HAIYAN, 'x_haiyan');
    expect(own.industry.output.month).toBe(full.industry.output.month);
    expect(own.total.output.month).toBe(full.total.output.month);
  });

  it('every measure is judged: a cell whose output is balanced but one firm employs nearly everyone, or one loss-maker is the profit', async () => {
    const jiashan = await region(JIASHAN, 'x_nanhu');
    const auto = (a: RegionPage) => a.clusters.find((c) => c.code === 'automotive')!;
    expect(auto(jiashan).suppressed).toBe('dominance');
    expect(auto(jiashan).measures.employees.month).toBeNull();
    const own = await region(JIASHAN, 'x_jiashan');
    expect(auto(own).measures.employees.month).toBe(5060);
    const pinghu = await region(PINGHU, 'x_nanhu');
    expect(auto(pinghu).suppressed).toBe('dominance');
    expect(auto(pinghu).measures.profit.month).toBeNull();
    const figures = await get<FiguresAnswer>(
      `/api/monitoring/figures?from=${MONTH}&month=${MONTH}&by=county&cluster=automotive`,
      'x_analyst',
    );
    expect(figures.rows.find((r) => r.regionCode === PINGHU)!.measures.profit!.month).toBe(-8000 + 90);
  });

  // the five-cluster set holds the city output targets (the active set has none)
  const SET = 'five-clusters-2020';
  // (no complete year here, so the actuals are blank for all: targets-disclosure.test.ts has one)
  const targetsOf = (who: string) =>
    get<TargetsAnswer>(`/api/monitoring/targets?month=${MONTH}&targetSet=${SET}`, who);

  it('targets route: every output target exactly as the cockpit’s gauges to the same reader', async () => {
    for (const who of ['x_nanhu', 'x_haiyan', 'x_jiashan', 'x_textile']) {
      const seen = await targetsOf(who);
      const gauges = await get<Cockpit>(`/api/monitoring/cockpit?month=${MONTH}&targetSet=${SET}`, who);
      // every output target exactly as the cockpit shows it to the same reader
      for (const g of gauges.targets!.targets)
        expect(
          seen.targets.find((t) => t.code === g.code),
          `${who} ${g.code}`,
        ).toEqual(g);
    }
  });

  const HIDDEN = 'hidden' as const;
  type Seen = number | null | typeof HIDDEN;
  /**
   * Everything one reader sees of 1–N月累计 output at MONTH on the cockpit, the figures table, every
   * cluster page and every county page, by cell `key|area` ('city' or a county code).
   */
  async function gather(who: string): Promise<Map<string, Seen[]>> {
    const seen = new Map<string, Seen[]>();
    const put = (k: string, set: Pick<FigureSet, 'output' | 'suppressed'>) =>
      seen.set(k, [...(seen.get(k) ?? []), set.suppressed ? HIDDEN : set.output.ytd]);
    const c = await cockpit(who);
    put('_clusters|city', c.total);
    put('_industry|city', c.industry);
    for (const x of c.clusters) put(`${x.code}|city`, x);
    for (const x of c.counties) put(`_clusters|${x.code}`, x);
    const f = await get<FiguresAnswer>(`/api/monitoring/figures?from=${MONTH}&month=${MONTH}&by=county`, who);
    for (const r of f.rows)
      seen.set(`${r.clusterCode}|${r.regionCode}`, [
        ...(seen.get(`${r.clusterCode}|${r.regionCode}`) ?? []),
        r.suppressed ? HIDDEN : r.measures.outputValue!.ytd,
      ]);
    for (const code of CLUSTERS) {
      const page = await get<ClusterPage>(`/api/monitoring/clusters/${code}?month=${MONTH}`, who);
      put(`${code}|city`, page.city);
      for (const a of page.areas) if (a.kind === 'county') put(`${code}|${a.code}`, a);
    }
    for (const county of c.counties) {
      const page = await region(county.code, who);
      put(`_clusters|${county.code}`, page.total);
      put(`_industry|${county.code}`, page.industry);
      for (const x of page.clusters) put(`${x.code}|${county.code}`, x);
    }
    return seen;
  }

  it.each(['x_nanhu', 'x_haiyan', 'x_jiashan', 'x_textile'])(
    'nothing %s cannot see is recoverable by subtraction across the cockpit, figures, cluster and county pages',
    async (who) => {
      const own = (k: string, area: string) =>
        (who === 'x_nanhu' && area === NANHU) ||
        (who === 'x_haiyan' && area === HAIYAN) ||
        (who === 'x_jiashan' && area === JIASHAN) ||
        (who === 'x_textile' && k === 'textile');
      const full = await gather('x_analyst');
      const seen = await gather(who);
      const counties = (await cockpit('x_analyst')).counties.map((c) => c.code);
      // one verdict per cell: shown on every page with the analyst's figure, or withheld on all
      const value = (k: string, area: string): Seen | undefined => {
        const vs = seen.get(`${k}|${area}`);
        if (!vs) return undefined;
        const shown = vs.filter((v) => v !== HIDDEN);
        expect(shown.length === 0 || shown.length === vs.length, `${k}|${area} ${JSON.stringify(vs)}`).toBe(
          true,
        );
        if (shown.length) expect(shown[0]).toBe(full.get(`${k}|${area}`)![0]);
        return shown.length ? shown[0] : HIDDEN;
      };
      const empty = (k: string, area: string) => !(full.get(`${k}|${area}`) ?? []).some((v) => v);
      let withheld = 0;
      // the city is the sum of its counties, per cluster key: never exactly one unknown cell
      for (const k of [...CLUSTERS, '_clusters', '_industry']) {
        const unknown = [
          ...(value(k, 'city') === HIDDEN ? ['city'] : []),
          ...counties.filter((r) => !own(k, r) && !empty(k, r) && value(k, r) === HIDDEN),
        ];
        withheld += unknown.length;
        expect(unknown.length, `${k}: ${unknown.join(', ')}`).not.toBe(1);
      }
      // a county's industry minus its five clusters is the other industry: when both are shown, its
      // firms (outside the reader's scope) must pass the rules
      for (const r of counties) {
        if (own('_industry', r)) continue;
        const ind = value('_industry', r);
        const any = value('_clusters', r);
        if (ind === HIDDEN || any === HIDDEN || ind == null) continue;
        expect(primaryReason(micro.get(`_other|${r}`) ?? []), r).toBeNull();
      }
      // and a county's five clusters with each cluster: never one hidden among shown ones
      for (const r of counties) {
        const cells = ['_clusters', ...CLUSTERS].filter((k) => !own(k, r) && !empty(k, r));
        const hidden = cells.filter((k) => value(k, r) === HIDDEN);
        expect(hidden.length, `${r}: ${hidden.join(', ')}`).not.toBe(1);
      }
      expect(withheld).toBeGreaterThan(0);
    },
  );

  it('the analyst sees every cell of every route', async () => {
    const full = await gather('x_analyst');
    for (const [k, vs] of full)
      expect(
        vs.every((v) => v !== HIDDEN && (v !== null || !micro.has(k))),
        k,
      ).toBe(true);
  });
});
