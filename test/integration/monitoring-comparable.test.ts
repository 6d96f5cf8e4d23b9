// Figures that must agree, by hand (issue 14): the leading-firm ladder and the ladder targets count the same
// firms (cumulative "at least" tiers, integers, the target set in force by default), and 同比 compares the
// same enterprises in both periods (同口径) with the firms that entered or left shown apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { enterpriseClusters, enterprises, monthlyStats } from '../../src/db/schema.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import type {
  ClusterPage,
  Cockpit,
  MonitoringMeta,
  TargetsAnswer,
} from '../../src/modules/monitoring/schemas.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, PASSWORD, TONGXIANG } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

const actor = { id: null, username: 'fixture' };
const YI = 10_000; // 万元 per 亿元

describe.each(testDatabases())('ladders and 同口径 growth by hand ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let cookie: string;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    // Textile leaders, 2024 every month: 100, 50, 10 and 5 亿元 a month = 1200, 600, 120 and 60 亿元 a year.
    // Automotive firms for 同口径: A and B in both Januaries, C new in 2025, D only in 2024.
    const firms = [
      { key: 'L1', cluster: 'textile', code: '1711', monthly: 100 * YI },
      { key: 'L2', cluster: 'textile', code: '1711', monthly: 50 * YI },
      { key: 'L3', cluster: 'textile', code: '1711', monthly: 10 * YI },
      { key: 'L4', cluster: 'textile', code: '1711', monthly: 5 * YI },
      { key: 'A', cluster: 'automotive', code: '3670', monthly: 100 },
      { key: 'B', cluster: 'automotive', code: '3670', monthly: 50 },
      { key: 'C', cluster: 'automotive', code: '3670', monthly: 0 },
      { key: 'D', cluster: 'automotive', code: '3670', monthly: 30 },
    ];
    const rows = await d.db
      .insert(enterprises)
      .values(
        firms.map((f, i) => ({
          uscc: fixtureUscc(300 + i, i % 2 ? TONGXIANG : NANHU),
          name: `手算${f.key}有限公司`,
          regionCode: i % 2 ? TONGXIANG : NANHU,
          industryCode: f.code,
          scale: 'above' as const,
        })),
      )
      .returning({ id: enterprises.id });
    const id = (key: string) => rows[firms.findIndex((f) => f.key === key)]!.id;
    await d.db.insert(enterpriseClusters).values(
      firms.map((f) => ({
        enterpriseId: id(f.key),
        clusterCode: f.cluster,
        basis: 'industry_code',
        validFrom: '2019-01-01',
      })),
    );
    const facts: { enterpriseId: number; month: string; outputValue: number }[] = [];
    for (const f of firms)
      for (let m = 1; m <= 12; m++)
        if (f.monthly > 0)
          facts.push({
            enterpriseId: id(f.key),
            month: `2024-${String(m).padStart(2, '0')}-01`,
            outputValue: f.monthly,
          });
    // January 2025: the leaders unchanged, A 110, B 55, C 40 (new), D nothing (left).
    for (const [key, v] of [
      ['L1', 100 * YI],
      ['L2', 50 * YI],
      ['L3', 10 * YI],
      ['L4', 5 * YI],
      ['A', 110],
      ['B', 55],
      ['C', 40],
    ] as const)
      facts.push({ enterpriseId: id(key), month: '2025-01-01', outputValue: v });
    await d.db.insert(monthlyStats).values(facts);
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    await createUser(
      d.db,
      { username: 'cmp_analyst', displayName: 'A', role: 'analyst', password: PASSWORD },
      actor,
    );
    app = await testApp(d);
    cookie = await loginCookie(app, 'cmp_analyst');
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

  it('judges against the target set in force by default; the superseded one stays selectable', async () => {
    const meta = await get<MonitoringMeta>('/api/monitoring/meta');
    expect(meta.defaultTargetSet).toBe('135n-2023-2027');
    const c = await get<Cockpit>('/api/monitoring/cockpit?month=2025-01');
    expect(c.targets?.set).toMatchObject({ code: '135n-2023-2027', status: 'active' });
    const old = await get<Cockpit>('/api/monitoring/cockpit?month=2025-01&targetSet=five-clusters-2020');
    expect(old.targets?.set).toMatchObject({ code: 'five-clusters-2020', status: 'superseded' });
  });

  it('counts ladder tiers cumulatively, the same in the ladder and in the targets, as integers', async () => {
    const set = 'five-clusters-2020';
    const page = await get<ClusterPage>(`/api/monitoring/clusters/textile?month=2025-01&targetSet=${set}`);
    expect(page.ladder.year).toBe(2024);
    expect(page.ladder.targetSet?.code).toBe(set);
    // 1200, 600, 120 亿元 (60 亿元 is below every tier): ≥1000 → 1, ≥500 → 2, ≥100 → 3
    const rung = (th: number) => page.ladder.rungs.find((r) => r.thresholdYiYuan === th)!;
    expect([rung(1000).count, rung(500).count, rung(100).count]).toEqual([1, 2, 3]);
    expect([rung(1000).targetCount, rung(500).targetCount, rung(100).targetCount]).toEqual([1, 2, 5]);
    const targets = await get<TargetsAnswer>(`/api/monitoring/targets?month=2025-01&targetSet=${set}`);
    const actual = (code: string) => targets.targets.find((x) => x.code === code)!;
    for (const [code, th] of [
      ['leaders-textile-1000', 1000],
      ['leaders-textile-500', 500],
      ['leaders-textile-100', 100],
    ] as const) {
      expect(actual(code).actual, code).toBe(rung(th).count);
      expect(actual(code).goal, code).toBe(rung(th).targetCount);
      expect(Number.isInteger(actual(code).actual)).toBe(true);
      expect(actual(code).actualYear).toBe(2024);
    }
    // 3 of 5 in 2024 with the deadline (2025) ahead: counts are not projected, so at risk
    expect(actual('leaders-textile-100').status).toBe('at_risk');
    // city-wide: the same three firms
    expect(actual('enterprises-100').actual).toBe(3);
    expect(actual('enterprises-500').actual).toBe(2);
    // the set in force has no ladder targets: the ladder says so rather than borrowing another set's
    const current = await get<ClusterPage>('/api/monitoring/clusters/textile?month=2025-01');
    expect(current.ladder.targetSet).toBeNull();
    expect(current.ladder.rungs.every((r) => r.targetCount === null)).toBe(true);
    expect(current.ladder.rungs.find((r) => r.thresholdYiYuan === 100)!.count).toBe(3);
  });

  it('compares the same enterprises in both periods and shows entering and leaving firms apart', async () => {
    const c = await get<Cockpit>('/api/monitoring/cockpit?month=2025-01');
    const auto = c.clusters.find((x) => x.code === 'automotive')!;
    // 全口径: (110 + 55 + 40) / (100 + 50 + 30) − 1
    expect(auto.output.yoy).toBeCloseTo(205 / 180 - 1, 12);
    // 同口径: A and B only, (110 + 55) / (100 + 50) − 1 = +10 %
    for (const period of ['month', 'ytd'] as const) {
      const g = auto.comparable![period];
      expect(g.growth, period).toBeCloseTo(0.1, 12);
      expect(g).toMatchObject({
        firms: 2,
        current: 165,
        previous: 150,
        entered: { firms: 1, output: 40 },
        left: { firms: 1, output: 30 },
      });
    }
    // the five clusters together: the leaders did not change
    const lead = (100 + 50 + 10 + 5) * YI;
    expect(c.total.comparable!.month.growth).toBeCloseTo((lead + 165) / (lead + 150) - 1, 12);
    expect(c.total.comparable!.month).toMatchObject({
      firms: 6,
      entered: { firms: 1, output: 40 },
      left: { firms: 1, output: 30 },
    });
    const page = await get<ClusterPage>('/api/monitoring/clusters/automotive?month=2025-01');
    expect(page.city.comparable!.ytd.growth).toBeCloseTo(0.1, 12);
  });
});
