// Work items (shared by alerts, service requests, target reviews …): the units that own them (a register of
// departments, county offices, cluster agencies, the coordinating and the supervising office, with their
// users), the items with their state, owner, deadline and escalation marks, the co-handling units (协办),
// and every event in an item's history. Times are timestamptz; working-day arithmetic happens in
// src/domain/calendar when a deadline is set, so the escalation sweep only compares instants.
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The register of units (承办单位) that own work: 市级部门, 区县经信局, 集群促进机构 (产业链专班), the
 * coordinating office (总协调室 / 企业综合服务中心) and the supervising office (督查室 / 效能办).
 */
export const units = pgTable(
  'units',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** stable key, e.g. 'city.finance', 'county.330402', 'agency.textile' */
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    /** department | county | cluster_agency | coordinator | supervisor | town */
    kind: text('kind').notNull(),
    /** city | county | town */
    level: text('level').notNull(),
    /** the county a county- or town-level unit serves */
    regionCode: text('region_code'),
    /** the cluster a cluster agency (专班) serves */
    clusterCode: text('cluster_code'),
    /** what the unit is competent for (the request types it receives), e.g. ['financing', 'policy'] */
    duties: jsonb('duties').notNull().default([]),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    source: text('source'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('units_code_idx').on(t.code), index('units_kind_idx').on(t.kind)],
);

/** Which users act for a unit (a user may act for several). */
export const unitMembers = pgTable(
  'unit_members',
  {
    unitId: bigint('unit_id', { mode: 'number' }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    /** handler | head */
    duty: text('duty').notNull().default('handler'),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.userId] }), index('unit_members_user_idx').on(t.userId)],
);

export const workItems = pgTable(
  'work_items',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** the workflow (a registered WorkflowDefinition.kind), e.g. 'service_request', 'alert' */
    kind: text('kind').notNull(),
    /** what the item is about: ('service_request', '123'), ('alert', '77') … */
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    title: text('title').notNull(),
    state: text('state').notNull(),
    ownerUnitId: bigint('owner_unit_id', { mode: 'number' }),
    ownerUserId: bigint('owner_user_id', { mode: 'number' }),
    /** scope facts: the firm, its county, its cluster (null = city-wide) */
    enterpriseId: bigint('enterprise_id', { mode: 'number' }),
    regionCode: text('region_code'),
    clusterCode: text('cluster_code'),
    /** whether the deadline clock runs (the state is timed and a deadline is set) */
    timed: boolean('timed').notNull().default(false),
    /** 0 normal, 1 due soon, 2 overdue, 3 urged (催办), 4 escalated (督办): LEVELS in src/domain/workitems */
    level: smallint('level').notNull().default(0),
    clockStartedAt: ts('clock_started_at'),
    deadlineAt: ts('deadline_at'),
    remindAt: ts('remind_at'),
    urgeAt: ts('urge_at'),
    escalateAt: ts('escalate_at'),
    /** when the item was last overdue at closing: kept for 按时办结率 */
    everOverdue: boolean('ever_overdue').notNull().default(false),
    closedAt: ts('closed_at'),
    closeReason: text('close_reason'),
    /** kind-specific facts the workflow's owner wants beside the item */
    data: jsonb('data').notNull().default({}),
    createdBy: bigint('created_by', { mode: 'number' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('work_items_subject_idx').on(t.kind, t.subjectType, t.subjectId),
    index('work_items_state_idx').on(t.kind, t.state),
    index('work_items_owner_idx').on(t.ownerUnitId, t.state),
    index('work_items_enterprise_idx').on(t.enterpriseId),
    index('work_items_region_idx').on(t.regionCode),
    index('work_items_cluster_idx').on(t.clusterCode),
    index('work_items_timed_idx').on(t.timed, t.remindAt),
    /** the deadline order of a kind's list, read by keyset (workItemsByDeadline: the requests export) */
    index('work_items_deadline_idx').on(t.kind, t.deadlineAt, t.id),
  ],
);

/** Co-handling units (协办) of an item, each with its own due instant for its input. */
export const workItemParties = pgTable(
  'work_item_parties',
  {
    workItemId: bigint('work_item_id', { mode: 'number' }).notNull(),
    unitId: bigint('unit_id', { mode: 'number' }).notNull(),
    /** assist */
    role: text('role').notNull().default('assist'),
    assignedAt: ts('assigned_at').notNull().defaultNow(),
    dueAt: ts('due_at'),
    doneAt: ts('done_at'),
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.workItemId, t.unitId] }),
    index('work_item_parties_unit_idx').on(t.unitId),
  ],
);

/** The history of an item: creation, every transition, level changes (reminder, 催办, 督办), notes. */
export const workItemEvents = pgTable(
  'work_item_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workItemId: bigint('work_item_id', { mode: 'number' }).notNull(),
    at: ts('at').notNull().defaultNow(),
    /** created | transition | level | deadline | party | note */
    type: text('type').notNull(),
    transition: text('transition'),
    fromState: text('from_state'),
    toState: text('to_state'),
    fromUnitId: bigint('from_unit_id', { mode: 'number' }),
    toUnitId: bigint('to_unit_id', { mode: 'number' }),
    level: smallint('level'),
    actorUserId: bigint('actor_user_id', { mode: 'number' }),
    actorUsername: text('actor_username'),
    reason: text('reason'),
    data: jsonb('data').notNull().default({}),
  },
  (t) => [
    index('work_item_events_item_idx').on(t.workItemId, t.id),
    index('work_item_events_at_idx').on(t.at),
  ],
);
