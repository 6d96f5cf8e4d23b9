// Disclosure control on GET /api/monitoring/targets (issue 12, item 7): a city output target's actual
// is the city's cell, so a reader from whom the cockpit hides that cell gets the target without its
// figures — before, the targets route answered every reader the whole city's figures. One firm in
// Tongxiang holds most of the city's textile output outside Nanhu, over a complete year (2024) and
// this year's first months, so the target has an actual to withhold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { enterpriseClusters, enterprises, monthlyStats } from '../../src/db/schema.ts';
import type { Database } from '../../src/db/client.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import type { Cockpit, TargetsAnswer } from '../../src/modules/monitoring/schemas.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import type { Role } from '../../src/modules/auth/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, PASSWORD, PINGHU, TONGXIANG } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

const MONTH = '2025-03';
const MONTHS = [
  ...Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`),
  '2025-01',
  '2025-02',
  '2025-03',
];
const SET = 'five-clusters-2020';
const CELLS = [
  { region: TONGXIANG, outputs: [9000, 300, 250, 200, 250] },
  { region: NANHU, outputs: [500, 400, 300] },
  { region: PINGHU, outputs: [1000, 900, 800, 700] },
];
const actor = { id: null, username: 'fixture' };

describe.each(testDatabases())('disclosure control on the targets route ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    let n = 600;
    for (const cell of CELLS) {
      const ids = await d.db
        .insert(enterprises)
        .values(
          cell.outputs.map(() => ({
            uscc: fixtureUscc(n++, cell.region),
            name: `目标企业${n}`,
            regionCode: cell.region,
            industryCode: '1711',
            scale: 'above' as const,
          })),
        )
        .returning({ id: enterprises.id });
      await d.db.insert(enterpriseClusters).values(
        ids.map(({ id }) => ({
          enterpriseId: id,
          clusterCode: 'textile',
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
            profit: cell.outputs[i]! * 0.05,
            employees: 50,
          })),
        ),
      );
    }
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    const users: { username: string; role: Role; regionCode?: string; clusterCode?: string }[] = [
      { username: 't_analyst', role: 'analyst' },
      { username: 't_nanhu', role: 'county', regionCode: NANHU },
      { username: 't_pinghu', role: 'county', regionCode: PINGHU },
      { username: 't_textile', role: 'cluster_agency', clusterCode: 'textile' },
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
  const textile = async (who: string, scale = 'above') =>
    (
      await get<TargetsAnswer>(`/api/monitoring/targets?month=${MONTH}&scale=${scale}&targetSet=${SET}`, who)
    ).targets.find((x) => x.code === 'output-textile')!;

  it('the analyst and the textile agency see the target’s actual; Nanhu’s officer gets it withheld', async () => {
    const full = await textile('t_analyst');
    // 2024: 14,600 万元 a month over twelve months, in 亿元
    expect(full.actualYear).toBe(2024);
    expect(full.actual).toBeCloseTo((14_600 * 12) / 10_000, 6);
    expect(full.history.length).toBeGreaterThan(0);
    expect(full.suppressed).toBeUndefined();
    expect(await textile('t_textile')).toEqual(full);
    for (const scale of ['above', 'all']) {
      const nanhu = await textile('t_nanhu', scale);
      expect(nanhu.actual, scale).toBeNull();
      expect(nanhu.actualYear, scale).toBeNull();
      expect(nanhu.progress, scale).toBeNull();
      expect(nanhu.projection, scale).toBeNull();
      expect(nanhu.history, scale).toEqual([]);
      // the page marks it 不予公开 with the city cell's rule, as it does the cockpit's cells
      expect(nanhu.suppressed, scale).toMatch(/^(frequency|dominance|p-percent|secondary)$/);
      // the plan's goal and deadline stay
      expect(nanhu.goal, scale).toBe(full.goal);
    }
  });

  it.each(['t_nanhu', 't_pinghu', 't_textile'])(
    'by subtraction, %s: a withheld target’s year is not the sum of the cockpit trend’s shown months; a shown one is the analyst’s',
    async (who) => {
      const full = await get<TargetsAnswer>(
        `/api/monitoring/targets?month=${MONTH}&targetSet=${SET}`,
        't_analyst',
      );
      const seen = await get<TargetsAnswer>(`/api/monitoring/targets?month=${MONTH}&targetSet=${SET}`, who);
      const trend = (await get<Cockpit>(`/api/monitoring/cockpit?month=${MONTH}`, who)).trend;
      let withheld = 0;
      for (const target of seen.targets) {
        if (target.metric !== 'cluster_output' && target.metric !== 'cluster_output_total') continue;
        const analyst = full.targets.find((x) => x.code === target.code)!;
        if (analyst.actual == null) continue;
        if (target.actual != null) {
          expect(target, target.code).toEqual(analyst);
          continue;
        }
        withheld++;
        // the year's twelve months on the cockpit's trend would add up to the withheld actual
        const key = target.clusterCode ?? '_clusters';
        const year = trend.filter((p) => p.month.startsWith(`${analyst.actualYear}-`));
        expect(year.length).toBe(12);
        expect(Object.keys(year[0]!.values)).toContain(key);
        expect(
          year.some((p) => p.values[key] == null),
          `${target.code}: every month of ${analyst.actualYear} shown`,
        ).toBe(true);
      }
      // textile and the five together (textile alone here) for the officers; none for the agency
      expect(withheld).toBe(who === 't_textile' ? 0 : 2);
    },
  );

  it('the cockpit’s gauge for the same reader says the same, at either scale', async () => {
    for (const scale of ['above', 'all']) {
      const cockpit = await get<Cockpit>(
        `/api/monitoring/cockpit?month=${MONTH}&scale=${scale}&targetSet=${SET}`,
        't_nanhu',
      );
      const gauge = cockpit.targets!.targets.find((x) => x.code === 'output-textile')!;
      expect(gauge, scale).toEqual(await textile('t_nanhu', scale));
    }
  });
});
