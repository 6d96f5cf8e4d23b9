// The monthly bulletin (运行监测月报, issue 21): one row per generated bulletin of a month and a scope,
// with its job state, the figures it was generated from (frozen, so the preview, the PDF and the xlsx
// always show the same numbers), the commentary, and who generated, submitted and published it. The
// files live apart in bulletin_files so that lists never read megabytes.
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { bytea } from './bytea.ts';

const at = (name: string) => timestamp(name, { withTimezone: true });

export const bulletins = pgTable(
  'bulletins',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** 'YYYY-MM' */
    month: text('month').notNull(),
    /** city | county | cluster */
    scopeKind: text('scope_kind').notNull(),
    /** the county's region code or the cluster's code; null for the city */
    scopeCode: text('scope_code'),
    scopeName: text('scope_name').notNull(),
    /** pending (not generated yet) | draft | submitted | published | failed (the first generation failed) */
    status: text('status').notNull(),
    /** the background job: queued | running | null (none); files are rendered again after each change */
    job: text('job'),
    /** 0–100 and what the job is doing */
    progress: integer('progress').notNull().default(0),
    stage: text('stage'),
    error: text('error'),
    /** auto (after a monthly import) | manual */
    trigger: text('trigger').notNull(),
    importId: bigint('import_id', { mode: 'number' }),
    /** the template's version (config/<city>/bulletin.json) */
    templateVersion: text('template_version'),
    /** the sections' figures as the API answered them when the bulletin was generated */
    data: jsonb('data'),
    commentary: text('commentary').notNull().default(''),
    demoData: boolean('demo_data').notNull().default(false),
    createdBy: bigint('created_by', { mode: 'number' }),
    createdByName: text('created_by_name').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    generatedAt: at('generated_at'),
    /** milliseconds the job took (data, xlsx, PDF) */
    generationMs: integer('generation_ms'),
    /** milliseconds per stage of the last generation (data per section, html, pdf, xlsx, store) */
    timings: jsonb('timings'),
    submittedBy: bigint('submitted_by', { mode: 'number' }),
    submittedByName: text('submitted_by_name'),
    submittedAt: at('submitted_at'),
    publishedBy: bigint('published_by', { mode: 'number' }),
    publishedByName: text('published_by_name'),
    publishedAt: at('published_at'),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('bulletins_month_idx').on(t.month, t.scopeKind, t.scopeCode),
    index('bulletins_job_idx').on(t.job),
  ],
);

/** The generated files of a bulletin: pdf and xlsx. */
export const bulletinFiles = pgTable(
  'bulletin_files',
  {
    bulletinId: bigint('bulletin_id', { mode: 'number' })
      .notNull()
      .references(() => bulletins.id, { onDelete: 'cascade' }),
    /** pdf | xlsx */
    format: text('format').notNull(),
    content: bytea('content').notNull(),
    bytes: integer('bytes').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.bulletinId, t.format] })],
);
