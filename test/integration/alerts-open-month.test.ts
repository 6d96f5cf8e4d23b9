// The newest month while still open for reporting (src/domain/alerts/reporting.ts), on every test database,
// through the API's monthly imports: the alerts board's reporting counts are kept at the facts' version — an
// import and its rollback show at once, a row changed behind the stamps does not (the counts are not taken
// again per request). The monitoring pages' answers carry the open month (`reporting`: the city's counts, the
// same for every role that reads them) on the newest month only, and none once it is closed. The backtest
// judges the open newest month as the live evaluation does: its firms without a row are not "not reported"
// yet; once closed, they are — and its result names the months it judged open (`openMonths`, the API's too).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import type { ImportDetail } from '../../src/modules/imports/schemas.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { addMonths } from '../../src/domain/periods.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PASSWORD } from '../helpers/fixtures.ts';
import { runBacktest } from '../../src/modules/alerts/backtest.ts';
import { waitForBacktests } from '../../src/modules/alerts/backtest-jobs.ts';
import { currentRuleSetForRead } from '../../src/modules/alerts/rules.ts';
import type { BacktestView } from '../../src/modules/alerts/schemas.ts';
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

interface Firm {
  id: number;
  uscc: string;
  values: (number | null)[];
}

const actor = { id: null, username: 'fixture' };

