// A month is judged for reporting only once it is closed (src/domain/alerts/reporting.ts), on every test
// database, through the API's monthly imports and the hooks they run: the first file of a new month (two
// rows) raises no "not reported" alert, no "fewer reporting firms" and files no enterprise request; the rest
// of the month closes it (90 % of the month before's firms) and the firms still missing are flagged then; a
// month left open is judged once the next month's file arrives (evaluated again by that import), without
// a second open alert for any firm and signal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import type { ImportDetail } from '../../src/modules/imports/schemas.ts';
import { evaluateDemoAlerts } from '../../src/modules/alerts/demo.ts';
import { addMonths } from '../../src/domain/periods.ts';
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

interface Firm {
  id: number;
  uscc: string;
  values: (number | null)[];
}

const actor = { id: null, username: 'fixture' };

describe.each(testDatabases())('a month is judged for reporting once closed ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let cookie: string;
  /** the demo's newest month, taken off the record to be imported again file by file */
  let month: string;
  let firms: Firm[] = [];
  /** firms left out of the month's files: they stopped reporting */
  let stopped: Firm[] = [];
  let n = 0;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 5, enterpriseCount: 160 });
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
    // the alerts as the monthly runs up to the month before left them
    await evaluateDemoAlerts(d, actor, 3);
    stopped = firms.filter((_, i) => i % 40 === 7);
    await createUser(
      d.db,
      { username: 'rc_admin', displayName: 'Admin', role: 'admin', password: PASSWORD },
      actor,
    );
    app = await testApp(d);
    cookie = await loginCookie(app, 'rc_admin');
  });
  afterAll(async () => {
    await waitForJobs();
    await app?.close();
    if (d) await t.dispose(d);
  });

  async function importMonthly(m: string, list: Firm[]) {
    const lines = list.map((f) => [f.uscc, m, ...f.values.map((v) => (v == null ? '' : String(v)))]);
    const text = [HEADER, ...lines].map((l) => l.join(',')).join('\n') + '\n';
    const file = multipartFile(`rc-${++n}.csv`, Buffer.from(text, 'utf8'));
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
  }

  /** what the import's evaluation could have raised: alerts by signal and month, requests, duplicates */
  const state = async () => {
    const [s] = await queryRows<{
      alerts: number;
      not_reported: number;
      firm_count: number;
      requests: number;
      duplicates: number;
    }>(
      d.db,
      sql`select (select count(*)::int from alerts) as alerts,
            (select count(*)::int from alerts where signal = 'months_not_reported') as not_reported,
            (select count(*)::int from alerts where signal = 'firm_count_yoy') as firm_count,
            (select count(*)::int from service_requests where alert_id is not null) as requests,
            (select count(*)::int from (select 1 from alerts where open group by subject_key, signal
              having count(*) > 1) x) as duplicates`,
    );
    return s!;
  };
  const notReportedAt = (m: string) =>
    queryRows<{ id: number; level: string }>(
      d.db,
      sql`select enterprise_id::int as id, level from alerts
          where signal = 'months_not_reported' and open and last_month = ${`${m}-01`}::date order by 1`,
    );
  const lastEvaluation = async (m: string) =>
    (
      await queryRows<{ reporting: { closed: boolean; firms?: number; before?: number } }>(
        d.db,
        sql`select counts -> 'reporting' as reporting from alert_evaluations
            where month = ${`${m}-01`}::date order by id desc limit 1`,
      )
    )[0]?.reporting;
  const board = async () =>
    json<{ latestMonth: string; reporting: { month: string; closed: boolean; firms: number } | null }>(
      await app.inject({ method: 'GET', url: '/api/alerts?pageSize=1', headers: { cookie } }),
    );

  it('the first file of a month raises no "not reported" and files no request; the rest of the month does', async () => {
    const before = await state();
    expect(before.duplicates).toBe(0);

    // a two-row file of the new month: every other firm has not reported "yet", not "not reported"
    await importMonthly(month, firms.slice(0, 2));
    const open = await state();
    expect(open.not_reported).toBe(before.not_reported);
    expect(open.firm_count).toBe(before.firm_count);
    expect(open.requests).toBe(before.requests);
    expect(await notReportedAt(month)).toEqual([]);
    expect(await lastEvaluation(month)).toEqual({
      closed: false,
      firms: 2,
      before: expect.any(Number),
      share: 0.9,
    });
    const b = await board();
    expect(b.reporting).toMatchObject({ month, closed: false, firms: 2 });

    // the rest of the month but the firms that stopped: closed (their share reaches 90 %), judged now
    const stoppedIds = new Set(stopped.map((f) => f.id));
    await importMonthly(
      month,
      firms.slice(2).filter((f) => !stoppedIds.has(f.id)),
    );
    expect(stopped.length).toBeGreaterThan(0);
    expect((await lastEvaluation(month))?.closed).toBe(true);
    const flagged = (await notReportedAt(month)).map((a) => a.id);
    for (const f of stopped) expect(flagged).toContain(f.id);
    // and only firms without a row in the month
    const reported = new Set(firms.filter((f) => !stoppedIds.has(f.id)).map((f) => f.id));
    expect(flagged.filter((id) => reported.has(id))).toEqual([]);
    const closed = await state();
    expect(closed.not_reported).toBeGreaterThan(open.not_reported);
    expect(closed.duplicates).toBe(0);
    expect((await board()).reporting).toMatchObject({ month, closed: true });
  });

  it('a month left open is judged once the next month arrives, each firm and signal one open alert', async () => {
    const next = addMonths(month, 1);
    const after = addMonths(month, 2);
    const before = await state();
    // two rows of the next month: open; the firms that stopped are not "2 months not reported" yet
    await importMonthly(next, firms.slice(0, 2));
    const open = await state();
    expect(open.not_reported).toBe(before.not_reported);
    expect(open.requests).toBe(before.requests);
    expect(await notReportedAt(next)).toEqual([]);
    expect((await lastEvaluation(next))?.closed).toBe(false);

    // the month after arrives (every firm that still reports): the next month is closed by it, and that
    // import evaluates it again although it brought none of its rows
    const stoppedIds = new Set(stopped.map((f) => f.id));
    const [mark] = await queryRows<{ id: number }>(
      d.db,
      sql`select coalesce(max(id), 0)::int as id from alert_evaluations`,
    );
    await importMonthly(
      after,
      firms.filter((f) => !stoppedIds.has(f.id)),
    );
    const evaluated = await queryRows<{ m: string; closed: boolean }>(
      d.db,
      sql`select to_char(month, 'YYYY-MM') as m, (counts -> 'reporting' ->> 'closed')::boolean as closed
          from alert_evaluations where id > ${mark!.id} order by id`,
    );
    expect(evaluated).toEqual([
      { m: next, closed: true },
      { m: after, closed: true },
    ]);
    // the firms without a row in the next month were not reported in it; those that stopped two months ago,
    // orange (and an enterprise request each), raised or escalated once: still one open alert per signal
    const judged = await queryRows<{ id: number; level: string; last: string }>(
      d.db,
      sql`select enterprise_id::int as id, level, to_char(last_month, 'YYYY-MM') as last from alerts
          where signal = 'months_not_reported' and open and enterprise_id = any(${`{${stopped.map((f) => f.id).join(',')}}`}::bigint[])`,
    );
    expect(judged.map((a) => a.id).sort()).toEqual(stopped.map((f) => f.id).sort());
    for (const a of judged) expect(a.level).toBe('orange');
    const raisedAtNext = await queryRows<{ n: number }>(
      d.db,
      sql`select count(distinct a.enterprise_id)::int as n from alert_events e join alerts a on a.id = e.alert_id
          where a.signal = 'months_not_reported' and e.month = ${`${next}-01`}::date and e.kind = 'raised'`,
    );
    // every firm that reported the month before but not in the next month's two rows
    expect(raisedAtNext[0]!.n).toBeGreaterThanOrEqual(firms.length - stopped.length - 2);
    const closed = await state();
    expect(closed.duplicates).toBe(0);
    expect(closed.requests).toBeGreaterThan(open.requests);
    // evaluated again on demand (or by a correction): nothing raised twice
    await d.db.transaction(async (tx) => {
      const { evaluateMonths } = await import('../../src/modules/alerts/evaluate.ts');
      await evaluateMonths(tx as never, [next, after], { trigger: 'demand', actor });
    });
    const again = await state();
    expect(again.alerts).toBe(closed.alerts);
    expect(again.requests).toBe(closed.requests);
    expect(again.duplicates).toBe(0);
  });
});
