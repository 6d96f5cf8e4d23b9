// Enterprise service requests (企业诉求 / 96871): what the firm asked, through which channel, and the outcome
// facts the statistics count (direct answer, on time, rating, contests, redos). The request's state, owner,
// deadline and history live in its work item (schema-workitems.ts, kind 'service_request').
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const serviceRequests = pgTable(
  'service_requests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** 'SQ-2026-000123' */
    code: text('code').notNull(),
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    /** the firm's county and cluster when filed (scope and statistics) */
    regionCode: text('region_code').notNull(),
    clusterCode: text('cluster_code'),
    chainNodeId: text('chain_node_id'),
    /** consult | help | complaint | suggestion */
    nature: text('nature').notNull(),
    /** one of the seven categories (src/domain/service/defaults.ts) */
    category: text('category').notNull(),
    /** 产业链共性问题 */
    chainCommon: boolean('chain_common').notNull().default(false),
    /** city | county | town */
    level: text('level').notNull().default('city'),
    complex: boolean('complex').notNull().default(false),
    /** online | hotline | visit | transfer_12345 | leader | alert */
    channel: text('channel').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    /** problem tags (分类标签) for recurring problems across a chain */
    tags: jsonb('tags').notNull().default([]),
    /** names of files mentioned without their bytes (a call, a visit); uploaded files are in service_request_files */
    attachments: jsonb('attachments').notNull().default([]),
    /** the alert that opened it, when the channel is alert */
    alertId: bigint('alert_id', { mode: 'number' }),
    receivedAt: ts('received_at').notNull(),
    /** outcome facts, kept as the work item moves */
    firstAssignedAt: ts('first_assigned_at'),
    /** the latest (re)assignment: the contest window and the close deadline count from it */
    lastAssignedAt: ts('last_assigned_at'),
    acceptDueAt: ts('accept_due_at'),
    acceptedAt: ts('accepted_at'),
    answerDueAt: ts('answer_due_at'),
    answeredAt: ts('answered_at'),
    answer: text('answer'),
    directAnswer: boolean('direct_answer').notNull().default(false),
    answeredOnTime: boolean('answered_on_time'),
    /** satisfied | basic | unsatisfied (the latest 回访) */
    rating: text('rating'),
    ratingNote: text('rating_note'),
    ratedAt: ts('rated_at'),
    contestCount: integer('contest_count').notNull().default(0),
    reopenCount: integer('reopen_count').notNull().default(0),
    mergedInto: bigint('merged_into', { mode: 'number' }),
    closedAt: ts('closed_at'),
    createdBy: bigint('created_by', { mode: 'number' }),
    /** manual | demo */
    source: text('source').notNull().default('manual'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('service_requests_code_idx').on(t.code),
    index('service_requests_enterprise_idx').on(t.enterpriseId),
    index('service_requests_received_idx').on(t.receivedAt),
    index('service_requests_region_idx').on(t.regionCode),
    index('service_requests_cluster_idx').on(t.clusterCode),
    // one request per alert (src/modules/service/intake.ts)
    uniqueIndex('service_requests_alert_idx')
      .on(t.alertId)
      .where(sql`alert_id is not null`),
  ],
);
