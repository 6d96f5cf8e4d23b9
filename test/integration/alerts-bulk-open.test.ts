// Current alerts open their work items and enterprise requests set-based (issue 13, "province scale": a
// two-row monthly file made 220,000 not-reported alerts current, and one alert at a time — ~6 round trips
// for its item, ~10 and a max() over the year's requests for its request — ran for tens of minutes inside
// the import). On every test database: the rows are those the per-alert path wrote (written out field by
// field below from what it did), a second run files nothing, and no statement is added with the alerts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../../src/db/client.ts';
import {
  deadlineFor,
  escalationMarks,
  isTimed,
  levelAt,
  levelIndex,
  type WorkflowDefinition,
} from '../../src/domain/workitems/index.ts';
import { SERVICE_WORKFLOW } from '../../src/domain/service/index.ts';
import { openServiceRequests, openWorkItems } from '../../src/modules/alerts/current-alerts.ts';
import { ALERT_WORKFLOW } from '../../src/modules/alerts/workflow.ts';
import { fileRequestsForAlerts } from '../../src/modules/service/index.ts';
import { workCalendar } from '../../src/modules/workitems/index.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, seedFixture, TONGXIANG, type Fixture } from '../helpers/fixtures.ts';
import { cityRuleSet } from '../helpers/alert-rules.ts';

const actor = { id: null, username: 'fixture' };
const CURRENT_FROM = '2026-01-01';
const NOT_REPORTED = cityRuleSet.rules.find((r) => r.id === 'not-reported-2')!;
const MU_DROP = cityRuleSet.rules.find((r) => r.level === 'red' && r.subject === 'firm')!;