describe.each(testDatabases())('the newest month while open for reporting ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let cookie: string;
  /** the demo's newest month, taken off the record to be imported again file by file */
  let month: string;
  /** firms with a row in the month before */
  let before: number;
  let firms: Firm[] = [];
  let n = 0;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 7, enterpriseCount: 120 });
    const [m] = await queryRows<{ m: string }>(
      d.db,
      sql`select to_char(max(month), 'YYYY-MM') as m from monthly_stats`,
    );
    month = m!.m;
    firms = (
      await queryRows<{ id: number; uscc: string; v: (number | null)[] }>(
        d.db,
        sql`select e.id::int as id, e.uscc, array[ms.output_value, ms.revenue, ms.profit, ms.tax, ms.energy_tce,
              ms.electricity, ms.employees, ms.export_value]::float8[] as v
            from monthly_stats ms join enterprises e on e.id = ms.enterprise_id
            where ms.month = ${`${month}-01`}::date order by e.id`,
      )
    ).map((r) => ({ id: r.id, uscc: r.uscc, values: r.v }));
    await d.db.execute(sql`delete from monthly_stats where month = ${`${month}-01`}::date`);
    // the rollups as the facts now stand (the month gone from the pages too)
    await refreshClusterRollups(d.db);
    const [b] = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from monthly_stats where month = ${`${addMonths(month, -1)}-01`}::date`,
    );
    before = b!.n;
    await createUser(
      d.db,
      { username: 'om_admin', displayName: 'Admin', role: 'admin', password: PASSWORD },
      actor,
    );
    for (const u of [
      { username: 'om_nanhu', role: 'county' as const, regionCode: NANHU },
      { username: 'om_textile', role: 'cluster_agency' as const, clusterCode: 'textile' },
      { username: 'om_analyst', role: 'analyst' as const },
    ])
      await createUser(d.db, { ...u, displayName: u.username, password: PASSWORD }, actor);
    app = await testApp(d);
    cookie = await loginCookie(app, 'om_admin');
  });
  afterAll(async () => {
    await waitForJobs();
    await app?.close();
    if (d) await t.dispose(d);
  });

  async function importMonthly(m: string, list: Firm[]): Promise<number> {
    const lines = list.map((f) => [f.uscc, m, ...f.values.map((v) => (v == null ? '' : String(v)))]);
    const text = [HEADER, ...lines].map((l) => l.join(',')).join('\n') + '\n';
    const file = multipartFile(`om-${++n}.csv`, Buffer.from(text, 'utf8'));
    const up = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=monthly',
      headers: { ...file.headers, cookie },
      payload: file.payload,
    });
    expect(up.statusCode, up.body).toBeLessThan(300);
    const { id } = json<ImportDetail>(up);
    await waitForJobs(id);
    const res = await app.inject({ method: 'POST', url: `/api/imports/${id}/commit`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(202);
    await waitForJobs(id);
    const done = json<ImportDetail>(
      await app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: { cookie } }),
    );
    expect(done.status, JSON.stringify(done.problems?.slice(0, 3))).toBe('committed');
    return id;
  }

  type Reporting = { month: string; firms: number; before: number; share: number; closed: boolean };
  const board = async () =>
    json<{ latestMonth: string; reporting: Reporting | null }>(
      await app.inject({ method: 'GET', url: '/api/alerts?pageSize=1', headers: { cookie } }),
    ).reporting;

  it("keeps the board's counts at the facts' version: an import and its rollback show at once", async () => {
    await importMonthly(month, firms.slice(0, 3));
    expect(await board()).toEqual({ month, firms: 3, before, share: 0.9, closed: false });
    const second = await importMonthly(month, firms.slice(3, 5));
    expect(await board()).toMatchObject({ month, firms: 5, before, closed: false });

    // a row taken away behind every stamp (no import, no rollup refresh): the kept counts stand
    await d.db.execute(
      sql`delete from monthly_stats where enterprise_id = ${firms[0]!.id} and month = ${`${month}-01`}::date`,
    );
    expect(await board()).toMatchObject({ month, firms: 5 });
    await new Promise((r) => setTimeout(r, 1200));
    expect(await board()).toMatchObject({ month, firms: 5 });

    // the rollback of the second file: its rows gone, counted again at once (and the row taken away with it)
    const undo = await app.inject({
      method: 'POST',
      url: `/api/imports/${second}/rollback`,
      headers: { cookie },
    });
    expect(undo.statusCode, undo.body).toBe(200);
    expect(await board()).toMatchObject({ month, firms: 2, before, closed: false });
  });

  const pages = (m?: string) =>
    ['/api/monitoring/cockpit', '/api/monitoring/clusters/textile', `/api/monitoring/regions/${NANHU}`].map(
      (p) => (m ? `${p}?month=${m}` : p),
    );
  const noteOf = async (who: string, url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie: await loginCookie(app, who) } });
    expect(res.statusCode, `${who} ${url}: ${res.body}`).toBe(200);
    const body = json<{ month: string; reporting: unknown }>(res);
    return { month: body.month, reporting: body.reporting };
  };
  const ROLES = ['om_admin', 'om_analyst', 'om_nanhu', 'om_textile'];

  it("the monitoring pages' answers carry the open month, the same city-wide counts for every role", async () => {
    for (const who of ROLES)
      for (const url of pages()) {
        expect(await noteOf(who, url), `${who} ${url}`).toEqual({
          month,
          reporting: { month, firms: 2, before, share: 0.9 },
        });
        // an older month of the same page: closed, no note
        const older = addMonths(month, -1);
        expect(await noteOf(who, `${url}?month=${older}`)).toEqual({ month: older, reporting: null });
      }
  });

  /** the backtest of the rules in force through the API: started, run in the background, read back */
  const backtestJob = async () => {
    const start = await app.inject({ method: 'POST', url: '/api/alerts/backtest', headers: { cookie } });
    expect(start.statusCode, start.body).toBeLessThan(300);
    await waitForBacktests();
    const res = await app.inject({ method: 'GET', url: '/api/alerts/backtest', headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return json<{ status: string; result: BacktestView | null }>(res);
  };

  /** alerts the not-reported rules raised in a backtest */
  const notReported = (v: BacktestView, ids: string[]) =>
    ids.reduce((sum, id) => sum + (v.byRule[id]?.alerts ?? 0), 0);

  it('the backtest judges the open newest month as the live evaluation does', async () => {
    const rs = (await currentRuleSetForRead(d.db)).definition;
    const ids = rs.rules.filter((r) => r.signal === 'months_not_reported').map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    // the same rules, the month judged closed whatever its count (a share of nothing)
    const closedAlways = { ...rs, reportingClosed: { ...rs.reportingClosed!, share: 0 } };
    const [open, closed] = await runBacktest(d.db, [rs, closedAlways]);
    const [upToBefore] = await runBacktest(d.db, [rs], addMonths(month, -1));
    expect(open!.to).toBe(month);
    // open: no firm without a row in the month is "not reported" in it — as if the replay stopped before it
    expect(notReported(open!, ids)).toBe(notReported(upToBefore!, ids));
    // judged closed, the firms that have not reported yet would each be
    expect(notReported(closed!, ids)).toBeGreaterThan(notReported(upToBefore!, ids));
    // and the result says which months it judged open (none for the rules that close it, nor before it)
    expect(open!.openMonths).toEqual([month]);
    expect(closed!.openMonths).toEqual([]);
    expect(upToBefore!.openMonths).toEqual([]);
    // so does the API's backtest job of the rules in force
    expect(await backtestJob()).toMatchObject({ status: 'done', result: { to: month, openMonths: [month] } });
  });

  it('once the month is closed: no note, the board says closed, the backtest judges the month', async () => {
    // the rest of the month but a few firms that stopped reporting (and the one taken away above)
    const stopped = new Set(firms.filter((_, i) => i % 40 === 7).map((f) => f.id));
    await importMonthly(
      month,
      firms.slice(3).filter((f) => !stopped.has(f.id)),
    );
    expect(await board()).toMatchObject({ month, closed: true });
    for (const url of pages()) expect(await noteOf('om_nanhu', url)).toEqual({ month, reporting: null });
    const rs = (await currentRuleSetForRead(d.db)).definition;
    const ids = rs.rules.filter((r) => r.signal === 'months_not_reported').map((r) => r.id);
    const [closed] = await runBacktest(d.db, [rs]);
    const [upToBefore] = await runBacktest(d.db, [rs], addMonths(month, -1));
    // the firms without a row now are not reported in it (those that had reported the month before)
    expect(notReported(closed!, ids)).toBeGreaterThan(notReported(upToBefore!, ids));
    expect(closed!.openMonths).toEqual([]);
    expect(await backtestJob()).toMatchObject({ status: 'done', result: { to: month, openMonths: [] } });
  });
});
