// The rollups an import refreshes incrementally (only the months, and for a monthly file only the county ×
// zone × scale cells, that its firms touched) equal a full rebuild row for row, after any sequence of
// monthly imports (new months, corrections of months on record, firms reporting for the first time),
// rollbacks and registry edits, all through the API with the hooks the server registers. Values are
// multiples of ¼ so that every sum is exact in any order: equal means equal, to the last bit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import type { ImportDetail } from '../../src/modules/imports/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFile } from '../helpers/uploads.ts';

const HEADER = [
  '统一社会信用代码',
  '统计月份',
  '工业总产值(万元)',
  '营业收入(万元)',
  '利润总额(万元)',
  '税金(万元)',
  '综合能耗(吨标准煤)',
  '用电量(万千瓦时)',
  '从业人员(人)',
  '出口交货值(万元)',
];
const MEASURES = [
  'output_value',
  'revenue',
  'profit',
  'tax',
  'energy_tce',
  'electricity',
  'employees',
  'export_value',
];

/** Every row of both rollup tables, in key order, as text (equal text: equal rows). */
const SNAPSHOT = sql`select 'crm' as t, row(c.*)::text as r from cluster_region_month c
  union all select 'ytd', row(y.*)::text from cluster_enterprise_ytd y order by 1, 2`;

class Discard extends Error {}

