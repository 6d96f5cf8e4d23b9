// Shared with the web app: the project library's filters, rows, detail, write bodies and the
// tracking, growth, kanban and Gantt answers. Money in 万元, land in 亩, dates 'YYYY-MM-DD', months 'YYYY-MM'.
import { z } from 'zod';
import {
  queryBoolean,
  queryId,
  queryInt,
  queryMonth,
  monthText,
  dateText,
} from '../../domain/query-params.ts';
import { MAX_DOCUMENT_BASE64 } from '../documents/schemas.ts';
import { PROJECT_STATUSES, STAGES } from '../../domain/projects/stages.ts';

export { PROJECT_STATUSES, STAGES };
export const PROJECT_KINDS = ['investment', 'upgrade', 'chain'] as const; // 招商引资 / 技术改造 / 建链补链
export const LEVELS = ['low', 'medium', 'high'] as const;
export const RISK_KINDS = ['risk', 'issue'] as const;
export const RISK_STATUSES = ['open', 'closed'] as const;
export const DELAY_REASONS = ['overdue', 'slowInvestment', 'idle'] as const;
export const PROJECT_SORTS = [
  'code',
  'name',
  'plannedTotalInvestment',
  'stage',
  'regionCode',
  'daysLate',
  'investmentCumulative',
] as const;

const stage = z.enum(STAGES);
const date = dateText();
const month = monthText();
const money = z.number().finite().min(0).max(1e9);
const flag = queryBoolean().optional();

export const projectListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  county: z.string().optional(),
  zone: z.string().optional(),
  cluster: z.string().optional(),
  kind: z.enum(PROJECT_KINDS).optional(),
  stage: stage.optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  priority: z.enum(LEVELS).optional(),
  /** 'true': only delayed projects */
  delayed: flag,
  /** 'true': only projects on the stalled list (delayed or paused) */
  stalled: flag,
  /** 'true': only projects without a report this month */
  missingReport: flag,
  sort: z.enum(PROJECT_SORTS).default('code'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: queryInt({ min: 1 }).default(1),
  pageSize: queryInt({ min: 1, max: 500 }).default(20),
});
export type ProjectListQuery = z.infer<typeof projectListQuery>;

export const bilingualSchema = z.object({ zh: z.string(), en: z.string() });

export const projectRowSchema = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(PROJECT_KINDS),
  investorName: z.string(),
  investorEnterpriseId: z.number().nullable(),
  clusterCode: z.string().nullable(),
  chainNodeId: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  zoneCode: z.string().nullable(),
  zoneName: z.string().nullable(),
  plannedTotalInvestment: z.number(),
  stage,
  status: z.enum(PROJECT_STATUSES),
  priority: z.enum(LEVELS),
  likelihood: z.enum(LEVELS),
  owner: z.string().nullable(),
  department: z.string().nullable(),
  /** latest reported 累计, 万元 */
  investmentCumulative: z.number().nullable(),
  lastReportMonth: z.string().nullable(),
  delayed: z.boolean(),
  stalled: z.boolean(),
  missingReport: z.boolean(),
  delayReasons: z.array(z.enum(DELAY_REASONS)),
  delayMessages: z.array(bilingualSchema),
  daysLate: z.number(),
  nextMilestone: z.object({ stage, plannedDate: z.string().nullable() }).nullable(),
});
export type ProjectRow = z.infer<typeof projectRowSchema>;

