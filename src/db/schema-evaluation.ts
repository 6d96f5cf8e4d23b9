// 亩均效益 comprehensive evaluation: versioned rule sets, runs (draft → review → published), stored
// per-enterprise results, objections (异议) and the handling status of the 低散乱 watch list.
import {
  bigint,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  boolean,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** One version of a rule set; editing inserts the next version of the same code, never updates. */
export const evaluationRuleSets = pgTable(
  'evaluation_rule_sets',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    version: integer('version').notNull(),
    /** city or county code the rule set is for */
    regionCode: text('region_code').notNull(),
    /** evaluation year it is meant for; null = any year */
    year: integer('year'),
    name: text('name').notNull(),
    /** preset it came from (default, huangyan-2022, …) */
    preset: text('preset'),
    definition: jsonb('definition').notNull(),
    reason: text('reason'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('evaluation_rule_sets_version_idx').on(t.code, t.version)],
);

export const evaluationRuns = pgTable(
  'evaluation_runs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    year: integer('year').notNull(),
    /** city code (all counties) or one county */
    regionCode: text('region_code').notNull(),
    ruleSetId: bigint('rule_set_id', { mode: 'number' }).notNull(),
    /** draft | review | published */
    status: text('status').notNull(),
    /** 1 for the first run of (year, region); a correction is the next version */
    version: integer('version').notNull(),
    supersedesRunId: bigint('supersedes_run_id', { mode: 'number' }),
    supersededByRunId: bigint('superseded_by_run_id', { mode: 'number' }),
    /** why this correction was made */
    reason: text('reason'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    /** the user who submitted the run for review; four eyes: they may not also publish it */
    submittedBy: bigint('submitted_by', { mode: 'number' }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: bigint('published_by', { mode: 'number' }),
    /** class counts, evaluated/excluded counts */
    summary: jsonb('summary').notNull(),
    /** benchmark and mean score per group and indicator */
    benchmarks: jsonb('benchmarks').notNull(),
  },
  (t) => [index('evaluation_runs_year_idx').on(t.year, t.regionCode)],
);

/** One row per enterprise of the run's population. Published rows are never changed. */
export const evaluationResults = pgTable(
  'evaluation_results',
  {
    runId: bigint('run_id', { mode: 'number' }).notNull(),
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    regionCode: text('region_code').notNull(),
    /** above = 规上, below = 规下 */
    scale: text('scale').notNull(),
    groupKey: text('group_key'),
    evaluated: boolean('evaluated').notNull(),
    exclusion: text('exclusion'),
    /** per indicator of the group's rules, in rule order; null = no value */
    values: doublePrecision('values').array(),
    scores: doublePrecision('scores').array(),
    /** how each cell was obtained (1 value, 2 numerator blank, 3 denominator → 0, 4 → group mean score) */
    cells: integer('cells').array(),
    adjustment: doublePrecision('adjustment'),
    total: doublePrecision('total'),
    rank: integer('rank'),
    groupSize: integer('group_size'),
    class: text('class'),
    /** the inputs as evaluated (INPUT_FIELDS order), so explanations of published runs never drift */
    inputs: doublePrecision('inputs').array().notNull(),
    /** the adjustment attributes evaluated with (from the year's flags), e.g. {"newFirm": 1}; null = none */
    attributes: jsonb('attributes'),
    /** A+ on top of class A (a rule set with the A+ option, issue 15 item 9) */
    aPlus: boolean('a_plus').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.enterpriseId] }),
    index('evaluation_results_enterprise_idx').on(t.enterpriseId),
    index('evaluation_results_class_idx').on(t.runId, t.class),
  ],
);

export const evaluationObjections = pgTable(
  'evaluation_objections',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    runId: bigint('run_id', { mode: 'number' }).notNull(),
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    filedBy: bigint('filed_by', { mode: 'number' }),
    filedByName: text('filed_by_name').notNull(),
    text: text('text').notNull(),
    evidence: text('evidence').notNull(),
    /** open | upheld | rejected */
    status: text('status').notNull().default('open'),
    resolution: text('resolution'),
    resolvedBy: text('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('evaluation_objections_run_idx').on(t.runId),
    index('evaluation_objections_enterprise_idx').on(t.enterpriseId),
  ],
);

/** 低散乱 handling (项目化/清单化/节点化): who, by when, how far. */
export const evaluationWatchHandling = pgTable(
  'evaluation_watch_handling',
  {
    year: integer('year').notNull(),
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    /** pending | in_progress | done */
    status: text('status').notNull(),
    owner: text('owner'),
    deadline: date('deadline'),
    progress: text('progress'),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.year, t.enterpriseId] })],
);

/**
 * Adjustment flags (调整标记) of an enterprise for an evaluation year (src/domain/evaluation/flags.ts):
 * a row present = the flag is set. Imported (kind `flags`, import_id set) or set by an officer with
 * evidence (updated_by set); clearing deletes the row, the audit log keeps what it was.
 */
export const evaluationFlags = pgTable(
  'evaluation_flags',
  {
    enterpriseId: bigint('enterprise_id', { mode: 'number' }).notNull(),
    flag: text('flag').notNull(),
    year: integer('year').notNull(),
    /** the document or fact behind it: 文号, 事故通报, 认定文件 … */
    evidence: text('evidence'),
    importId: bigint('import_id', { mode: 'number' }),
    /** the officer who set it by hand; null when imported */
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.enterpriseId, t.flag, t.year] }),
    index('evaluation_flags_year_idx').on(t.year),
  ],
);
