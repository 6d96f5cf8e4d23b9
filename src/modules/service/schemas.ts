// Zod shapes of the service capability's API (shared with the web).
import { z } from 'zod';
import { queryBoolean, queryId, queryInt, queryMonth } from '../../domain/query-params.ts';
import { CATEGORIES, CHANNELS, LEVELS, NATURES, RATINGS } from '../../domain/service/defaults.ts';
import { workItemEventSchema, workItemViewSchema } from '../workitems/schemas.ts';
// the shared schema file, not index.ts: the web imports these schemas and index.ts reaches the database
import { documentFileBody } from '../documents/schemas.ts';

/** Files of one step (intake, answer, supplement, 协办 input): ≤ 3, each ≤ 5 MB (files.ts checks more). */
const stepFiles = z.array(documentFileBody).max(3).optional();

/**
 * The states the coordinating office acts on, 待分派 (submitted) and 异议待裁决 (contested), as the list's
 * `state` filter: its queue on the service page and its count among the home page's to-dos (todos.ts).
 */
export const DISPATCH_STATES = 'submitted,contested';

export const newRequestBody = z.object({
  /** officers name the firm; an enterprise user files for itself */
  enterpriseId: z.number().int().positive().optional(),
  nature: z.enum(NATURES),
  category: z.enum(CATEGORIES),
  chainCommon: z.boolean().default(false),
  level: z.enum(LEVELS).default('city'),
  channel: z.enum(CHANNELS).default('online'),
  title: z.string().trim().min(2).max(100),
  description: z.string().trim().min(5).max(4000),
  contactName: z.string().trim().max(50).nullish(),
  contactPhone: z.string().trim().max(30).nullish(),
  tags: z.array(z.string().trim().min(1).max(20)).max(10).default([]),
  attachments: z.array(z.string().max(200)).max(10).default([]),
  files: stepFiles,
  chainNodeId: z.string().max(60).nullish(),
  alertId: z.number().int().positive().nullish(),
  /**
   * when the officer took the call or visit (defaults to now): an ISO 8601 time with its offset
   * (z.coerce.date read null and 0 as 1970 and "1" as 2001)
   */
  receivedAt: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
});
export type NewRequest = z.infer<typeof newRequestBody>;

export const duplicatesQuery = z.object({
  enterpriseId: queryId().optional(),
  title: z.string().default(''),
  description: z.string().default(''),
});

export const actionBody = z.object({
  transition: z.string().min(1).max(40),
  reason: z.string().trim().max(4000).nullish(),
  ownerUnitId: z.number().int().positive().nullish(),
  assistUnitIds: z.array(z.number().int().positive()).max(10).optional(),
  rating: z.enum(RATINGS).optional(),
  /** 不满意 for a subjective reason reopens (重办); otherwise it closes with the rating */
  subjective: z.boolean().optional(),
  mergeInto: z.number().int().positive().optional(),
  expectedVersion: z.number().int().optional(),
  /** files with an answer (answer, answer_direct) */
  files: stepFiles,
});
export type ActionInput = z.infer<typeof actionBody>;

export const extendBody = z.object({
  workingDays: z.number().int().min(1).max(25),
  reason: z.string().trim().min(2).max(1000),
});
export const supplementBody = z.object({ text: z.string().trim().min(2).max(4000), files: stepFiles });
/** A 协办 unit's input (within 3 working days of its assignment); unitId when the user acts for several. */
export const assistInputBody = z.object({
  unitId: z.number().int().positive().optional(),
  text: z.string().trim().min(2).max(4000),
  files: stepFiles,
});
export const bulkAssignBody = z.object({
  ids: z.array(z.number().int().positive()).min(1).max(200),
  ownerUnitId: z.number().int().positive(),
  reason: z.string().trim().max(1000).nullish(),
});

export const listQuery = z.object({
  state: z.string().optional(),
  open: queryBoolean().optional(),
  sla: z.enum(['due_soon', 'overdue', 'escalated']).optional(),
  unit: queryId().optional(),
  county: z.string().optional(),
  cluster: z.string().optional(),
  category: z.enum(CATEGORIES).optional(),
  channel: z.enum(CHANNELS).optional(),
  mine: queryBoolean().optional(),
  /** pending: requests where one of the caller's units owes its 协办 input */
  assist: z.enum(['pending']).optional(),
  q: z.string().max(100).optional(),
  page: queryInt({ min: 1 }).default(1),
  pageSize: queryInt({ min: 1, max: 200 }).default(50),
});
export type ListQuery = z.infer<typeof listQuery>;