describe.each(testDatabases())('incremental rollups equal a full rebuild ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let cookie: string;
  let firms: { id: number; uscc: string }[] = [];
  let months: string[] = [];
  let counties: string[] = [];
  const committed: number[] = [];

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 11, enterpriseCount: 24 });
    // exact quarters everywhere; some firms with no facts at all (their first import is "new firms")
    const set = MEASURES.filter((m) => m !== 'employees')
      .map((m) => `${m} = round(${m} * 4) / 4`)
      .join(', ');
    await d.db.execute(sql.raw(`update monthly_stats set ${set}`));
    await d.db.execute(
      sql`delete from monthly_stats where enterprise_id in (select id from enterprises order by id desc limit 6)`,
    );
    await d.db.transaction((tx) => refreshClusterRollups(tx));
    firms = await queryRows<{ id: number; uscc: string }>(
      d.db,
      sql`select id::int as id, uscc from enterprises order by id`,
    );
    // the last 14 months on record and up to 3 after them (a new year included when the data ends late),
    // none after the current month: an import refuses months that have not begun
    const [{ last } = { last: '' }] = await queryRows<{ last: string }>(
      d.db,
      sql`select to_char(max(month), 'YYYY-MM-DD') as last from monthly_stats`,
    );
    const thisMonth = `${new Date().toISOString().slice(0, 7)}-01`;
    months = await queryRows<{ m: string }>(
      d.db,
      sql`select to_char(g, 'YYYY-MM') as m from generate_series(${last}::date - interval '13 months',
            least(${last}::date + interval '3 months', ${thisMonth}::date), interval '1 month') g`,
    ).then((r) => r.map((x) => x.m));
    counties = await queryRows<{ code: string }>(
      d.db,
      sql`select code from regions where level = 'county' order by code`,
    ).then((r) => r.map((x) => x.code));
    await createUser(
      d.db,
      { username: 'inc_admin', displayName: 'Admin', role: 'admin', password: PASSWORD },
      { id: null, username: 'fixture' },
    );
    app = await testApp(d);
    cookie = await loginCookie(app, 'inc_admin');
  });
  afterAll(async () => {
    await waitForJobs();
    await app?.close();
    if (d) await t.dispose(d);
  });

  const snapshot = () => queryRows<{ t: string; r: string }>(d.db, SNAPSHOT);
  /** The rows a full rebuild writes, in a transaction rolled back afterwards. */
  async function rebuilt() {
    let rows: { t: string; r: string }[] = [];
    await d.db
      .transaction(async (tx) => {
        await refreshClusterRollups(tx);
        rows = await queryRows<{ t: string; r: string }>(tx, SNAPSHOT);
        throw new Discard();
      })
      .catch((e) => {
        if (!(e instanceof Discard)) throw e;
      });
    return rows;
  }

  async function importMonthly(lines: string[][], name: string) {
    const text = [HEADER, ...lines].map((l) => l.join(',')).join('\n') + '\n';
    const m = multipartFile(name, Buffer.from(text, 'utf8'));
    const up = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=monthly',
      headers: { ...m.headers, cookie },
      payload: m.payload,
    });
    expect(up.statusCode, up.body).toBeLessThan(300);
    const { id } = json<ImportDetail>(up);
    await waitForJobs(id);
    const res = await app.inject({ method: 'POST', url: `/api/imports/${id}/commit`, headers: { cookie } });
    // a refused preview: say why (the import's problems), not only that the commit was refused
    const why =
      res.statusCode === 202
        ? ''
        : (await app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: { cookie } })).body;
    expect(res.statusCode, `${res.body} ${why.slice(0, 3000)}`).toBe(202);
    await waitForJobs(id);
    const done = json<ImportDetail>(
      await app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: { cookie } }),
    );
    expect(done.status, JSON.stringify(done.problems?.slice(0, 3))).toBe('committed');
    committed.push(id);
  }

  const quarter = (lo: number, hi: number) => fc.integer({ min: lo * 4, max: hi * 4 }).map((v) => v / 4);
  const cell = (lo: number, hi: number) =>
    fc.oneof(
      { weight: 5, arbitrary: quarter(lo, hi).map(String) },
      { weight: 1, arbitrary: fc.constant('') },
    );
  const op = () =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('monthly' as const),
          rows: fc.uniqueArray(
            fc.record({
              firm: fc.nat(),
              month: fc.nat(),
              values: fc.tuple(
                cell(0, 5000),
                cell(0, 5000),
                cell(-300, 300),
                cell(0, 200),
                cell(0, 900),
                cell(0, 700),
                fc.oneof(fc.integer({ min: 1, max: 900 }).map(String), fc.constant('')),
                cell(0, 800),
              ),
            }),
            {
              minLength: 1,
              maxLength: 25,
              // one row per firm and month as the file names them (a file may not repeat one)
              selector: (r) => `${r.firm % firms.length}|${r.month % months.length}`,
            },
          ),
        }),
      },
      { weight: 1, arbitrary: fc.constant({ kind: 'rollback' as const }) },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('county' as const),
          firm: fc.nat(),
          county: fc.nat(),
          above: fc.boolean(),
        }),
      },
    );

  it('after random imports, corrections, rollbacks and registry edits', { timeout: 600_000 }, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op(), { minLength: 2, maxLength: 3 }), async (ops) => {
        for (const o of ops) {
          const t0 = performance.now();
          if (o.kind === 'monthly') {
            const lines = o.rows.map((r) => [
              firms[r.firm % firms.length]!.uscc,
              months[r.month % months.length]!,
              ...r.values,
            ]);
            await importMonthly(lines, `inc-${++n}.csv`);
          } else if (o.kind === 'rollback') {
            const id = committed.pop();
            if (id == null) continue;
            const res = await app.inject({
              method: 'POST',
              url: `/api/imports/${id}/rollback`,
              headers: { cookie },
            });
            expect(res.statusCode, res.body).toBe(200);
          } else {
            const firm = firms[o.firm % firms.length]!;
            const res = await app.inject({
              method: 'PATCH',
              url: `/api/enterprises/${firm.id}`,
              headers: { cookie },
              payload: {
                regionCode: counties[o.county % counties.length],
                townCode: null,
                zoneCode: null,
                scale: o.above ? 'above' : 'below',
              },
            });
            expect(res.statusCode, res.body).toBe(200);
          }
          if (process.env.ROLLUPS_TRACE) console.log(o.kind, Math.round(performance.now() - t0));
          const got = await snapshot();
          expect(got.length).toBeGreaterThan(0);
          const want = await rebuilt();
          if (process.env.ROLLUPS_TRACE) {
            const k = (x: { t: string; r: string }) => `${x.t} ${x.r}`;
            const a = new Set(got.map(k));
            const b = new Set(want.map(k));
            const only = (p: Set<string>, q: Set<string>) => [...p].filter((x) => !q.has(x));
            if (only(a, b).length || only(b, a).length)
              console.log(JSON.stringify(o), '\nINCREMENTAL ONLY', only(a, b), '\nREBUILD ONLY', only(b, a));
          }
          expect(got).toEqual(want);
        }
      }),
      {
        numRuns: Number(process.env.ROLLUPS_RUNS ?? 3),
        seed: Number(process.env.ROLLUPS_SEED ?? 20261204),
        endOnFailure: !!process.env.ROLLUPS_TRACE,
      },
    );
    expect(n).toBeGreaterThan(2);
  });
});
