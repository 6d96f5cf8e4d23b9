// Risk early warning on every test database: the monthly evaluation inside the facts-changed hook agrees
// with the pure signals recomputed from the raw facts, dedups across runs, keeps every alert's history;
// the board is scoped (county, cluster agency), handling is audited step by step, rule sets are versioned
// with a preview that shows what gets worse, the export and the backtest answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { runFactsChanged } from '../../src/modules/imports/service.ts';
import { registerFactsHooks } from '../../src/composition.ts';
import { evaluateDemoAlerts } from '../../src/modules/alerts/demo.ts';
import { waitForBacktests } from '../../src/modules/alerts/index.ts';
import { exportAlertsXlsx } from '../../src/modules/alerts/export.ts';
import { scopeOf } from '../../src/domain/policy/index.ts';
import type { AuthedUser } from '../../src/server/auth-context.ts';
import { sweepEscalations } from '../../src/modules/workitems/index.ts';
import { firmSignals, type FirmFacts } from '../../src/domain/alerts/index.ts';
import { addMonths } from '../../src/domain/periods.ts';
import type { AlertView } from '../../src/modules/alerts/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';

// The facts-changed hooks as every process registers them (the composition root).
registerFactsHooks();

const actor = { id: null, username: 'fixture' };

describe.each(testDatabases())('risk early warning ($kind)', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let latest: string;
  let currentFrom: string;
  let county: string;
  let otherCounty: string;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 11, enterpriseCount: 600 });
    const [m] = await queryRows<{ m: string }>(
      d.db,
      sql`select to_char(max(month), 'YYYY-MM') as m from monthly_stats`,
    );
    latest = m!.m;
    currentFrom = addMonths(latest, -2);
    // the last months as the monthly runs would have raised them
    await evaluateDemoAlerts(d, actor, 4);
    const byCounty = await queryRows<{ r: string; n: number }>(
      d.db,
      sql`select region_code as r, count(*)::int as n from alerts where subject_kind = 'firm' group by 1 order by 2 desc, 1`,
    );
    county = byCounty[0]!.r;
    otherCounty = byCounty[1]!.r;
    const users = [
      { username: 'al_admin', displayName: 'Admin', role: 'admin' as const },
      { username: 'al_admin2', displayName: 'Second admin', role: 'admin' as const },
      { username: 'al_analyst', displayName: 'Analyst', role: 'analyst' as const },
      { username: 'al_county', displayName: 'County', role: 'county' as const, regionCode: county },
      {
        username: 'al_agency',
        displayName: 'Agency',
        role: 'cluster_agency' as const,
        clusterCode: 'textile',
      },
      { username: 'al_auditor', displayName: 'Auditor', role: 'auditor' as const },
    ];
    for (const u of users) await createUser(d.db, { ...u, password: PASSWORD }, actor);
    app = await testApp(d);
    for (const u of users) cookies[u.username] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const get = (url: string, who: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
  const post = (url: string, who: string, payload: unknown) =>
    app.inject({ method: 'POST', url, headers: { cookie: cookies[who]! }, payload: payload as never });
  const board = async (who: string, query = '') => {
    const r = await get(`/api/alerts?pageSize=200${query}`, who);
    expect(r.statusCode, r.body).toBe(200);
    return json<{ total: number; rows: AlertView[]; byLevel: Record<string, number> }>(r);
  };

  it('the monthly hook evaluates the newest month inside the import transaction, and dedups', async () => {
    const before = await queryRows<{ n: number; open: number }>(
      d.db,
      sql`select count(*)::int as n, count(*) filter (where open)::int as open from alerts`,
    );
    await d.db.transaction((tx) =>
      runFactsChanged(tx as never, { kind: 'monthly', months: [latest], importId: 99, action: 'commit' }),
    );
    const after = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from alerts`);
    // the same month again: every firing refreshes its open alert, none is raised twice
    expect(after[0]!.n).toBe(before[0]!.n);
    const dup = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from (select subject_key, signal from alerts where open group by 1, 2 having count(*) > 1) x`,
    );
    expect(dup[0]!.n).toBe(0);
    const [run] = await queryRows<{ trigger: string; import_id: number; month: string }>(
      d.db,
      sql`select trigger, import_id::int as import_id, to_char(month, 'YYYY-MM') as month from alert_evaluations order by id desc limit 1`,
    );
    expect(run).toEqual({ trigger: 'import', import_id: 99, month: latest });
    const audit = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from audit_log where action = 'alerts.evaluate'`,
    );
    expect(audit[0]!.n).toBe(5);
    // an import that corrects an older month and brings the newest: both months are evaluated, oldest
    // first, in one run of the hook
    const [mark] = await queryRows<{ id: number }>(
      d.db,
      sql`select coalesce(max(id), 0)::int as id from alert_evaluations`,
    );
    await d.db.transaction((tx) =>
      runFactsChanged(tx as never, {
        kind: 'monthly',
        months: [latest, '2021-03'],
        importId: 100,
        action: 'commit',
      }),
    );
    const since = await queryRows<{ month: string; trigger: string; import_id: number }>(
      d.db,
      sql`select to_char(month, 'YYYY-MM') as month, trigger, import_id::int as import_id from alert_evaluations
          where id > ${mark!.id} order by id`,
    );
    expect(since).toEqual([
      { month: '2021-03', trigger: 'import', import_id: 100 },
      { month: latest, trigger: 'import', import_id: 100 },
    ]);
    // a rollback evaluates nothing (its alerts keep their history)
    const total = async () =>
      (await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from alert_evaluations`))[0]!.n;
    const runs = await total();
    await d.db.transaction((tx) =>
      runFactsChanged(tx as never, { kind: 'monthly', months: [latest], importId: 100, action: 'rollback' }),
    );
    expect(await total()).toBe(runs);
  });

  it('current red and orange alerts are work items at once; yellow ones carry their deadline until taken up', async () => {
    // current = fired within the last 3 months (RESOLVE_AFTER) up to the newest facts
    const rows = await queryRows<{ level: string; with_item: number; without: number }>(
      d.db,
      sql`select level, count(*) filter (where work_item_id is not null)::int as with_item,
            count(*) filter (where work_item_id is null)::int as without from alerts
          where open and last_month >= ${`${currentFrom}-01`}::date group by level`,
    );
    expect(rows.map((r) => r.level)).toContain('yellow');
    expect(rows.map((r) => r.level)).toContain('orange');
    for (const r of rows) {
      if (r.level === 'yellow') expect(r.with_item).toBe(0);
      else expect(r.without).toBe(0);
    }
    // the deadline of each level in working days (rule set: red 3, orange 7, yellow 13), from when the alert
    // was raised: the work item's, or the alert's own while a yellow one has no item
    const spans = await queryRows<{ level: string; days: number }>(
      d.db,
      sql`select a.level, max(extract(epoch from (coalesce(w.deadline_at, a.deadline_at) - a.created_at)) / 86400)::float8 as days
          from alerts a left join work_items w on w.id = a.work_item_id
          where a.open and a.last_month >= ${`${currentFrom}-01`}::date group by a.level`,
    );
    const span = new Map(spans.map((x) => [x.level, x.days]));
    if (span.has('red')) expect(span.get('red')!).toBeLessThan(span.get('orange')!);
    expect(span.get('orange')!).toBeLessThan(span.get('yellow')!);
    // the board shows every open alert's deadline, yellow ones included
    const open = await board('al_analyst', '&level=yellow');
    expect(open.rows.length).toBeGreaterThan(0);
    expect(open.rows.every((a) => a.deadline !== null && a.workItemId === null)).toBe(true);
    // history is recorded, not chased: the correction of 2021-03 (the first test) fired — its evaluation
    // counts the firings (an event is logged only where an alert's state changed) — and no alert whose rule
    // last fired before the current months has a work item
    const fired2021 = await queryRows<{ n: number }>(
      d.db,
      sql`select sum((counts->>'created')::int + (counts->>'escalated')::int + (counts->>'refreshed')::int)::int as n
          from alert_evaluations where month = '2021-03-01'`,
    );
    expect(fired2021[0]!.n).toBeGreaterThan(0);
    const old = await queryRows<{ n: number; items: number }>(
      d.db,
      sql`select count(*)::int as n, count(work_item_id)::int as items from alerts
          where last_month < ${`${currentFrom}-01`}::date`,
    );
    expect(old[0]!.items).toBe(0);
    const items = await queryRows<{
      kind: string;
      state: string;
      owner: string | null;
      deadline: string | null;
    }>(
      d.db,
      sql`select w.kind, w.state, u.code as owner, w.deadline_at::text as deadline from alerts a
            join work_items w on w.id = a.work_item_id left join units u on u.id = w.owner_unit_id`,
    );
    expect(
      items.every((i) => i.kind === 'alert' && i.state === 'open' && i.deadline !== null && i.owner !== null),
    ).toBe(true);
  });

  it('current red and orange firm alerts open one enterprise request each (channel 预警转办), never a second', async () => {
    const count = async () =>
      (
        await queryRows<{ n: number }>(
          d.db,
          sql`select count(*)::int as n from service_requests where alert_id is not null`,
        )
      )[0]!.n;
    const alerts = await queryRows<{ id: number; enterprise_id: number; region_code: string }>(
      d.db,
      sql`select id::int as id, enterprise_id::int as enterprise_id, region_code from alerts
          where open and subject_kind = 'firm' and level in ('red', 'orange')
            and last_month >= ${`${currentFrom}-01`}::date order by id`,
    );
    expect(alerts.length).toBeGreaterThan(0);
    const requests = await queryRows<{
      alert_id: number;
      enterprise_id: number;
      region_code: string;
      channel: string;
      tags: string[];
      title: string;
      kind: string;
    }>(
      d.db,
      sql`select r.alert_id::int as alert_id, r.enterprise_id::int as enterprise_id, r.region_code, r.channel,
            r.tags, r.title, w.kind from service_requests r
          join work_items w on w.kind = 'service_request' and w.subject_id = r.id::text
          where r.alert_id is not null order by r.alert_id`,
    );
    // one per open red/orange firm alert, for the alert's firm in its county, tagged 预警
    const open = new Map(alerts.map((a) => [a.id, a]));
    for (const a of alerts) expect(requests.filter((r) => r.alert_id === a.id)).toHaveLength(1);
    for (const r of requests.filter((x) => open.has(x.alert_id))) {
      const a = open.get(r.alert_id)!;
      expect(r).toMatchObject({
        enterprise_id: a.enterprise_id,
        region_code: a.region_code,
        channel: 'alert',
      });
      // the service intake's level tag, and 预警 (reference B2 §5)
      expect(r.tags).toEqual([expect.stringMatching(/^(红色|橙色)预警$/), '预警']);
      expect(r.title.length).toBeGreaterThan(0);
    }
    // no request for yellow, cluster, county or past (not current) alerts
    const stray = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from service_requests r join alerts a on a.id = r.alert_id
          where a.subject_kind <> 'firm' or a.level = 'yellow' or a.last_month < ${`${currentFrom}-01`}::date`,
    );
    expect(stray[0]!.n).toBe(0);
    // evaluating the same month again refreshes the alerts and files nothing new
    const before = await count();
    const r = await post('/api/alerts/evaluate', 'al_admin', { month: latest });
    expect(r.statusCode, r.body).toBe(200);
    expect(await count()).toBe(before);
  });

  it('an overdue alert escalates: the work-item sweep raises it to 催办 and then 督办, and the board shows it', async () => {
    const [a] = await queryRows<{ id: number; w: number; deadline: string }>(
      d.db,
      sql`select a.id::int as id, a.work_item_id::int as w, w.deadline_at::text as deadline from alerts a
            join work_items w on w.id = a.work_item_id where a.open order by a.id limit 1`,
    );
    // a month after the deadline every mark has passed
    const later = new Date(new Date(a!.deadline).getTime() + 31 * 24 * 3600 * 1000);
    await sweepEscalations(d.db, later, undefined, 'alert');
    const r = await get(`/api/alerts/${a!.id}`, 'al_analyst');
    const alert = json<{ alert: AlertView }>(r).alert;
    expect(alert.handlingLevel).toBe(4);
    expect(alert.deadline).not.toBeNull();
    const events = await queryRows<{ type: string }>(
      d.db,
      sql`select type from work_item_events where work_item_id = ${a!.w} and type <> 'created' order by id`,
    );
    expect(events.length).toBeGreaterThan(0);
  });

  it('evaluates on demand (administrators), audited', async () => {
    const count = async () =>
      (
        await queryRows<{ n: number }>(
          d.db,
          sql`select count(*)::int as n from audit_log where action = 'alerts.evaluate'`,
        )
      )[0]!.n;
    const before = await count();
    expect((await post('/api/alerts/evaluate', 'al_county', {})).statusCode).toBe(403);
    const r = await post('/api/alerts/evaluate', 'al_admin', { month: latest });
    expect(r.statusCode, r.body).toBe(200);
    expect(json<{ months: string[]; created: number }>(r)).toMatchObject({ months: [latest], created: 0 });
    expect(await count()).toBe(before + 1);
    // a month without facts is refused, nothing raised: evaluated, a future month had no reporting firm
    // and so no firm on any chain node — every cluster got a 断链 alert; year 0000 was a server error
    const alerts = async () =>
      (await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from alerts`))[0]!.n;
    const held = await alerts();
    for (const month of ['2099-12', addMonths(latest, 1), '2000-01']) {
      const refused = await post('/api/alerts/evaluate', 'al_admin', { month });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(json<{ detailZh: string }>(refused).detailZh).toBe(`${month} 尚无月度数据，无法评估。`);
    }
    for (const month of ['0000-01', '9999-12']) {
      const outside = await post('/api/alerts/evaluate', 'al_admin', { month });
      expect(outside.statusCode, outside.body).toBe(400);
    }
    expect(await alerts()).toBe(held);
    expect(await count()).toBe(before + 1);
  });

  it('an alert carries the values that fired it, equal to the signals recomputed from the raw facts', async () => {
    const alerts = await queryRows<{
      enterprise_id: number;
      evidence: { month: string; values: Record<string, number> }[];
    }>(
      d.db,
      sql`select enterprise_id::int as enterprise_id, evidence from alerts where subject_kind = 'firm'
            and signal in ('electricity_index', 'tax_yoy', 'output_seasonal_z') order by id limit 5`,
    );
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) {
      const rows = await queryRows<{
        m: string;
        output: number | null;
        tax: number | null;
        electricity: number | null;
        employees: number | null;
      }>(
        d.db,
        sql`select to_char(month, 'YYYY-MM') as m, output_value as output, tax, electricity, employees
            from monthly_stats where enterprise_id = ${a.enterprise_id}`,
      );
      const history = new Map<string, FirmFacts>(rows.map((r) => [r.m, r]));
      for (const e of a.evidence) {
        const s = firmSignals(history, e.month);
        for (const [k, v] of Object.entries(e.values)) expect(v).toBeCloseTo(s[k as keyof typeof s]!, 1);
      }
    }
  });

  it('a county officer sees only their county; an agency only its cluster; others 404, enterprise users 403', async () => {
    const all = await board('al_analyst', '&state=all');
    expect(all.total).toBeGreaterThan(0);
    const mine = await board('al_county', '&state=all');
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.rows.every((a) => a.regionCode === county)).toBe(true);
    const theirs = all.rows.find((a) => a.regionCode === otherCounty && a.subjectKind === 'firm')!;
    expect((await get(`/api/alerts/${theirs.id}`, 'al_county')).statusCode).toBe(404);
    expect((await get(`/api/alerts/profile/firm:${theirs.enterpriseId}`, 'al_county')).statusCode).toBe(404);
    const agency = await board('al_agency', '&state=all');
    const members = await queryRows<{ id: number }>(
      d.db,
      sql`select enterprise_id::int as id from enterprise_clusters where cluster_code = 'textile' and valid_to is null`,
    );
    const memberIds = new Set(members.map((m) => m.id));
    expect(
      agency.rows.every((a) =>
        a.subjectKind === 'cluster' ? a.clusterCode === 'textile' : memberIds.has(a.enterpriseId!),
      ),
    ).toBe(true);
    expect((await get('/api/alerts', 'al_auditor')).statusCode).toBe(403);
    // the county filter of the analyst agrees with the county officer's own board
    expect((await board('al_analyst', `&state=all&county=${county}&subject=firm`)).total).toBe(
      mine.rows.filter((a) => a.subjectKind === 'firm').length,
    );
  });

  it('handles an alert to closure with a reason; every step is an event and an audit row', async () => {
    const mine = await board('al_county');
    // a yellow alert: its work item is opened by the first step, with the deadline it was raised with
    const alert = mine.rows.find((a) => a.subjectKind === 'firm' && a.workItemId == null)!;
    expect(alert.level).toBe('yellow');
    expect(alert.deadline).not.toBeNull();
    const step = async (body: unknown, status = 200) => {
      const r = await post(`/api/alerts/${alert.id}/handle`, 'al_county', body);
      expect(r.statusCode, r.body).toBe(status);
      return r;
    };
    await step({ step: 'verify' });
    await step({ step: 'visit' });
    await step({ step: 'close' }, 400); // a reason is required
    const done = json<{
      alert: AlertView;
      events: { kind: string; reason: string | null; username: string | null }[];
    }>(await step({ step: 'close', reason: '企业已恢复生产，用电回升' }));
    expect(done.alert.status).toBe('closed');
    expect(done.alert.open).toBe(false);
    expect(done.alert.closedReason).toBe('企业已恢复生产，用电回升');
    expect(done.events.filter((e) => e.username === 'al_county').map((e) => e.kind)).toEqual([
      'verify',
      'visit',
      'close',
    ]);
    await step({ step: 'support' }, 409); // closed is final
    // handling runs on the alert's work item: its deadline is set by level, each step is audited there
    expect(done.alert.workItemId).not.toBeNull();
    expect(done.alert.deadline).not.toBeNull();
    const audit = await queryRows<{ action: string }>(
      d.db,
      sql`select action from audit_log where entity = 'work_item' and entity_id = ${String(done.alert.workItemId)} order by id`,
    );
    // the item was opened by the first step, then handled step by step; the deadline did not move
    expect(done.alert.deadline).toBe(alert.deadline);
    expect(audit.map((a) => a.action)).toEqual([
      'workitem.create',
      'workitem.verify',
      'workitem.visit',
      'workitem.close',
    ]);
    // the analyst reads but may not handle; the other county cannot even see it
    expect((await post(`/api/alerts/${alert.id}/handle`, 'al_analyst', { step: 'verify' })).statusCode).toBe(
      403,
    );
  });

  it('rule sets: defaults with sources, a preview that shows what gets worse, a new version published by a second person', async () => {
    const rules = json<{
      current: {
        version: number;
        definition: {
          rules: { id: string; source: string; inference: boolean; enabled: boolean }[];
          reportingClosed?: { share: number; source: string; inference: boolean };
        };
      };
    }>(await get('/api/alerts/rules', 'al_county'));
    expect(rules.current.version).toBe(1);
    // when a month is closed for reporting: a setting of the rule set, with its source, an inference
    expect(rules.current.definition.reportingClosed).toMatchObject({ share: 0.9, inference: true });
    expect(rules.current.definition.reportingClosed!.source.length).toBeGreaterThan(0);
    expect(rules.current.definition.rules.every((r) => r.source.length > 0)).toBe(true);
    expect(rules.current.definition.rules.some((r) => !r.inference)).toBe(true);
    // switching off every firm rule but the yellow electricity one loses the orange and red alerts
    // (and a month closed at 80 % of the month before's firms: an edited rule set carries its share)
    const weaker = {
      ...rules.current.definition,
      reportingClosed: { ...rules.current.definition.reportingClosed!, share: 0.8 },
      rules: rules.current.definition.rules.map((r) => ({
        ...r,
        enabled: r.id === 'ie-below-100-3m' || !r.id.match(/^(ie|output|tax|employees|not)-/),
      })),
    };
    expect((await post('/api/alerts/rules/preview', 'al_county', { definition: weaker })).statusCode).toBe(
      403,
    );
    const pr = await post('/api/alerts/rules/preview', 'al_admin', { definition: weaker });
    expect(pr.statusCode, pr.body).toBe(200);
    const preview = json<{
      latest: { current: Record<string, number>; candidate: Record<string, number> };
      worse: string[];
      backtest: { current: { failing: number } };
    }>(pr);
    expect(preview.latest.candidate.red).toBe(0);
    expect(preview.backtest.current.failing).toBeGreaterThan(0);
    expect(preview.worse).toContain('actionable.recall');
    // saving proposes an edition (submitted at once); the rules in force do not change yet
    const saved = await post('/api/alerts/rules', 'al_admin', {
      definition: weaker,
      reason: '试行：仅保留用电黄色预警',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    type View = {
      current: { version: number; reason: string; createdByName: string | null; backtest: unknown };
      pending: {
        id: number;
        status: string;
        actions: string[];
        changes: { path: string }[];
        body: { backtest: { actionable: { recall: number } } | null; basedOnVersion: number };
      }[];
    };
    const proposed = json<View>(saved);
    expect(proposed.current.version).toBe(1);
    expect(proposed.pending).toHaveLength(1);
    const ed = proposed.pending[0]!;
    expect(ed).toMatchObject({ status: 'submitted', body: { basedOnVersion: 1 } });
    // the proposer may withdraw or return it but not review or publish it; the changes and backtest are shown
    expect(ed.actions).not.toContain('review');
    expect(ed.actions).not.toContain('publish');
    expect(ed.changes.some((c) => /^rules\[\d+\]\.enabled$/.test(c.path))).toBe(true);
    expect(ed.changes.map((c) => c.path)).toContain('reportingClosed.share');
    expect(ed.body.backtest).not.toBeNull();
    const move = (who: string, action: string) =>
      post(`/api/alerts/rules/editions/${ed.id}/transition`, who, { action });
    expect((await move('al_admin', 'review')).statusCode).toBe(403);
    expect((await move('al_county', 'review')).statusCode).toBe(403);
    expect((await move('al_admin2', 'publish')).statusCode).toBe(409); // review comes first
    expect((await move('al_admin2', 'review')).statusCode).toBe(200);
    expect((await move('al_admin', 'publish')).statusCode).toBe(403);
    const published = await move('al_admin2', 'publish');
    expect(published.statusCode, published.body).toBe(200);
    const now = json<View>(published);
    expect(now.current).toMatchObject({
      version: 2,
      reason: '试行：仅保留用电黄色预警',
      createdByName: 'al_admin',
    });
    expect(now.current.backtest).toEqual(ed.body.backtest);
    const inForce = json<{ current: { definition: { reportingClosed?: { share: number } } } }>(
      await get('/api/alerts/rules', 'al_county'),
    );
    expect(inForce.current.definition.reportingClosed?.share).toBe(0.8);
    expect(now.pending).toHaveLength(0);
    const audit = await queryRows<{ action: string; username: string }>(
      d.db,
      sql`select action, username from audit_log
          where (action like 'definition.%' and entity_id = ${String(ed.id)}) or action = 'alerts.ruleset.publish'
          order by id`,
    );
    expect(audit).toEqual([
      { action: 'definition.create', username: 'al_admin' },
      { action: 'definition.submit', username: 'al_admin' },
      { action: 'definition.review', username: 'al_admin2' },
      { action: 'definition.publish', username: 'al_admin2' },
      { action: 'alerts.ruleset.publish', username: 'al_admin2' },
    ]);
    // a broken rule set is refused with a reason
    const bad = await post('/api/alerts/rules', 'al_admin', {
      definition: { ...weaker, rules: [...weaker.rules, weaker.rules[0]] },
      reason: 'dup',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('export, density, profile and backtest answer within scope', async () => {
    const x = await get('/api/alerts/export.xlsx?state=all', 'al_county');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as never);
    const mine = await board('al_county', '&state=all');
    expect(wb.worksheets[0]!.rowCount - 1).toBe(mine.total);
    // a list cut at its limit says so under its last row (it ended there silently)
    expect(mine.total).toBeGreaterThan(3);
    const [row] = await queryRows<{ id: number; region_code: string }>(
      d.db,
      sql`select id::int as id, region_code from users where username = 'al_county'`,
    );
    const base = {
      id: row!.id,
      username: 'al_county',
      displayName: 'al_county',
      role: 'county' as const,
      regionCode: row!.region_code,
      regionName: null,
      clusterCode: null,
      enterpriseId: null,
    };
    const officer: AuthedUser = { ...base, scope: scopeOf(base), sessionTokenHash: '' };
    const cut = new ExcelJS.Workbook();
    await cut.xlsx.load((await exportAlertsXlsx(d.db, officer, { state: 'all' } as never, 3)) as never);
    const sheet = cut.worksheets[0]!;
    expect(sheet.rowCount).toBe(1 + 3 + 1);
    expect(String(sheet.getRow(5).getCell(1).value)).toBe(
      `仅导出前 3 条预警（共 ${mine.total.toLocaleString('en-US')} 条），请缩小筛选范围后再导出。Only the first 3 of ${mine.total.toLocaleString('en-US')} alerts are exported: narrow the filter to export the rest.`,
    );
    const dens = json<{ counties: { regionCode: string; open: number }[] }>(
      await get('/api/alerts/density', 'al_county'),
    );
    expect(dens.counties.filter((c) => c.regionCode !== county).every((c) => c.open === 0)).toBe(true);
    const firm = mine.rows.find((a) => a.subjectKind === 'firm')!;
    const prof = json<{
      months: string[];
      signals: { signal: string; thresholds: unknown[]; values: (number | null)[] }[];
    }>(await get(`/api/alerts/profile/firm:${firm.enterpriseId}`, 'al_county'));
    expect(prof.months.at(-1)).toBe(latest);
    expect(prof.signals.find((s) => s.signal === 'electricity_index')!.thresholds.length).toBeGreaterThan(0);
  });

  it('the backtest runs in the background: an administrator starts it (audited), every reader polls it', async () => {
    type Job = {
      id: number | null;
      status: string;
      progress: number;
      current: boolean;
      result: { groundTruth: string; failing: number; recall: number | null } | null;
    };
    // nothing runs inside the GET: before a start there is no result, and the read wrote nothing
    const before = json<Job>(await get('/api/alerts/backtest', 'al_analyst'));
    expect(before).toMatchObject({ status: 'none', result: null });
    expect((await post('/api/alerts/backtest', 'al_analyst', {})).statusCode).toBe(403);
    const started = await post('/api/alerts/backtest', 'al_admin', {});
    expect(started.statusCode, started.body).toBe(202);
    const job = json<Job>(started);
    expect(['queued', 'running', 'done']).toContain(job.status);
    // a second start of the same rules on the same data is that job, not another
    expect(json<Job>(await post('/api/alerts/backtest', 'al_admin', {})).id).toBe(job.id);
    await waitForBacktests();
    const done = json<Job>(await get('/api/alerts/backtest', 'al_county'));
    expect(done).toMatchObject({ id: job.id, status: 'done', progress: 100, current: true });
    expect(done.result!.groundTruth).toBe('demo');
    expect(done.result!.failing).toBeGreaterThan(0);
    const audits = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from audit_log where action = 'alert_backtest.request' and entity_id = ${String(job.id)}`,
    );
    expect(audits[0]!.n).toBe(1);
  });
});