export const projectListSchema = z.object({
  items: z.array(projectRowSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** the month whose report is due (the month of today) */
  reportingMonth: z.string(),
  today: z.string(),
});
export type ProjectList = z.infer<typeof projectListSchema>;

export const evidenceSchema = z.object({
  title: z.string().trim().min(1).max(200),
  url: z.string().trim().max(1000).nullable().optional(),
  note: z.string().trim().max(1000).nullable().optional(),
  /** an uploaded file of this project and stage (GET /api/projects/:id/documents/:documentId) */
  documentId: z.number().int().positive().nullable().optional(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const stageRecordSchema = z.object({
  stage,
  plannedDate: z.string().nullable(),
  actualDate: z.string().nullable(),
  evidence: z.array(evidenceSchema),
  note: z.string().nullable(),
});

export const progressSchema = z.object({
  month: z.string(),
  investmentMonth: z.number(),
  investmentCumulative: z.number(),
  statusNote: z.string().nullable(),
  reportedBy: z.string().nullable(),
  reportedAt: z.string(),
  importId: z.number().nullable(),
});
export type ProgressReport = z.infer<typeof progressSchema>;

export const riskSchema = z.object({
  id: z.number(),
  kind: z.enum(RISK_KINDS),
  title: z.string(),
  description: z.string().nullable(),
  severity: z.enum(LEVELS),
  status: z.enum(RISK_STATUSES),
  owner: z.string().nullable(),
  raisedOn: z.string(),
  dueDate: z.string().nullable(),
  closedOn: z.string().nullable(),
  resolution: z.string().nullable(),
  createdBy: z.string().nullable(),
});
export type Risk = z.infer<typeof riskSchema>;

export const stageChangeSchema = z.object({
  id: z.number(),
  fromStage: stage,
  toStage: stage,
  fromStatus: z.enum(PROJECT_STATUSES),
  toStatus: z.enum(PROJECT_STATUSES),
  skipped: z.array(stage),
  reason: z.string().nullable(),
  on: z.string(),
  username: z.string().nullable(),
  at: z.string(),
});

export const assessmentSchema = z.object({
  reportingMonth: z.string(),
  missingReport: z.boolean(),
  overdue: z.array(z.object({ stage, plannedDate: z.string(), daysLate: z.number() })),
  lateMilestones: z.array(
    z.object({ stage, plannedDate: z.string(), actualDate: z.string(), daysLate: z.number() }),
  ),
  pace: z.object({
    elapsed: z.number().nullable(),
    expected: z.number().nullable(),
    actual: z.number().nullable(),
    ratio: z.number().nullable(),
    slow: z.boolean(),
  }),
  idleMonths: z.number(),
  reasons: z.array(z.enum(DELAY_REASONS)),
  delayed: z.boolean(),
  stalled: z.boolean(),
  daysLate: z.number(),
  messages: z.array(bilingualSchema),
});

export const projectDetailSchema = projectRowSchema.extend({
  plannedFixedInvestment: z.number().nullable(),
  landMu: z.number().nullable(),
  expectedOutput: z.number().nullable(),
  expectedTax: z.number().nullable(),
  expectedJobs: z.number().nullable(),
  description: z.string().nullable(),
  source: z.string(),
  clusterName: z.string().nullable(),
  chainNodeName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  stages: z.array(stageRecordSchema),
  progress: z.array(progressSchema),
  risks: z.array(riskSchema),
  changes: z.array(stageChangeSchema),
  assessment: assessmentSchema,
  /** whether the caller may edit, report and log risks */
  canEdit: z.boolean(),
  /** whether the caller may skip stages */
  canSkip: z.boolean(),
});
export type ProjectDetail = z.infer<typeof projectDetailSchema>;

const editable = {
  name: z.string().trim().min(2).max(200),
  kind: z.enum(PROJECT_KINDS),
  investorName: z.string().trim().min(2).max(200),
  investorEnterpriseId: z.number().int().positive().nullable().optional(),
  clusterCode: z.string().nullable().optional(),
  chainNodeId: z.string().nullable().optional(),
  regionCode: z.string(),
  zoneCode: z.string().nullable().optional(),
  plannedTotalInvestment: money,
  plannedFixedInvestment: money.nullable().optional(),
  landMu: z.number().finite().min(0).max(1e6).nullable().optional(),
  expectedOutput: money.nullable().optional(),
  expectedTax: money.nullable().optional(),
  expectedJobs: z.number().int().min(0).max(1e6).nullable().optional(),
  priority: z.enum(LEVELS),
  likelihood: z.enum(LEVELS),
  owner: z.string().trim().max(100).nullable().optional(),
  department: z.string().trim().max(200).nullable().optional(),
  description: z.string().trim().max(4000).nullable().optional(),
};

export const projectCreateBody = z.object({
  ...editable,
  priority: editable.priority.default('medium'),
  likelihood: editable.likelihood.default('medium'),
  /** the stage reached when the project enters the library (registration, not a transition) */
  stage: stage.default('negotiation'),
  /** planned dates of the milestones */
  plannedDates: z.partialRecord(stage, date.nullable()).optional(),
  /** actual dates of stages already reached at registration */
  actualDates: z.partialRecord(stage, date.nullable()).optional(),
});
export type ProjectCreate = z.infer<typeof projectCreateBody>;

/** Only the fields sent change; stage and status change through transitions. */
export const projectUpdateBody = z.object(editable).partial().strict();
export type ProjectUpdate = z.infer<typeof projectUpdateBody>;

export const transitionBody = z.object({
  action: z.enum(['advance', 'pause', 'resume', 'terminate']),
  /** for advance: the stage reached */
  to: stage.optional(),
  reason: z.string().trim().max(1000).nullable().optional(),
  /** the date the stage was reached or the status changed; default today */
  on: date.optional(),
  evidence: z.array(evidenceSchema).max(50).optional(),
});
export type TransitionBody = z.infer<typeof transitionBody>;

export const stageUpdateBody = z
  .object({
    plannedDate: date.nullable().optional(),
    actualDate: date.nullable().optional(),
    note: z.string().trim().max(2000).nullable().optional(),
    evidence: z.array(evidenceSchema).max(50).optional(),
  })
  .strict();
export type StageUpdate = z.infer<typeof stageUpdateBody>;

export const progressBody = z.object({
  investmentMonth: money,
  /** left out: previous 累计 + 本月 */
  investmentCumulative: money.nullable().optional(),
  statusNote: z.string().trim().max(2000).nullable().optional(),
});
export type ProgressBody = z.infer<typeof progressBody>;

export const riskCreateBody = z.object({
  kind: z.enum(RISK_KINDS),
  title: z.string().trim().min(2).max(200),
  description: z.string().trim().max(4000).nullable().optional(),
  severity: z.enum(LEVELS),
  owner: z.string().trim().max(100).nullable().optional(),
  raisedOn: date.optional(),
  dueDate: date.nullable().optional(),
});
export type RiskCreate = z.infer<typeof riskCreateBody>;

export const riskUpdateBody = z
  .object({
    title: z.string().trim().min(2).max(200),
    description: z.string().trim().max(4000).nullable(),
    severity: z.enum(LEVELS),
    status: z.enum(RISK_STATUSES),
    owner: z.string().trim().max(100).nullable(),
    dueDate: date.nullable(),
    resolution: z.string().trim().max(4000).nullable(),
  })
  .partial()
  .strict();
export type RiskUpdate = z.infer<typeof riskUpdateBody>;

export const statisticsBody = z.object({
  regionCode: z.string(),
  /** a cluster code, or '_all' for all industrial investment of the county */
  clusterCode: z.string(),
  month,
  ytdInvestment: money,
  source: z.string().trim().max(300).nullable().optional(),
});
export type StatisticsBody = z.infer<typeof statisticsBody>;

export const growthQuery = z.object({
  by: z.enum(['cluster', 'county']).default('cluster'),
  /** 1–N月 up to this month; default the latest month reported */
  through: queryMonth().optional(),
});

export const growthSchema = z.object({
  by: z.enum(['cluster', 'county']),
  through: z.string(),
  year: z.number(),
  months: z.number(),
  goal: z.number(),
  rows: z.array(
    z.object({
      group: z.string(),
      name: z.string(),
      current: z.number(),
      previous: z.number(),
      growth: z.number().nullable(),
      meetsGoal: z.boolean().nullable(),
      statistics: z.number().nullable(),
      coverage: z.number().nullable(),
      reconcileStatus: z.enum(['noStatistics', 'agrees', 'projectsBelow', 'projectsAbove']),
    }),
  ),
  total: z.object({
    current: z.number(),
    previous: z.number(),
    growth: z.number().nullable(),
    meetsGoal: z.boolean().nullable(),
  }),
  /** monthly 本月 sums of this year and last, for the chart */
  monthly: z.array(z.object({ month: z.string(), current: z.number(), previous: z.number() })),
});
export type Growth = z.infer<typeof growthSchema>;

const cardSchema = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  regionName: z.string().nullable(),
  plannedTotalInvestment: z.number(),
  status: z.enum(PROJECT_STATUSES),
  delayed: z.boolean(),
  missingReport: z.boolean(),
});

export const kanbanSchema = z.object({
  columns: z.array(
    z.object({
      key: z.string(), // a stage, or 'paused' / 'terminated'
      count: z.number(),
      plannedTotalInvestment: z.number(),
      delayed: z.number(),
      items: z.array(cardSchema),
    }),
  ),
});
export type Kanban = z.infer<typeof kanbanSchema>;

export const ganttSchema = z.object({
  today: z.string(),
  /** terminated projects matching the filters: the library lists them, the Gantt leaves them out */
  terminated: z.number(),
  items: z.array(
    z.object({
      id: z.number(),
      code: z.string(),
      name: z.string(),
      stage,
      status: z.enum(PROJECT_STATUSES),
      delayed: z.boolean(),
      milestones: z.array(
        z.object({ stage, plannedDate: z.string().nullable(), actualDate: z.string().nullable() }),
      ),
    }),
  ),
  total: z.number(),
});
export type Gantt = z.infer<typeof ganttSchema>;

export const countySummarySchema = z.object({
  reportingMonth: z.string(),
  rows: z.array(
    z.object({
      regionCode: z.string(),
      regionName: z.string(),
      projects: z.number(),
      active: z.number(),
      delayed: z.number(),
      stalled: z.number(),
      missingReport: z.number(),
      plannedTotalInvestment: z.number(),
      investmentCumulative: z.number(),
    }),
  ),
});
export type CountySummary = z.infer<typeof countySummarySchema>;

export const importBody = z.object({
  fileName: z.string().trim().min(1).max(300),
  /** the .xlsx file, base64 */
  contentBase64: z.string().min(1),
  /** check only, write nothing */
  dryRun: z.boolean().default(false),
});

export const importIssueSchema = z.object({
  file: z.string(),
  sheet: z.string().nullable(),
  row: z.number().nullable(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  message: z.string(),
  messageZh: z.string(),
});
export type ImportIssue = z.infer<typeof importIssueSchema>;

export const importResultSchema = z.object({
  status: z.enum(['checked', 'committed', 'refused', 'duplicate']),
  importId: z.number().nullable(),
  sha256: z.string(),
  rows: z.number(),
  written: z.number(),
  issues: z.array(importIssueSchema),
});
export type ImportResult = z.infer<typeof importResultSchema>;

/** The chain nodes a project can be linked to (config/<city>/chains.json). */
export const chainNodeListSchema = z.object({
  items: z.array(z.object({ clusterCode: z.string(), id: z.string(), name: z.string() })),
});
export type ChainNodeList = z.infer<typeof chainNodeListSchema>;

// one definition of what an evidence file may be, shared by every capability that takes files
export { DOCUMENT_TYPES, MAX_DOCUMENT_BYTES } from '../documents/schemas.ts';

export const documentUploadBody = z
  .object({
    fileName: z.string().trim().min(1).max(200),
    /** the file, base64 */
    contentBase64: z.string().min(1).max(MAX_DOCUMENT_BASE64),
    /** the evidence entry's title; default the file name */
    title: z.string().trim().min(1).max(200).optional(),
    note: z.string().trim().max(1000).nullable().optional(),
  })
  .strict();
export type DocumentUpload = z.infer<typeof documentUploadBody>;

export const idParams = z.object({ id: queryId() });
