// Shared with the web app: rule sets, alerts, their history, the board's filters, handling bodies and the
// backtest. Months 'YYYY-MM'; signal values in the units of src/domain/alerts/types.ts.
import { z } from 'zod';
import { monthText, queryId, queryInt } from '../../domain/query-params.ts';
import { AREA_SIGNALS, COMPARATORS, FIRM_SIGNALS, LEVELS, SUBJECT_KINDS } from '../../domain/alerts/types.ts';
import { editionSchema, editionTransitionBody } from '../editions/schemas.ts';

export { AREA_SIGNALS, COMPARATORS, FIRM_SIGNALS, LEVELS, SUBJECT_KINDS };
export const SIGNALS = [...FIRM_SIGNALS, ...AREA_SIGNALS] as const;
/** where an alert stands in its handling (核实 → 走访 → 帮扶 → 关闭, or 误报) */
export const ALERT_STATUSES = [
  'open',
  'verifying',
  'visited',
  'supporting',
  'closed',
  'false_alarm',
] as const;
export const HANDLING_STEPS = ['verify', 'visit', 'support', 'close', 'false_alarm'] as const;

const month = monthText();
const text = z.string().trim().min(1).max(500);

export const conditionSchema = z.object({
  signal: z.enum(SIGNALS),
  op: z.enum(COMPARATORS),
  value: z.number().finite(),
});

export const ruleSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'lower-case letters, digits and "-"'),
  subject: z.enum(SUBJECT_KINDS),
  signal: z.enum(SIGNALS),
  level: z.enum(LEVELS),
  all: z.array(conditionSchema).min(1).max(5),
  consecutive: z.number().int().min(1).max(12),
  nameZh: text,
  nameEn: text,
  source: z.string().trim().min(1).max(1000),
  inference: z.boolean(),
  enabled: z.boolean(),
});

export const ruleSetSchema = z.object({
  deadlines: z.object({
    red: z.number().int().min(1).max(60),
    orange: z.number().int().min(1).max(60),
    yellow: z.number().int().min(1).max(60),
  }),
  /** when a month is closed for reporting (src/domain/alerts/reporting.ts); absent: the default share */
  reportingClosed: z
    .object({
      share: z.number().gt(0).max(1),
      source: z.string().trim().min(1).max(1000),
      inference: z.boolean(),
    })
    .optional(),
  rules: z.array(ruleSchema).min(1).max(100),
});

const scoreSchema = z.object({
  flaggedAhead: z.number(),
  recall: z.number().nullable(),
  medianLeadMonths: z.number().nullable(),
  alerts: z.number(),
  alertsOnFailing: z.number(),
  precision: z.number().nullable(),
  firmPrecision: z.number().nullable(),
});

export const backtestSchema = scoreSchema.extend({
  from: month,
  to: month,
  firms: z.number(),
  failing: z.number(),
  /** the same score for red and orange alerts only */
  actionable: scoreSchema,
  byLevel: z.record(z.string(), z.number()),
  byRule: z.record(z.string(), z.object({ alerts: z.number(), onFailing: z.number() })),
  /** where the failures come from: the demo generator's list, or firms closed/suspended in the registry */
  groundTruth: z.enum(['demo', 'registry']),
  /**
   * the months judged open for reporting (the newest month while it is, under the rule set's own share): a
   * firm without a row in it was not counted "not reported", as the live evaluation judges it. Absent on
   * results kept before it was said (stored jobs and proposals).
   */
  openMonths: z.array(month).optional(),
});
export type BacktestView = z.infer<typeof backtestSchema>;

/**
 * The backtest of the rule set in force as a background job (POST /api/alerts/backtest starts it): its
 * state, progress and result; `current` is false when the facts changed since it replayed them.
 */
export const backtestJobSchema = z.object({
  id: z.number().nullable(),
  /** none: never run for these rules */
  status: z.enum(['none', 'queued', 'running', 'done', 'failed']),
  progress: z.number(),
  current: z.boolean(),
  result: backtestSchema.nullable(),
  error: z.string().nullable(),
  requested: z.object({ name: z.string(), at: z.string(), finishedAt: z.string().nullable() }).nullable(),
});
export type BacktestJobView = z.infer<typeof backtestJobSchema>;