/** The clock the per-alert path gave an item entering its workflow's first state (service.ts clockFor). */
function expectedClock(def: WorkflowDefinition, start: Date, deadline: Date, now: Date) {
  const marks = escalationMarks(start, deadline, workCalendar(), def.escalation);
  const timed = isTimed(def, def.initial);
  return {
    timed,
    level: timed ? levelIndex(levelAt(marks, now)) : 0,
    clock_started_at: start.toISOString(),
    deadline_at: marks.deadlineAt.toISOString(),
    remind_at: marks.remindAt.toISOString(),
    urge_at: marks.urgeAt.toISOString(),
    escalate_at: marks.escalateAt.toISOString(),
  };
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

type Row = Record<string, unknown> & { id: number };

async function itemsOf(db: Db, kind: string): Promise<(Row & { subject_id: string; updated_at: string })[]> {
  const rows = await queryRows<Row & { subject_id: string }>(
    db,
    sql`select id::int as id, kind, subject_type, subject_id, title, state, owner_unit_id::int as owner_unit_id,
          owner_user_id, enterprise_id::int as enterprise_id, region_code, cluster_code, data, created_by,
          created_at, updated_at, timed, level, clock_started_at, deadline_at, remind_at, urge_at, escalate_at,
          ever_overdue, closed_at, close_reason, version
        from work_items where kind = ${kind} order by id`,
  );
  return rows.map((r) => ({
    ...r,
    created_at: iso(r.created_at),
    clock_started_at: iso(r.clock_started_at),
    deadline_at: iso(r.deadline_at),
    remind_at: iso(r.remind_at),
    urge_at: iso(r.urge_at),
    escalate_at: iso(r.escalate_at),
    updated_at: iso(r.updated_at)!,
  }));
}

async function eventsOf(db: Db, ids: number[]): Promise<Row[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select id::int as id, work_item_id::int as work_item_id, at, type, transition, from_state, to_state,
          from_unit_id, to_unit_id::int as to_unit_id, level, actor_user_id, actor_username, reason, data
        from work_item_events where work_item_id = any(${`{${ids.join(',')}}`}::bigint[]) order by id`,
  );
  return rows.map((r) => ({ ...r, at: iso(r.at) }));
}

async function auditsOf(db: Db, ids: number[]): Promise<Row[]> {
  return queryRows<Row>(
    db,
    sql`select id::int as id, user_id, username, action, entity, entity_id, before, after, ip from audit_log
        where entity = 'work_item' and entity_id = any(${`{${ids.join(',')}}`}::text[]) order by id`,
  );
}

const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

describe.each(testDatabases())('current alerts open their items and requests set-based ($kind)', (t) => {
  let d: Database;
  let fx: Fixture;
  const unitIds: Record<string, number> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
  }, 120_000);
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  const insertAlert = async (a: {
    kind: 'firm' | 'cluster';
    key: string;
    enterpriseId: number | null;
    regionCode: string | null;
    clusterCode: string | null;
    ruleId: string;
    level: 'red' | 'orange';
    createdAt: string;
  }) => {
    const [row] = await queryRows<{ id: number }>(
      d.db,
      sql`insert into alerts (subject_kind, subject_key, enterprise_id, cluster_code, region_code, signal, rule_id,
            level, rule_set_version, first_month, last_month, evidence, created_at)
          values (${a.kind}, ${a.key}, ${a.enterpriseId}, ${a.clusterCode}, ${a.regionCode}, ${a.ruleId},
            ${a.ruleId}, ${a.level}, 1, '2026-01-01', '2026-02-01',
            ${JSON.stringify([{ month: '2026-02', values: { months_not_reported: 2 } }])}::jsonb, ${a.createdAt})
          returning id::int as id`,
    );
    return row!.id;
  };

  it('writes the items, events, audit rows and links the per-alert path wrote', async () => {
    const alerts = [
      {
        kind: 'firm' as const,
        key: `firm:${fx.ids.nanhuTextile}`,
        enterpriseId: fx.ids.nanhuTextile,
        regionCode: NANHU,
        clusterCode: 'textile',
        ruleId: NOT_REPORTED.id,
        level: 'orange' as const,
        createdAt: '2026-02-03T01:30:00.000Z',
        name: '嘉兴市南湖示例纺织有限公司',
        rule: NOT_REPORTED,
      },
      {
        kind: 'firm' as const,
        key: `firm:${fx.ids.tongxiangTextile}`,
        enterpriseId: fx.ids.tongxiangTextile,
        regionCode: TONGXIANG,
        clusterCode: 'textile',
        ruleId: MU_DROP.id,
        level: 'red' as const,
        createdAt: '2026-02-04T08:15:00.000Z',
        name: '桐乡市示例化纤股份有限公司',
        rule: MU_DROP,
      },
      {
        kind: 'cluster' as const,
        key: 'cluster:textile',
        enterpriseId: null,
        regionCode: null,
        clusterCode: 'textile',
        ruleId: NOT_REPORTED.id,
        level: 'orange' as const,
        createdAt: '2026-02-05T02:00:00.000Z',
        name: '',
        rule: NOT_REPORTED,
      },
    ];
    const ids: number[] = [];
    for (const a of alerts) ids.push(await insertAlert(a));
    const [textile] = await queryRows<{ name: string }>(
      d.db,
      sql`select name from clusters where code = 'textile'`,
    );
    alerts[2]!.name = textile!.name;

    const before = Date.now();
    const opened = await d.db.transaction((tx) => openWorkItems(tx as Db, cityRuleSet, actor, CURRENT_FROM));
    const after = Date.now();
    expect(opened).toBe(3);
    for (const u of await queryRows<{ id: number; code: string }>(
      d.db,
      sql`select id::int as id, code from units where code like 'county.%' or code like 'agency.%'`,
    ))
      unitIds[u.code] = u.id;

    const items = await itemsOf(d.db, 'alert');
    expect(items.map((i) => i.subject_id)).toEqual(ids.map(String));
    expect(ascending(items.map((i) => i.id as number))).toBe(true);
    const expected = alerts.map((a, i) => {
      // the instant the item was written (the per-alert path took one per item): its level is taken then
      const now = new Date(items[i]!.updated_at!);
      expect(now.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(now.getTime()).toBeLessThanOrEqual(after + 1000);
      const start = new Date(a.createdAt);
      const deadline = workCalendar().deadlineAfterWorkingDays(start, cityRuleSet.deadlines[a.level]);
      return {
        id: items[i]!.id,
        kind: 'alert',
        subject_type: 'alert',
        subject_id: String(ids[i]),
        title: `${a.name}：${a.rule.nameZh}`,
        state: ALERT_WORKFLOW.initial,
        owner_unit_id: unitIds[a.kind === 'cluster' ? `agency.${a.clusterCode}` : `county.${a.regionCode}`],
        owner_user_id: null,
        enterprise_id: a.enterpriseId,
        region_code: a.regionCode,
        cluster_code: a.clusterCode,
        data: { level: a.level },
        created_by: null,
        created_at: start.toISOString(),
        updated_at: now.toISOString(),
        ...expectedClock(ALERT_WORKFLOW, start, deadline, now),
        ever_overdue: false,
        closed_at: null,
        close_reason: null,
        version: 1,
      };
    });
    expect(items).toEqual(expected);
    expect(expected.every((e) => e.owner_unit_id != null)).toBe(true);

    const itemIds = items.map((i) => i.id as number);
    const events = await eventsOf(d.db, itemIds);
    expect(ascending(events.map((e) => e.id as number))).toBe(true);
    expect(events.map(({ id: _, ...e }) => e)).toEqual(
      expected.map((e) => ({
        work_item_id: e.id,
        at: e.created_at,
        type: 'created',
        transition: null,
        from_state: null,
        to_state: 'open',
        from_unit_id: null,
        to_unit_id: e.owner_unit_id,
        level: null,
        actor_user_id: null,
        actor_username: 'fixture',
        reason: null,
        data: { deadlineAt: e.deadline_at },
      })),
    );
    const audits = await auditsOf(d.db, itemIds);
    expect(ascending(audits.map((a) => a.id as number))).toBe(true);
    expect(audits.map(({ id: _, ...a }) => a)).toEqual(
      expected.map((e) => ({
        user_id: null,
        username: 'fixture',
        action: 'workitem.create',
        entity: 'work_item',
        entity_id: String(e.id),
        before: null,
        after: {
          kind: 'alert',
          subject: `alert:${e.subject_id}`,
          state: 'open',
          ownerUnitId: e.owner_unit_id,
        },
        ip: null,
      })),
    );
    const links = await queryRows<{ id: number; w: number; deadline: string }>(
      d.db,
      sql`select id::int as id, work_item_id::int as w, deadline_at as deadline from alerts
          where id = any(${`{${ids.join(',')}}`}::bigint[]) order by id`,
    );
    expect(links.map((l) => ({ ...l, deadline: iso(l.deadline) }))).toEqual(
      expected.map((e, i) => ({ id: ids[i], w: e.id, deadline: e.deadline_at })),
    );
    // nothing left to open
    expect(await d.db.transaction((tx) => openWorkItems(tx as Db, cityRuleSet, actor, CURRENT_FROM))).toBe(0);
  });

  it('files the requests the per-alert intake filed, numbered in the alerts order, and never twice', async () => {
    const alertIds = (
      await queryRows<{ id: number }>(
        d.db,
        sql`select id::int as id from alerts where subject_kind = 'firm' order by id`,
      )
    ).map((r) => r.id);
    // a request of this year already filed by hand: the alerts' codes number after the highest
    await d.db.execute(sql`insert into service_requests (code, enterprise_id, region_code, nature, category,
        channel, title, description, received_at, source)
      values ('SQ-2026-000041', ${fx.ids.nanhuOther}, ${NANHU}, 'help', 'policy', 'hotline', '手工', '手工',
        '2026-01-02T00:00:00Z', 'manual')`);
    const now = new Date('2026-02-09T03:00:00.000Z');
    const inputs = [
      {
        enterpriseId: fx.ids.nanhuTextile,
        alertId: alertIds[0]!,
        level: 'orange' as const,
        title: '  嘉兴市南湖示例纺织有限公司：连续两个月未报送  ',
        description: '风险预警 说明',
        tags: ['预警'],
      },
      {
        enterpriseId: fx.ids.tongxiangTextile,
        alertId: alertIds[1]!,
        level: 'red' as const,
        title: '桐乡市示例化纤股份有限公司：' + '长'.repeat(120),
        description: '   ',
      },
    ];
    const made = await fileRequestsForAlerts(
      d.db,
      inputs,
      { id: null, username: 'fixture', role: 'system' },
      now,
    );
    expect(made.map((m) => ({ code: m.code, created: m.created }))).toEqual([
      { code: 'SQ-2026-000042', created: true },
      { code: 'SQ-2026-000043', created: true },
    ]);
    const requests = await queryRows<Record<string, unknown>>(
      d.db,
      sql`select id::int as id, code, enterprise_id::int as enterprise_id, region_code, cluster_code,
            chain_node_id, nature, category, chain_common, level, complex, channel, title, description,
            contact_name, contact_phone, tags, attachments, alert_id::int as alert_id, received_at,
            created_by, source, created_at, first_assigned_at, answer_due_at, rating
          from service_requests where channel = 'alert' order by id`,
    );
    expect(
      requests.map((r) => ({ ...r, received_at: iso(r.received_at), created_at: iso(r.created_at) })),
    ).toEqual([
      {
        id: made[0]!.id,
        code: 'SQ-2026-000042',
        enterprise_id: fx.ids.nanhuTextile,
        region_code: NANHU,
        cluster_code: 'textile',
        chain_node_id: null,
        nature: 'help',
        category: 'new_issue',
        chain_common: false,
        level: 'county',
        complex: false,
        channel: 'alert',
        title: '嘉兴市南湖示例纺织有限公司：连续两个月未报送',
        description: '风险预警 说明',
        contact_name: null,
        contact_phone: null,
        tags: ['橙色预警', '预警'],
        attachments: [],
        alert_id: alertIds[0],
        received_at: now.toISOString(),
        created_by: null,
        source: 'manual',
        created_at: now.toISOString(),
        first_assigned_at: null,
        answer_due_at: null,
        rating: null,
      },
      {
        id: made[1]!.id,
        code: 'SQ-2026-000043',
        enterprise_id: fx.ids.tongxiangTextile,
        region_code: TONGXIANG,
        cluster_code: 'textile',
        chain_node_id: null,
        nature: 'help',
        category: 'new_issue',
        chain_common: false,
        level: 'city',
        complex: false,
        channel: 'alert',
        title: inputs[1]!.title.slice(0, 100),
        description: inputs[1]!.title,
        contact_name: null,
        contact_phone: null,
        tags: ['红色预警'],
        attachments: [],
        alert_id: alertIds[1],
        received_at: now.toISOString(),
        created_by: null,
        source: 'manual',
        created_at: now.toISOString(),
        first_assigned_at: null,
        answer_due_at: null,
        rating: null,
      },
    ]);
    expect(made[1]!.id).toBeGreaterThan(made[0]!.id);
    const items = await itemsOf(d.db, 'service_request');
    const deadline = deadlineFor(SERVICE_WORKFLOW.initialDeadline!, now, workCalendar())!;
    expect(items).toEqual(
      requests.map((r) => ({
        id: expect.any(Number),
        kind: 'service_request',
        subject_type: 'service_request',
        subject_id: String(r.id),
        title: `${r.code} ${r.title}`,
        state: SERVICE_WORKFLOW.initial,
        owner_unit_id: null,
        owner_user_id: null,
        enterprise_id: r.enterprise_id,
        region_code: r.region_code,
        cluster_code: r.cluster_code,
        data: {},
        created_by: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        ...expectedClock(SERVICE_WORKFLOW, now, deadline, now),
        ever_overdue: false,
        closed_at: null,
        close_reason: null,
        version: 1,
      })),
    );
    const itemIds = items.map((i) => i.id as number);
    expect(ascending(itemIds)).toBe(true);
    expect((await eventsOf(d.db, itemIds)).map(({ id: _, ...e }) => e)).toEqual(
      items.map((i) => ({
        work_item_id: i.id,
        at: now.toISOString(),
        type: 'created',
        transition: null,
        from_state: null,
        to_state: SERVICE_WORKFLOW.initial,
        from_unit_id: null,
        to_unit_id: null,
        level: null,
        actor_user_id: null,
        actor_username: 'fixture',
        reason: null,
        data: { deadlineAt: i.deadline_at },
      })),
    );
    expect((await auditsOf(d.db, itemIds)).map(({ id: _, ...a }) => a)).toEqual(
      items.map((i) => ({
        user_id: null,
        username: 'fixture',
        action: 'workitem.create',
        entity: 'work_item',
        entity_id: String(i.id),
        before: null,
        after: {
          kind: 'service_request',
          subject: `service_request:${i.subject_id}`,
          state: SERVICE_WORKFLOW.initial,
          ownerUnitId: null,
        },
        ip: null,
      })),
    );

    // again (and an alert named twice): the requests filed are answered, nothing new is filed
    const again = await fileRequestsForAlerts(d.db, [inputs[1]!, inputs[0]!, inputs[1]!], undefined, now);
    expect(again).toEqual([
      { id: made[1]!.id, code: made[1]!.code, created: false },
      { id: made[0]!.id, code: made[0]!.code, created: false },
      { id: made[1]!.id, code: made[1]!.code, created: false },
    ]);
    // the evaluation's call files nothing either: every current firm alert has its request
    expect(
      await d.db.transaction((tx) => openServiceRequests(tx as Db, cityRuleSet, actor, CURRENT_FROM)),
    ).toBe(0);
    const [n] = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from service_requests`);
    expect(n!.n).toBe(3);
  });

  it('opens 5,000 alerts with as many statements as 10', async () => {
    const counted = async (fn: (tx: Db) => Promise<number>) => {
      let statements = 0;
      const started = performance.now();
      const n = await d.db.transaction(async (tx) => {
        // every statement of the transaction (savepoints' too) goes through this session's logger
        (tx as unknown as { session: { logger: unknown } }).session.logger = {
          logQuery: () => void statements++,
        };
        return fn(tx as Db);
      });
      return { n, statements, seconds: (performance.now() - started) / 1000 };
    };
    const addFirmsAndAlerts = (from: number, count: number) =>
      d.db.execute(sql`
        with f as (
          insert into enterprises (uscc, name, region_code, industry_code, scale)
          select 'BULK' || lpad(g::text, 14, '0'), '批量测试企业' || g, ${NANHU}, '1711', 'above'
            from generate_series(${from}::int, ${from + count - 1}::int) g
          returning id)
        insert into alerts (subject_kind, subject_key, enterprise_id, region_code, signal, rule_id, level,
          rule_set_version, first_month, last_month, evidence)
        select 'firm', 'firm:' || f.id, f.id, ${NANHU}, 'months_not_reported', ${NOT_REPORTED.id}, 'orange', 1,
          '2026-01-01', '2026-02-01', '[]'::jsonb from f`);
    const open = (tx: Db) =>
      openWorkItems(tx, cityRuleSet, actor, CURRENT_FROM).then(async (items) => {
        const requests = await openServiceRequests(tx, cityRuleSet, actor, CURRENT_FROM);
        return items * 1_000_000 + requests;
      });

    await addFirmsAndAlerts(1, 10);
    const small = await counted(open);
    expect(small.n).toBe(10 * 1_000_000 + 10);
    await addFirmsAndAlerts(11, 5_000);
    const large = await counted(open);
    expect(large.n).toBe(5_000 * 1_000_000 + 5_000);
    // a statement count that does not grow with the alerts (the per-alert path made ~16 per alert)
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThan(40);
    console.log(
      `${t.kind}: 10 alerts ${small.statements} statements ${small.seconds.toFixed(2)} s; ` +
        `5,000 alerts ${large.statements} statements ${large.seconds.toFixed(2)} s`,
    );
    const [check] = await queryRows<{ items: number; requests: number; unlinked: number }>(
      d.db,
      sql`select (select count(*)::int from work_items w join alerts a on a.work_item_id = w.id
                   where a.subject_key like 'firm:%' and a.rule_id = ${NOT_REPORTED.id}) as items,
                 (select count(*)::int from service_requests where channel = 'alert') as requests,
                 (select count(*)::int from alerts where open and work_item_id is null) as unlinked`,
    );
    expect(check).toEqual({ items: 5_010 + 1, requests: 5_010 + 2, unlinked: 0 });
    // and a second run files nothing
    const again = await counted(open);
    expect(again.n).toBe(0);
  }, 240_000);
});
