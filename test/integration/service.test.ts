// Enterprise requests (issue 18) on every test database: one request end to end (filed by the firm,
// duplicate shown, dispatched, contested, reassigned, escalated across working days, answered, rated 不满意
// and redone, closed 满意) with each actor seeing only what it should; the statistics on generated demo data
// against direct SQL counts; every write route audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { auditLog, users } from '../../src/db/schema.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { PASSWORD, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { scopeOf } from '../../src/domain/policy/index.ts';
import type { AuthedUser } from '../../src/server/auth-context.ts';
import { ensureServiceUnits } from '../../src/modules/service/units.ts';
import { generateDemoRequests, linkDemoUnitMembers } from '../../src/modules/service/demo.ts';
import { actOn } from '../../src/modules/service/service.ts';
import { sweepEscalations, unitByCode } from '../../src/modules/workitems/index.ts';
import type { RequestDetail, Stats } from '../../src/modules/service/schemas.ts';

const cst = (s: string) => new Date(`${s}+08:00`);

describe.each(testDatabases())('enterprise requests on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookie: Record<string, string> = {};
  const authed: Record<string, AuthedUser> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    const sys = { id: null, username: 'fixture' };
    for (const u of ['service_center', 'supervision', 'dept_economy', 'dept_resources'])
      await createUser(d.db, { username: u, displayName: u, role: 'department', password: PASSWORD }, sys);
    await ensureServiceUnits(d.db, sys);
    await linkDemoUnitMembers(d.db);
    // (the fixture's county officers and agency now act for their county's office and cluster's agency)
    app = await testApp(d);
    for (const u of [
      'service_center',
      'supervision',
      'dept_economy',
      'dept_resources',
      'fx_enterprise',
      'fx_tongxiang',
      'fx_nanhu',
      'fx_analyst',
      'fx_auditor',
    ]) {
      cookie[u] = await loginCookie(app, u);
      const [row] = await d.db.select().from(users).where(eq(users.username, u));
      const base = {
        id: row!.id,
        username: u,
        displayName: u,
        role: row!.role as AuthedUser['role'],
        regionCode: row!.regionCode,
        regionName: null,
        clusterCode: row!.clusterCode,
        enterpriseId: row!.enterpriseId,
      };
      authed[u] = { ...base, scope: scopeOf(base), sessionTokenHash: '' };
    }
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const get = (url: string, who: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: cookie[who]! } });
  const post = (url: string, who: string, payload: unknown) =>
    app.inject({ method: 'POST', url, headers: { cookie: cookie[who]! }, payload: payload as never });

  it('runs one request end to end, each actor seeing only what it should', async () => {
    const filed = await post('/api/service/requests', 'fx_enterprise', {
      nature: 'help',
      category: 'construction',
      title: '新厂房用电增容',
      description: '新建厂房需要用电增容，供电公司答复排期过长，请协调。',
      tags: ['用电增容'],
    });
    expect(filed.statusCode).toBe(201);
    const req = json<RequestDetail>(filed).request;
    expect(req.clusterCode).toBe('textile'); // prefilled from the registry
    expect(req.item.stateZh).toBe('待分派');
    // a similar text is shown as a possible duplicate before saving; the firm adds to it instead
    const dup = json<{ items: { id: number }[] }>(
      await get(
        `/api/service/requests/duplicates?title=${encodeURIComponent('用电增容申请')}&description=${encodeURIComponent('厂房用电增容排期太长，请协调供电公司')}`,
        'fx_enterprise',
      ),
    );
    expect(dup.items.map((x) => x.id)).toEqual([req.id]);
    expect(
      (
        await post(`/api/service/requests/${req.id}/supplements`, 'fx_enterprise', {
          text: '变压器容量需增至2000千伏安',
        })
      ).statusCode,
    ).toBe(200);

    // who sees it: the firm, its county, the centre; not another county, nor a department it is not assigned to
    expect((await get(`/api/service/requests/${req.id}`, 'fx_nanhu')).statusCode).toBe(200);
    expect((await get(`/api/service/requests/${req.id}`, 'fx_tongxiang')).statusCode).toBe(404);
    expect((await get(`/api/service/requests/${req.id}`, 'dept_resources')).statusCode).toBe(404);
    expect((await get('/api/service/requests', 'fx_auditor')).statusCode).toBe(403);
    const pool = json<RequestDetail>(await get(`/api/service/requests/${req.id}`, 'service_center'));
    expect(pool.actions.map((a) => a.name)).toEqual(
      expect.arrayContaining(['assign', 'answer_direct', 'merge']),
    );
    const resources = (await unitByCode(d.db, 'city.resources'))!;
    expect(pool.suggestedUnit?.unitId).toBe(resources.id); // 项目建设协调 → 自然资源和规划局
    // the firm cannot dispatch its own request
    expect(
      (
        await post(`/api/service/requests/${req.id}/actions`, 'fx_enterprise', {
          transition: 'assign',
          ownerUnitId: resources.id,
        })
      ).statusCode,
    ).toBe(403);

    // the centre routes it to the wrong department on Fri 2025-09-26; it contests, the centre reassigns
    const economy = (await unitByCode(d.db, 'city.economy'))!;
    await actOn(
      d.db,
      authed.service_center!,
      req.id,
      { transition: 'assign', ownerUnitId: economy.id },
      null,
      cst('2025-09-26T10:00:00'),
    );
    expect((await get(`/api/service/requests/${req.id}`, 'dept_economy')).statusCode).toBe(200);
    await actOn(
      d.db,
      authed.dept_economy!,
      req.id,
      { transition: 'contest', reason: '用电增容不属本局职责' },
      null,
      cst('2025-09-26T14:00:00'),
    );
    await actOn(
      d.db,
      authed.service_center!,
      req.id,
      { transition: 'reassign', ownerUnitId: resources.id, reason: '改派自然资源和规划局' },
      null,
      cst('2025-09-26T15:00:00'),
    );
    expect((await get(`/api/service/requests/${req.id}`, 'dept_economy')).statusCode).toBe(404);
    await actOn(
      d.db,
      authed.dept_resources!,
      req.id,
      { transition: 'accept' },
      null,
      cst('2025-09-26T15:30:00'),
    );
    let detail = json<RequestDetail>(await get(`/api/service/requests/${req.id}`, 'dept_resources'));
    // 7 working days from the reassignment across 国庆: 9.28 (Sun), 9.29, 9.30, 10.9, 10.10, 10.11 (Sat), 10.13
    expect(detail.request.item.deadlineAt).toBe(cst('2025-10-13T17:30:00').toISOString());

    // the deadline passes: 催办 the next working day, 督办 five working days later
    await sweepEscalations(d.db, cst('2025-10-14T10:00:00'));
    detail = json<RequestDetail>(await get(`/api/service/requests/${req.id}`, 'dept_resources'));
    expect(detail.request.item.level).toBe('urged');
    await sweepEscalations(d.db, cst('2025-10-21T10:00:00'));
    detail = json<RequestDetail>(await get(`/api/service/requests/${req.id}`, 'supervision'));
    expect(detail.request.item.level).toBe('escalated');
    expect(detail.request.item.sla).toBe('purple');

    await actOn(
      d.db,
      authed.dept_resources!,
      req.id,
      { transition: 'answer', reason: '已协调供电公司，10月底前完成增容' },
      null,
      cst('2025-10-22T10:00:00'),
    );
    // the firm rates it 不满意 (subjective): it reopens (重办)
    await actOn(
      d.db,
      authed.fx_enterprise!,
      req.id,
      { transition: 'rate', rating: 'unsatisfied', subjective: true, reason: '时间太晚' },
      null,
      cst('2025-10-23T10:00:00'),
    );
    detail = json<RequestDetail>(await get(`/api/service/requests/${req.id}`, 'fx_enterprise'));
    expect(detail.request.item.state).toBe('handling');
    expect(detail.request.reopenCount).toBe(1);
    await actOn(
      d.db,
      authed.dept_resources!,
      req.id,
      { transition: 'answer', reason: '已提前至10月28日完成增容' },
      null,
      cst('2025-10-27T10:00:00'),
    );
    await actOn(
      d.db,
      authed.fx_enterprise!,
      req.id,
      { transition: 'rate', rating: 'satisfied' },
      null,
      cst('2025-10-28T10:00:00'),
    );
    detail = json<RequestDetail>(await get(`/api/service/requests/${req.id}`, 'fx_enterprise'));
    expect(detail.request.item.state).toBe('closed');
    expect(detail.request.rating).toBe('satisfied');
    expect(detail.request.answeredOnTime).toBe(true);
    // the firm sees every step of its own request (in the order recorded: filed today, then the simulated days)
    expect([...detail.history].sort((x, y) => x.id - y.id).map((e) => e.transition ?? e.type)).toEqual([
      'created',
      'note',
      'assign',
      'contest',
      'reassign',
      'accept',
      'level',
      'level',
      'answer',
      'reopen',
      'answer',
      'close',
    ]);
    // and nobody else's
    const other = await post('/api/service/requests', 'fx_nanhu', {
      enterpriseId: fx.ids.nanhuOther,
      nature: 'consult',
      category: 'policy',
      channel: 'hotline',
      title: '技改补贴申报',
      description: '咨询技术改造补助的申报条件。',
    });
    expect(other.statusCode).toBe(201);
    const mine = json<{ items: { id: number }[] }>(await get('/api/service/requests', 'fx_enterprise'));
    expect(mine.items.map((x) => x.id)).toEqual([req.id]);
    expect(
      (await get(`/api/service/requests/${json<RequestDetail>(other).request.id}`, 'fx_enterprise'))
        .statusCode,
    ).toBe(404);
    // an officer cannot file for a firm of another county
    expect(
      (
        await post('/api/service/requests', 'fx_tongxiang', {
          enterpriseId: fx.ids.nanhuOther,
          nature: 'consult',
          category: 'policy',
          channel: 'visit',
          title: '测试',
          description: '跨县代填应被拒绝。',
        })
      ).statusCode,
    ).toBe(404);

    const audits = await d.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entity, 'work_item'));
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'workitem.create',
        'workitem.note',
        'workitem.assign',
        'workitem.contest',
        'workitem.reassign',
        'workitem.accept',
        'workitem.answer',
        'workitem.reopen',
        'workitem.close',
      ]),
    );
  });

  it('bulk-assigns, extends and merges through the API with audit rows', async () => {
    const mk = async (title: string) =>
      json<RequestDetail>(
        await post('/api/service/requests', 'service_center', {
          enterpriseId: fx.ids.nanhuTextile,
          nature: 'help',
          category: 'financing',
          channel: 'hotline',
          title,
          description: `${title}，请协调解决，企业资金周转困难。`,
        }),
      ).request.id;
    const a = await mk('技改贷款授信不足');
    const b = await mk('应收账款融资需求');
    const finance = (await unitByCode(d.db, 'city.finance'))!;
    const bulk = await post('/api/service/requests/bulk-assign', 'service_center', {
      ids: [a, b],
      ownerUnitId: finance.id,
    });
    expect(json<{ assigned: number[] }>(bulk).assigned).toEqual([a, b]);
    expect(
      (await post('/api/service/requests/bulk-assign', 'dept_economy', { ids: [a], ownerUnitId: finance.id }))
        .statusCode,
    ).toBe(200); // a department may assign by role, but the machine refuses
    const merged = await post(`/api/service/requests/${b}/actions`, 'service_center', {
      transition: 'merge',
      mergeInto: a,
      reason: '同一融资需求',
    });
    expect(merged.statusCode).toBe(200);
    expect(json<RequestDetail>(merged).request.item.state).toBe('merged');
    // extension: the centre acts as coordinator on an accepted request
    await d.db.execute(
      sql`insert into unit_members (unit_id, user_id) select ${finance.id}, id from users where username = 'dept_economy'`,
    );
    expect(
      (await post(`/api/service/requests/${a}/actions`, 'dept_economy', { transition: 'accept' })).statusCode,
    ).toBe(200);
    const ext = await post(`/api/service/requests/${a}/extension`, 'dept_economy', {
      workingDays: 10,
      reason: '需银行总行审批',
    });
    expect(ext.statusCode).toBe(200);
    expect(json<RequestDetail>(ext).request.complex).toBe(true);
    for (const action of ['workitem.merge', 'workitem.deadline', 'workitem.accept'])
      expect((await d.db.select().from(auditLog).where(eq(auditLog.action, action))).length).toBeGreaterThan(
        0,
      );
    const xlsx = await get('/api/service/requests/export.xlsx', 'service_center');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('statistics on generated requests agree with direct SQL counts', async () => {
    const summary = await generateDemoRequests(d.db, 7, {
      months: 3,
      perMonth: 12,
      now: cst('2026-11-20T12:00:00'),
    });
    expect(summary.requests).toBeGreaterThan(25);
    const stats = json<Stats>(await get('/api/service/stats?from=2026-08&to=2026-11&by=month', 'fx_analyst'));
    const direct = await queryRows<{
      month: string;
      received: number;
      direct: number;
      closed: number;
      on_time: number;
      rated: number;
      satisfied: number;
    }>(
      d.db,
      sql`select to_char(r.received_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month,
                 count(*)::int as received,
                 sum(case when r.direct_answer then 1 else 0 end)::int as direct,
                 sum(case when w.closed_at is not null and w.state = 'closed' then 1 else 0 end)::int as closed,
                 sum(case when w.state = 'closed' and r.answered_at <= coalesce(r.answer_due_at, r.answered_at) then 1 else 0 end)::int as on_time,
                 sum(case when w.state = 'closed' and r.rating is not null then 1 else 0 end)::int as rated,
                 sum(case when w.state = 'closed' and r.rating <> 'unsatisfied' then 1 else 0 end)::int as satisfied
            from service_requests r join work_items w on w.kind = 'service_request' and w.subject_id = cast(r.id as text)
           where r.merged_into is null and w.state <> 'withdrawn' and w.state <> 'merged'
             and r.received_at >= '2026-08-01T00:00:00+08:00' and r.received_at < '2026-12-01T00:00:00+08:00'
           group by 1 order by 1`,
    );
    expect(
      stats.rows.map((r) => [r.key, r.received, r.direct, r.closed, r.closedOnTime, r.rated, r.satisfied]),
    ).toEqual(direct.map((r) => [r.month, r.received, r.direct, r.closed, r.on_time, r.rated, r.satisfied]));
    expect(stats.total.received).toBe(direct.reduce((s, r) => s + r.received, 0));
    const byChannel = json<Stats>(
      await get('/api/service/stats?from=2026-08&to=2026-11&by=channel', 'fx_analyst'),
    );
    expect(byChannel.rows.reduce((s, r) => s + r.received, 0)).toBe(stats.total.received);
    const scores = await get('/api/service/scores?from=2026-08&to=2026-11', 'service_center');
    expect(scores.statusCode).toBe(200);
    expect((await get('/api/service/stats', 'fx_enterprise')).statusCode).toBe(403);
    const [{ n }] = (await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from audit_log where action = 'workitem.assign'`,
    )) as [{ n: number }];
    expect(n).toBeGreaterThan(10);
  });

  it('exports the requests for a period read as the statistics read it, and refuses a period it cannot read with a 400 naming the field', async () => {
    const xlsx = await get('/api/service/requests/export.xlsx?from=2026-08&to=2026-11', 'service_center');
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const texts = wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String));
    expect(texts).toContain('统计期 2026-08 至 2026-11');
    // (free text was taken and compared as text: "x" exported a period "x 至 2026-11")
    for (const [field, query] of [
      ['from', 'from=x'],
      ['from', 'from=2026-08-01&to=2026-11'],
      ['to', 'from=2026-08&to=2026-1'],
      ['to', 'to=2026%2011'],
    ] as const) {
      const res = await get(`/api/service/requests/export.xlsx?${query}`, 'service_center');
      expect(res.statusCode, `${query} ${res.body}`).toBe(400);
      const body = json<{ detailZh: string; errors: { field: string; messageZh: string }[] }>(res);
      expect(body.detailZh).toMatch(/^请求内容有误/);
      expect(body.errors.map((e) => e.field)).toEqual([field]);
      expect(body.errors[0]!.messageZh.startsWith(`字段 ${field} 不符合要求：`)).toBe(true);
    }
  });
});