export const ruleSetVersionSchema = z.object({
  version: z.number(),
  definition: ruleSetSchema,
  reason: z.string(),
  source: z.string(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  backtest: backtestSchema.nullable(),
});
/** A proposed change of the rules (an edition): its rule set, backtest, and what it changes. */
export const ruleSetEditionSchema = editionSchema(
  z.object({ definition: ruleSetSchema, backtest: backtestSchema.nullable(), basedOnVersion: z.number() }),
).extend({
  changes: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
});
export type RuleSetEditionView = z.infer<typeof ruleSetEditionSchema>;

export const ruleSetVersionsSchema = z.object({
  current: ruleSetVersionSchema,
  history: z.array(ruleSetVersionSchema.omit({ definition: true })),
  /** proposals waiting for a second administrator (four eyes) */
  pending: z.array(ruleSetEditionSchema),
});
export { editionTransitionBody as ruleSetTransitionBody };

export const ruleSetSaveBody = z.object({ definition: ruleSetSchema, reason: text });
export const ruleSetPreviewSchema = z.object({
  month: month.nullable(),
  /** alerts the candidate would raise or keep open on the latest month, by level, against the current rules */
  latest: z.object({
    current: z.record(z.string(), z.number()),
    candidate: z.record(z.string(), z.number()),
  }),
  backtest: z.object({ current: backtestSchema, candidate: backtestSchema }),
  /** what gets worse: recall, lead, precision */
  worse: z.array(z.string()),
});

export const evidenceSchema = z.array(z.object({ month, values: z.record(z.string(), z.number()) }));

export const alertSchema = z.object({
  id: z.number(),
  subjectKind: z.enum(SUBJECT_KINDS),
  subjectKey: z.string(),
  subjectName: z.string(),
  enterpriseId: z.number().nullable(),
  uscc: z.string().nullable(),
  clusterCode: z.string().nullable(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  signal: z.enum(SIGNALS),
  ruleId: z.string(),
  ruleNameZh: z.string(),
  ruleNameEn: z.string(),
  level: z.enum(LEVELS),
  ruleSetVersion: z.number(),
  firstMonth: month,
  lastMonth: month,
  evidence: evidenceSchema,
  status: z.enum(ALERT_STATUSES),
  open: z.boolean(),
  closedReason: z.string().nullable(),
  deadline: z.string().nullable(),
  overdue: z.boolean(),
  /** the work item carrying the handling, and its escalation level (0 normal … 3 催办, 4 督办) */
  workItemId: z.number().nullable(),
  handlingLevel: z.number(),
  createdAt: z.string(),
});
export type AlertView = z.infer<typeof alertSchema>;

export const alertListQuery = z.object({
  level: z.enum(LEVELS).optional(),
  county: z.string().max(12).optional(),
  cluster: z.string().max(40).optional(),
  status: z.enum(ALERT_STATUSES).optional(),
  /** 'open' | 'closed' | 'all' (default open) */
  state: z.enum(['open', 'closed', 'all']).optional(),
  subject: z.enum(SUBJECT_KINDS).optional(),
  signal: z.enum(SIGNALS).optional(),
  enterprise: queryId().optional(),
  page: queryInt({ min: 1, max: 10000 }).optional(),
  pageSize: queryInt({ min: 1, max: 200 }).optional(),
});
export type AlertListQuery = z.infer<typeof alertListQuery>;

export const alertListSchema = z.object({
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  rows: z.array(alertSchema),
  byLevel: z.record(z.string(), z.number()),
  latestMonth: month.nullable(),
  /**
   * The newest month's reporting: firms with a row in it and in the month before, and whether it is closed
   * (src/domain/alerts/reporting.ts) — while open, reporting is not judged in it (no "not reported" alerts).
   */
  reporting: z
    .object({
      month,
      firms: z.number(),
      before: z.number(),
      share: z.number(),
      closed: z.boolean(),
    })
    .nullable()
    .optional(),
});

export const alertEventSchema = z.object({
  id: z.number(),
  at: z.string(),
  kind: z.string(),
  month: month.nullable(),
  level: z.string().nullable(),
  ruleId: z.string().nullable(),
  evidence: evidenceSchema.nullable(),
  reason: z.string().nullable(),
  username: z.string().nullable(),
});
export const alertDetailSchema = z.object({ alert: alertSchema, events: z.array(alertEventSchema) });

export const handleBody = z.object({
  step: z.enum(HANDLING_STEPS),
  /** required for 关闭 and 误报 */
  reason: z.string().trim().max(1000).optional(),
});

export const densitySchema = z.object({
  month: month.nullable(),
  counties: z.array(
    z.object({
      regionCode: z.string(),
      name: z.string(),
      open: z.number(),
      red: z.number(),
      orange: z.number(),
      yellow: z.number(),
      firms: z.number(),
      /** open firm alerts per 100 reporting firms */
      perHundred: z.number().nullable(),
    }),
  ),
});

/** A subject's signals over time with the thresholds of the rules on them (the risk profile). */
export const profileSchema = z.object({
  subjectKey: z.string(),
  name: z.string(),
  months: z.array(month),
  signals: z.array(
    z.object({
      signal: z.enum(SIGNALS),
      values: z.array(z.number().nullable()),
      thresholds: z.array(
        z.object({ ruleId: z.string(), level: z.enum(LEVELS), op: z.enum(COMPARATORS), value: z.number() }),
      ),
    }),
  ),
  alerts: z.array(alertSchema),
  ruleSetVersion: z.number(),
});

export const evaluateBody = z.object({ month: month.optional() });
export const evaluationResultSchema = z.object({
  months: z.array(month),
  created: z.number(),
  escalated: z.number(),
  refreshed: z.number(),
  ruleSetVersion: z.number(),
  seconds: z.number(),
});
