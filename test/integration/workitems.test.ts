// Work items on every test database: a workflow as data moved by the people it names, deadlines in working
// days across 国庆 2025, the set-based escalation sweep (reminder → 催办 → 督办) agreeing with a direct SQL
// count, closure with its reason, history and audit in the same transaction, the unit register's API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { auditLog, workItems } from '../../src/db/schema.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PASSWORD, seedFixture, TONGXIANG, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import {
  createUnit,
  createWorkItem,
  listWorkItems,
  registerWorkflow,
  setUnitMember,
  sweepEscalations,
  transitionWorkItem,
  workItemHistory,
  type WorkActor,
} from '../../src/modules/workitems/index.ts';
import { SAMPLE_FLOW } from '../helpers/workitems.ts';
import { AppError } from '../../src/server/errors.ts';

const cst = (s: string) => new Date(`${s}+08:00`);

registerWorkflow(SAMPLE_FLOW);

describe.each(testDatabases())('work items on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const unit: Record<string, number> = {};
  const actor: Record<string, WorkActor> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    const sys = { id: null, username: 'fixture' };
    unit.coord = (
      await createUnit(d.db, sys, {
        code: 'city.coord',
        name: '企业综合服务中心',
        kind: 'coordinator',
        level: 'city',
      })
    ).id;
    unit.finance = (
      await createUnit(d.db, sys, {
        code: 'city.finance',
        name: '市财政局',
        kind: 'department',
        level: 'city',
      })
    ).id;
    unit.resources = (
      await createUnit(d.db, sys, {
        code: 'city.resources',
        name: '市自然资源和规划局',
        kind: 'department',
        level: 'city',
      })
    ).id;
    for (const [name, u] of [
      ['coord', 'coord'],
      ['finance', 'finance'],
      ['resources', 'resources'],
    ] as const) {
      const id = await createUser(
        d.db,
        { username: `fx_${name}`, displayName: name, role: 'department', password: PASSWORD },
        sys,
      );
      await setUnitMember(d.db, sys, { unitId: unit[u]!, userId: id });
      actor[name] = { id, username: `fx_${name}`, role: 'department' };
    }
    const [ent] = await queryRows<{ id: number }>(
      d.db,
      sql`select id from users where username = 'fx_enterprise'`,
    );
    actor.firm = {
      id: Number(ent!.id),
      username: 'fx_enterprise',
      role: 'enterprise',
      enterpriseId: fx.ids.nanhuTextile,
    };
    app = await testApp(d);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  it('runs one item from intake to closure across 国庆 2025, with 催办 and 督办 in working days', async () => {
    const item = await createWorkItem(
      d.db,
      actor.firm!,
      {
        kind: 'wi_test',
        subjectType: 'test',
        subjectId: 1,
        title: '厂房用地指标咨询',
        enterpriseId: fx.ids.nanhuTextile,
        regionCode: NANHU,
        clusterCode: 'textile',
      },
      cst('2025-09-26T10:00:00'),
    );
    expect(item.state).toBe('new');
    expect(item.deadlineAt).toEqual(cst('2025-09-26T11:00:00')); // first contact: one office hour

    // the firm may not dispatch; a department that is not the coordinator neither
    await expect(
      transitionWorkItem(
        d.db,
        actor.firm!,
        { id: item.id, transition: 'assign', ownerUnitId: unit.finance },
        cst('2025-09-26T10:30:00'),
      ),
    ).rejects.toMatchObject({ status: 403 });
    const assigned = await transitionWorkItem(
      d.db,
      actor.coord!,
      { id: item.id, transition: 'assign', ownerUnitId: unit.resources, reason: '涉及用地' },
      cst('2025-09-26T10:30:00'),
    );
    expect(assigned.ownerUnitId).toBe(unit.resources);
    expect(assigned.deadlineAt).toEqual(cst('2025-10-13T17:30:00')); // 9.28, 9.29, 9.30, 10.9, 10.10, 10.11, 10.13
    expect(assigned.urgeAt).toEqual(cst('2025-10-14T09:00:00'));
    expect(assigned.escalateAt).toEqual(cst('2025-10-21T09:00:00'));

    // another department cannot answer; the owner must give a reason to return it
    await expect(
      transitionWorkItem(
        d.db,
        actor.finance!,
        { id: item.id, transition: 'answer' },
        cst('2025-10-09T10:00:00'),
      ),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      transitionWorkItem(
        d.db,
        actor.resources!,
        { id: item.id, transition: 'return', reason: ' ' },
        cst('2025-10-09T10:00:00'),
      ),
    ).rejects.toBeInstanceOf(AppError);

    // the sweep during the holiday changes nothing; then reminder, 催办, 督办 as the working days pass
    expect((await sweepEscalations(d.db, cst('2025-10-05T12:00:00'), undefined, 'wi_test')).raised).toBe(0);
    expect(
      (await sweepEscalations(d.db, cst('2025-10-13T14:00:00'), undefined, 'wi_test')).byLevel.due_soon,
    ).toBe(1);
    expect(
      (await sweepEscalations(d.db, cst('2025-10-14T09:00:00'), undefined, 'wi_test')).byLevel.urged,
    ).toBe(1);
    expect((await sweepEscalations(d.db, cst('2025-10-20T17:00:00'), undefined, 'wi_test')).raised).toBe(0);
    expect(
      (await sweepEscalations(d.db, cst('2025-10-21T09:00:00'), undefined, 'wi_test')).byLevel.escalated,
    ).toBe(1);
    expect((await sweepEscalations(d.db, cst('2025-10-22T09:00:00'), undefined, 'wi_test')).raised).toBe(0);

    const answered = await transitionWorkItem(
      d.db,
      actor.resources!,
      {
        id: item.id,
        transition: 'answer',
        reason: '已答复用地指标办理路径',
        expectedVersion: assigned.version,
      },
      cst('2025-10-22T10:00:00'),
    );
    expect(answered.timed).toBe(false);
    expect(answered.everOverdue).toBe(true);
    // closing needs a reason; the firm closes its own item
    await expect(
      transitionWorkItem(d.db, actor.firm!, { id: item.id, transition: 'close' }, cst('2025-10-23T10:00:00')),
    ).rejects.toMatchObject({ status: 400 });
    const closed = await transitionWorkItem(
      d.db,
      actor.firm!,
      { id: item.id, transition: 'close', reason: '满意' },
      cst('2025-10-23T10:00:00'),
    );
    expect(closed.state).toBe('closed');
    expect(closed.closeReason).toBe('满意');
    expect(closed.closedAt).toEqual(cst('2025-10-23T10:00:00'));
    await expect(
      transitionWorkItem(d.db, actor.coord!, {
        id: item.id,
        transition: 'assign',
        ownerUnitId: unit.finance,
      }),
    ).rejects.toMatchObject({ status: 409 });

    const history = await workItemHistory(d.db, item.id);
    expect(history.map((e) => (e.type === 'level' ? `level:${e.level}` : (e.transition ?? e.type)))).toEqual([
      'created',
      'assign',
      'level:1',
      'level:3',
      'level:4',
      'answer',
      'close',
    ]);
    expect(history[1]!.toUnitName).toBe('市自然资源和规划局');
    const audits = await d.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'work_item'), eq(auditLog.entityId, String(item.id))));
    expect(audits.map((a) => a.action)).toEqual([
      'workitem.create',
      'workitem.assign',
      'workitem.answer',
      'workitem.close',
    ]);
  });

  it('sweeps many items in one statement and agrees with a direct count', async () => {
    // 3,000 items assigned over 2026 working days, each with a 3-working-day deadline
    const base = await createWorkItem(
      d.db,
      actor.coord!,
      { kind: 'wi_test', subjectType: 'bulk', subjectId: 0, title: 'bulk 0', regionCode: TONGXIANG },
      cst('2026-02-10T16:00:00'),
    );
    await transitionWorkItem(
      d.db,
      actor.coord!,
      { id: base.id, transition: 'assign', ownerUnitId: unit.finance, deadline: { workingDays: 3 } },
      cst('2026-02-10T16:00:00'),
    );
    const [tpl] = await d.db.select().from(workItems).where(eq(workItems.id, base.id));
    // copy the template's clock at 1-hour offsets (set-based insert, no parameter per row)
    await d.db.execute(sql`
      insert into work_items (kind, subject_type, subject_id, title, state, owner_unit_id, region_code, timed, level,
                              clock_started_at, deadline_at, remind_at, urge_at, escalate_at)
      select 'wi_test', 'bulk', g::text, 'bulk ' || g, 'assigned', ${unit.finance}, ${TONGXIANG}, true, 0,
             ${tpl!.clockStartedAt}::timestamptz + g * interval '1 hour', ${tpl!.deadlineAt}::timestamptz + g * interval '1 hour',
             ${tpl!.remindAt}::timestamptz + g * interval '1 hour', ${tpl!.urgeAt}::timestamptz + g * interval '1 hour',
             ${tpl!.escalateAt}::timestamptz + g * interval '1 hour'
        from generate_series(1, 3000) g`);
    const now = cst('2026-03-20T12:00:00');
    const expected = await queryRows<{ lvl: number; n: string | number }>(
      d.db,
      sql`select case when ${now.toISOString()}::timestamptz >= escalate_at then 4
                      when ${now.toISOString()}::timestamptz >= urge_at then 3
                      when ${now.toISOString()}::timestamptz > deadline_at then 2
                      when ${now.toISOString()}::timestamptz >= remind_at then 1 else 0 end as lvl, count(*) as n
            from work_items where subject_type = 'bulk' and timed group by 1`,
    );
    const r = await sweepEscalations(d.db, now, undefined, 'wi_test');
    for (const e of expected)
      if (Number(e.lvl) > 0)
        expect(
          r.byLevel[(['normal', 'due_soon', 'overdue', 'urged', 'escalated'] as const)[Number(e.lvl)]!],
        ).toBe(Number(e.n));
    const [{ n }] = (await queryRows<{ n: string | number }>(
      d.db,
      sql`select count(*) as n from work_item_events where type = 'level' and at = ${now.toISOString()}::timestamptz`,
    )) as [{ n: number }];
    expect(Number(n)).toBe(r.raised);
    expect(r.raised).toBeGreaterThan(500);
    expect(expected.filter((e) => Number(e.lvl) > 0).length).toBe(4); // every level is represented
    // a second sweep at the same instant raises nothing
    expect((await sweepEscalations(d.db, now, undefined, 'wi_test')).raised).toBe(0);
    // the base item's deadline on 2026-02-13 (before 春节): 催办 on the 调休 Saturday 2.14, 督办 on 2.28
    const [b] = await d.db.select().from(workItems).where(eq(workItems.id, base.id));
    expect(b!.urgeAt).toEqual(cst('2026-02-14T09:00:00'));
    expect(b!.escalateAt).toEqual(cst('2026-02-28T09:00:00'));
    expect(b!.level).toBe(4);
  });

  it('lists by scope: a county sees its county, a unit its own items wherever they are', async () => {
    const nanhu = await listWorkItems(d.db, {
      kind: 'wi_test',
      scope: { kind: 'region', regionCode: NANHU },
    });
    expect(nanhu.items.every((i) => i.regionCode === NANHU)).toBe(true);
    expect(nanhu.total).toBe(1);
    const firm = await listWorkItems(d.db, {
      kind: 'wi_test',
      scope: { kind: 'enterprise', enterpriseId: fx.ids.tongxiangTextile },
    });
    expect(firm.total).toBe(0);
    const inbox = await listWorkItems(d.db, {
      kind: 'wi_test',
      scope: { kind: 'none' },
      orUnitIds: [unit.finance!],
      pageSize: 5,
    });
    expect(inbox.total).toBe(3001);
    expect(inbox.items[0]!.ownerUnitName).toBe('市财政局');
    const none = await listWorkItems(d.db, { kind: 'wi_test', scope: { kind: 'none' } });
    expect(none.total).toBe(0);
    const escalated = await listWorkItems(d.db, {
      kind: 'wi_test',
      scope: { kind: 'all' },
      minLevel: 4,
      open: true,
    });
    expect(escalated.total).toBeGreaterThan(0);
  });

  it('serves the unit register and the calendar to those the policy allows, and audits a manual sweep', async () => {
    const coord = await loginCookie(app, 'fx_coord');
    const firm = await loginCookie(app, 'fx_enterprise');
    const admin = await loginCookie(app, 'fx_admin');
    const units = await app.inject({
      method: 'GET',
      url: '/api/workitems/units',
      headers: { cookie: coord },
    });
    expect(units.statusCode).toBe(200);
    const list = json<{ items: { code: string; members: { username: string }[] }[] }>(units).items;
    expect(list.find((u) => u.code === 'city.finance')!.members.map((m) => m.username)).toEqual([
      'fx_finance',
    ]);
    expect(
      (await app.inject({ method: 'GET', url: '/api/workitems/units', headers: { cookie: firm } }))
        .statusCode,
    ).toBe(403);
    const cal = json<{ years: { year: number }[] }>(
      await app.inject({ method: 'GET', url: '/api/workitems/calendar', headers: { cookie: firm } }),
    );
    expect(cal.years.map((y) => y.year)).toEqual([2025, 2026]);
    const created = await app.inject({
      method: 'POST',
      url: '/api/workitems/units',
      headers: { cookie: admin },
      payload: { code: 'city.supervision', name: '市政府督查室', kind: 'supervisor', level: 'city' },
    });
    expect(created.statusCode).toBe(201);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/workitems/units',
          headers: { cookie: coord },
          payload: { code: 'x', name: 'x', kind: 'department', level: 'city' },
        })
      ).statusCode,
    ).toBe(403);
    const id = json<{ id: number }>(created).id;
    const member = await app.inject({
      method: 'POST',
      url: `/api/workitems/units/${id}/members`,
      headers: { cookie: admin },
      payload: { userId: actor.coord!.id },
    });
    expect(member.statusCode).toBe(200);
    const sweep = await app.inject({
      method: 'POST',
      url: '/api/workitems/sweep',
      headers: { cookie: admin },
    });
    expect(sweep.statusCode).toBe(200);
    const audits = await d.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entity, 'unit'));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['unit.create', 'unit.member.add']));
    // the bulk items swept in March 2026 have climbed further by today: the manual sweep raised and audited them
    expect(json<{ raised: number }>(sweep).raised).toBeGreaterThan(0);
    const [swept] = await d.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'workitem.sweep'), eq(auditLog.username, 'fx_admin')));
    expect(swept).toBeDefined();
    expect(
      (await app.inject({ method: 'POST', url: '/api/workitems/sweep', headers: { cookie: coord } }))
        .statusCode,
    ).toBe(403);
  });
});
