// Project library and major-project tracking (issue 7): projects, their stage milestones with evidence,
// monthly progress reports (本月 / 累计 completed investment), the risk/issue log, stage skips with their
// reason, and official investment statistics to reconcile against. Money in 万元, land in 亩, people in 人.
// Chain nodes are referenced as (cluster_code, chain_node_id) text from config/<city>/chains.json, no FK.
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
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const projects = pgTable(
  'projects',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** the library's own number, e.g. 'XM-330402-2024-0012'; unique */
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** investment (招商引资) | upgrade (技术改造) | chain (建链补链) */
    kind: text('kind').notNull(),
    investorName: text('investor_name').notNull(),
    /** the investing enterprise when it is registered here (enterprise users see its projects) */
    investorEnterpriseId: bigint('investor_enterprise_id', { mode: 'number' }),
    clusterCode: text('cluster_code'),
    /** node id within chains.json of clusterCode */
    chainNodeId: text('chain_node_id'),
    /** county-level region (GB/T 2260) */
    regionCode: text('region_code').notNull(),
    zoneCode: text('zone_code'),
    plannedTotalInvestment: doublePrecision('planned_total_investment').notNull(), // 计划总投资, 万元
    plannedFixedInvestment: doublePrecision('planned_fixed_investment'), // 其中固定资产投资, 万元
    landMu: doublePrecision('land_mu'), // 用地, 亩
    expectedOutput: doublePrecision('expected_output'), // 达产后年产值, 万元
    expectedTax: doublePrecision('expected_tax'), // 达产后年税收, 万元
    expectedJobs: integer('expected_jobs'), // 达产后就业, 人
    /** low | medium | high */
    priority: text('priority').notNull().default('medium'),
    /** low | medium | high (落地可能性) */
    likelihood: text('likelihood').notNull().default('medium'),
    /** 项目负责人 */
    owner: text('owner'),
    /** 责任单位 */
    department: text('department'),
    /** negotiation | signed | land | started | completed | production | full_production */
    stage: text('stage').notNull(),
    /** active | paused (暂停) | terminated (终止) */
    status: text('status').notNull().default('active'),
    description: text('description'),
    /** manual | import | demo */
    source: text('source').notNull().default('manual'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('projects_code_idx').on(t.code),
    index('projects_region_idx').on(t.regionCode),
    index('projects_cluster_idx').on(t.clusterCode),
    index('projects_stage_idx').on(t.stage, t.status),
    index('projects_investor_idx').on(t.investorEnterpriseId),
  ],
);

/** One row per project and stage: planned and actual dates and the evidence that the stage was reached. */
export const projectStages = pgTable(
  'project_stages',
  {
    projectId: bigint('project_id', { mode: 'number' }).notNull(),
    stage: text('stage').notNull(),
    plannedDate: date('planned_date'),
    actualDate: date('actual_date'),
    /** [{ title, url?, note?, documentId? }] — contracts, land certificates, permits, photos … */
    evidence: jsonb('evidence').notNull().default([]),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.stage] })],
);

/** Monthly progress report; month is the first day of the month. */
export const projectProgress = pgTable(
  'project_progress',
  {
    projectId: bigint('project_id', { mode: 'number' }).notNull(),
    month: date('month').notNull(),
    investmentMonth: doublePrecision('investment_month').notNull(), // 本月完成投资, 万元
    investmentCumulative: doublePrecision('investment_cumulative').notNull(), // 累计完成投资 (since start), 万元
    statusNote: text('status_note'),
    reportedBy: text('reported_by'),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
    importId: bigint('import_id', { mode: 'number' }),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.month] }), index('project_progress_month_idx').on(t.month)],
);

/** Risk and issue log (Data Hub's "Risk" and "Issue" activity types). */
export const projectRisks = pgTable(
  'project_risks',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    projectId: bigint('project_id', { mode: 'number' }).notNull(),
    /** risk | issue */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    /** low | medium | high */
    severity: text('severity').notNull(),
    /** open | closed */
    status: text('status').notNull().default('open'),
    owner: text('owner'),
    raisedOn: date('raised_on').notNull(),
    dueDate: date('due_date'),
    closedOn: date('closed_on'),
    resolution: text('resolution'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('project_risks_project_idx').on(t.projectId)],
);

/** Every stage change, with the stages skipped and the reason; a skip is allowed to few and always explained. */
export const projectStageChanges = pgTable(
  'project_stage_changes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    projectId: bigint('project_id', { mode: 'number' }).notNull(),
    fromStage: text('from_stage').notNull(),
    toStage: text('to_stage').notNull(),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    /** stages jumped over (empty for an ordinary step) */
    skipped: jsonb('skipped').notNull().default([]),
    reason: text('reason'),
    on: date('on').notNull(),
    userId: bigint('user_id', { mode: 'number' }),
    username: text('username'),
    at: createdAt(),
  },
  (t) => [index('project_stage_changes_project_idx').on(t.projectId)],
);

/**
 * Official 工业投资 statistics, 1–N月累计 by county × cluster, entered where the statistics bureau publishes
 * them, to reconcile against the sum of project reports. cluster_code '_all' = all industrial investment.
 */
export const investmentStatistics = pgTable(
  'investment_statistics',
  {
    regionCode: text('region_code').notNull(),
    clusterCode: text('cluster_code').notNull(),
    month: date('month').notNull(),
    ytdInvestment: doublePrecision('ytd_investment').notNull(), // 1–N月累计, 万元
    source: text('source'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.clusterCode, t.month] })],
);

/**
 * Monthly progress spreadsheet imports: the file's sha256 (a committed file is never imported twice), who,
 * the outcome and every problem found. Kept apart from the enterprise-fact `imports` history, whose API
 * knows only its own kinds. project_progress.import_id points here.
 */
export const projectImports = pgTable(
  'project_imports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    userId: bigint('user_id', { mode: 'number' }),
    username: text('username'),
    /** committed | refused */
    status: text('status').notNull(),
    rows: integer('rows').notNull().default(0),
    written: integer('written').notNull().default(0),
    /** [{ file, sheet, row, column, value, code, zh, en }] */
    issues: jsonb('issues').notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [index('project_imports_sha_idx').on(t.sha256, t.status)],
);
