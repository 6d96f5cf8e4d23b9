// Versioned definitions with editions (src/domain/editions): one row per edition of a definition
// (亩均 rule set, assessment scheme, index framework, alert rules, report template). Drafts are edited in
// place; a published row is never updated again (the service updates only rows whose status allows it).
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true });

export const definitions = pgTable(
  'definitions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** what sort of definition: index_framework, evaluation_rule_set, assessment_scheme, alert_rules, … */
    kind: text('kind').notNull(),
    /** which definition of that kind, e.g. `jiaxing-cluster-index` */
    key: text('key').notNull(),
    /** 1, 2, … per (kind, key); never reused */
    version: integer('version').notNull(),
    /** draft | submitted | reviewed | published | withdrawn */
    status: text('status').notNull(),
    title: text('title').notNull(),
    body: jsonb('body').notNull(),
    /** why this edition was made (required for a correction of a published definition) */
    reason: text('reason'),
    /** the edition this one was copied from */
    basedOnId: bigint('based_on_id', { mode: 'number' }),
    /** a note of the last return (退回) or withdrawal */
    note: text('note'),
    createdBy: bigint('created_by', { mode: 'number' }),
    createdByName: text('created_by_name').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    submittedBy: bigint('submitted_by', { mode: 'number' }),
    submittedByName: text('submitted_by_name'),
    submittedAt: at('submitted_at'),
    reviewedBy: bigint('reviewed_by', { mode: 'number' }),
    reviewedByName: text('reviewed_by_name'),
    reviewedAt: at('reviewed_at'),
    publishedBy: bigint('published_by', { mode: 'number' }),
    publishedByName: text('published_by_name'),
    publishedAt: at('published_at'),
    withdrawnBy: bigint('withdrawn_by', { mode: 'number' }),
    withdrawnAt: at('withdrawn_at'),
  },
  (t) => [
    uniqueIndex('definitions_version_idx').on(t.kind, t.key, t.version),
    index('definitions_status_idx').on(t.kind, t.status),
  ],
);
