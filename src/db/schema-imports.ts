// Tables of the imports capability beside `imports` and `import_issues` (in schema.ts): background
// jobs with progress, and the values a correction import replaced (kept for history and rollback).
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** One background run (preview or commit) of an import; the web polls it, so it survives a page reload. */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    importId: bigint('import_id', { mode: 'number' }).notNull(),
    /** preview | commit */
    phase: text('phase').notNull(),
    /** running | done | failed */
    status: text('status').notNull(),
    /** rows read so far and bytes read of the file's total, for a progress bar */
    rows: integer('rows').notNull().default(0),
    bytesRead: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
    bytesTotal: bigint('bytes_total', { mode: 'number' }).notNull().default(0),
    message: text('message'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('import_jobs_import_idx').on(t.importId)],
);

/**
 * A fact row as it was before a correction import replaced it: the whole row as JSON, with the
 * import that had written it. Rollback puts it back; the history page shows the lineage.
 */
export const importReplacedValues = pgTable(
  'import_replaced_values',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** the import that replaced the values */
    importId: bigint('import_id', { mode: 'number' }).notNull(),
    /** enterprises | monthly | annual | tiers */
    kind: text('kind').notNull(),
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    /** '2025-03', '2025', 'listed/2024' or '' for registry rows */
    period: text('period').notNull(),
    oldImportId: bigint('old_import_id', { mode: 'number' }),
    oldValues: jsonb('old_values').notNull(),
    replacedAt: timestamp('replaced_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('import_replaced_import_idx').on(t.importId),
    index('import_replaced_old_idx').on(t.oldImportId),
    index('import_replaced_key_idx').on(t.kind, t.enterpriseId, t.period),
  ],
);

/**
 * Several files previewed and committed together in one transaction (at most one registry file, then
 * any monthly, annual or tiers files): a fact file may name enterprises the batch's registry file
 * creates. Each file keeps its own `imports` row (`imports.batch_id`).
 */
export const importBatches = pgTable(
  'import_batches',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' }),
    username: text('username'),
    /** the importer's county when a county officer imported */
    regionCode: text('region_code'),
    /**
     * previewing | previewed | refused | committing | committed | failed | rolled_back |
     * interrupted (a restart cut its job short) | discarded (given up: its files' uploads removed)
     */
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    committedAt: timestamp('committed_at', { withTimezone: true }),
    rolledBackAt: timestamp('rolled_back_at', { withTimezone: true }),
    rolledBackBy: text('rolled_back_by'),
    error: text('error'),
  },
  (t) => [index('import_batches_created_idx').on(t.createdAt)],
);
