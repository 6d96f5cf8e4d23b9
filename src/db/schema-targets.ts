// Target responsibility (issue 16 items 2 and 5): values reported for targets nothing computes, each with its
// revisions (history kept: a correction after 退回 is a new revision, never an overwrite) and evidence files,
// and county goals entered by the city where a split by share does not fit. A report's review state, owner
// and deadline live in its work item (kind `target_report`); `status` here mirrors it for set-based counts.
import {
  bigint,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** One value for one target, one region (a county, or the city code for a city-wide report) and one year. */
export const targetReports = pgTable(
  'target_reports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    setCode: text('set_code').notNull(),
    targetCode: text('target_code').notNull(),
    /** a county (GB/T 2260) or the city itself for a city-wide figure */
    regionCode: text('region_code').notNull(),
    year: integer('year').notNull(),
    /** the current revision's value, in the target's unit */
    value: doublePrecision('value').notNull(),
    note: text('note'),
    /** pending (待审核) | returned (已退回) | approved (已通过) */
    status: text('status').notNull(),
    revision: integer('revision').notNull().default(1),
    /** the review work item of the current revision */
    workItemId: bigint('work_item_id', { mode: 'number' }),
    /** when the value was due (the period's reporting deadline) and first submitted */
    dueOn: date('due_on').notNull(),
    firstSubmittedAt: ts('first_submitted_at').notNull(),
    submittedAt: ts('submitted_at').notNull(),
    submittedBy: bigint('submitted_by', { mode: 'number' }),
    submittedByName: text('submitted_by_name'),
    reviewedAt: ts('reviewed_at'),
    reviewedByName: text('reviewed_by_name'),
    returnReason: text('return_reason'),
    /** manual | import | demo */
    source: text('source').notNull().default('manual'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('target_reports_key_idx').on(t.setCode, t.targetCode, t.regionCode, t.year),
    index('target_reports_region_idx').on(t.regionCode, t.year),
  ],
);

/** Every value ever submitted for a report, in order (the history the review sees). */
export const targetReportRevisions = pgTable(
  'target_report_revisions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    reportId: bigint('report_id', { mode: 'number' }).notNull(),
    revision: integer('revision').notNull(),
    value: doublePrecision('value').notNull(),
    note: text('note'),
    /** the review work item this revision went to (a correction after 通过 opens a new one) */
    workItemId: bigint('work_item_id', { mode: 'number' }),
    userId: bigint('user_id', { mode: 'number' }),
    username: text('username'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('target_report_revisions_key_idx').on(t.reportId, t.revision)],
);

/** A county's goal for a city target when the city enters it instead of splitting by share. */
export const targetCountyGoals = pgTable(
  'target_county_goals',
  {
    setCode: text('set_code').notNull(),
    targetCode: text('target_code').notNull(),
    regionCode: text('region_code').notNull(),
    goal: doublePrecision('goal').notNull(),
    note: text('note'),
    updatedBy: text('updated_by'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('target_county_goals_key_idx').on(t.setCode, t.targetCode, t.regionCode)],
);