export const requestSchema = z.object({
  id: z.number(),
  code: z.string(),
  enterpriseId: z.number(),
  enterpriseName: z.string(),
  regionCode: z.string(),
  clusterCode: z.string().nullable(),
  nature: z.string(),
  category: z.string(),
  chainCommon: z.boolean(),
  level: z.string(),
  complex: z.boolean(),
  channel: z.string(),
  title: z.string(),
  description: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  tags: z.array(z.string()),
  receivedAt: z.string(),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
  directAnswer: z.boolean(),
  answeredOnTime: z.boolean().nullable(),
  rating: z.string().nullable(),
  ratingNote: z.string().nullable(),
  contestCount: z.number(),
  reopenCount: z.number(),
  mergedInto: z.number().nullable(),
  item: workItemViewSchema,
  /** the caller's own 协办 duty on this request, if one of its units co-handles it */
  myAssist: z
    .object({
      unitId: z.number(),
      dueAt: z.string().nullable(),
      doneAt: z.string().nullable(),
      level: z.string(),
      sla: z.string(),
    })
    .nullable()
    .optional(),
});
export type RequestView = z.infer<typeof requestSchema>;

export const requestListSchema = z.object({
  items: z.array(requestSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export const requestDetailSchema = z.object({
  request: requestSchema,
  history: z.array(workItemEventSchema),
  assists: z.array(
    z.object({
      unitId: z.number(),
      unitName: z.string(),
      dueAt: z.string().nullable(),
      doneAt: z.string().nullable(),
      note: z.string().nullable(),
      /** normal | due_soon | overdue | urged | escalated, from the same marks as every deadline */
      level: z.string(),
      sla: z.string(),
      /** one of the caller's units: it may hand in the input */
      mine: z.boolean(),
    }),
  ),
  files: z.array(
    z.object({
      id: z.number(),
      stage: z.string(),
      fileName: z.string(),
      contentType: z.string(),
      sizeBytes: z.number(),
      sha256: z.string(),
      uploadedByName: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  /** the transitions the caller may fire now */
  actions: z.array(
    z.object({
      name: z.string(),
      zh: z.string(),
      en: z.string(),
      reasonRequired: z.boolean(),
      assigns: z.boolean(),
    }),
  ),
  suggestedUnit: z.object({ unitId: z.number().nullable(), zh: z.string(), en: z.string() }).nullable(),
});
export type RequestDetail = z.infer<typeof requestDetailSchema>;

export const duplicateListSchema = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      code: z.string(),
      title: z.string(),
      state: z.string(),
      similarity: z.number(),
    }),
  ),
});

export const statsQuery = z.object({
  from: queryMonth().optional(),
  to: queryMonth().optional(),
  by: z.enum(['channel', 'unit', 'county', 'cluster', 'category', 'month']).default('month'),
});

const rateRow = z.object({
  key: z.string().nullable(),
  label: z.string(),
  received: z.number(),
  direct: z.number(),
  closed: z.number(),
  closedOnTime: z.number(),
  rated: z.number(),
  satisfied: z.number(),
  directRate: z.number().nullable(),
  closeRate: z.number().nullable(),
  onTimeRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
});
export const statsSchema = z.object({
  from: z.string(),
  to: z.string(),
  by: z.string(),
  total: rateRow,
  rows: z.array(rateRow),
  definitions: z.record(z.string(), z.string()),
  /** whose requests are counted: the city, the user's county or cluster, or the units it acts for */
  scope: z.object({ kind: z.string(), zh: z.string(), key: z.string().nullable() }).optional(),
});
export type Stats = z.infer<typeof statsSchema>;

export const scoresSchema = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(
    z.object({
      unitId: z.number(),
      unitName: z.string(),
      group: z.enum(['county', 'department']),
      assigned: z.number(),
      timelyReceipt: z.number().nullable(),
      onTime: z.number().nullable(),
      satisfaction: z.number().nullable(),
      returnRate: z.number().nullable(),
      redoRate: z.number().nullable(),
      score: z.number().nullable(),
      rank: z.number().nullable(),
      board: z.enum(['red', 'black']).nullable(),
    }),
  ),
  method: z.string(),
});

export const recurringSchema = z.object({
  items: z.array(
    z.object({
      clusterCode: z.string().nullable(),
      tag: z.string(),
      firms: z.number(),
      requests: z.number(),
    }),
  ),
  minFirms: z.number(),
});

/** a fixed term of the service vocabulary: its key, Chinese name and English name */
const vocabSchema = z.object({ key: z.string(), zh: z.string(), en: z.string() });

export const metaSchema = z.object({
  natures: z.array(vocabSchema),
  categories: z.array(vocabSchema),
  channels: z.array(vocabSchema),
  ratings: z.array(vocabSchema),
  levels: z.array(vocabSchema),
  units: z.array(z.object({ id: z.number(), name: z.string(), kind: z.string() })),
  /** every unit's English name by its Chinese name (the answers name units in Chinese) */
  unitNamesEn: z.record(z.string(), z.string()),
  myUnits: z.array(z.object({ id: z.number(), name: z.string(), kind: z.string() })),
  timeLimits: z.record(z.string(), z.object({ value: z.number(), source: z.string() })),
});
