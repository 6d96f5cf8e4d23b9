// Shared with the web app: rule sets, runs, results, explanations, objections, watch list, simulator.
import { z } from 'zod';
import { dateText, queryBoolean, queryId, queryInt } from '../../domain/query-params.ts';
import {
  CLASSES,
  INDICATOR_KEYS,
  POLICY_DEPARTMENTS,
  POLICY_KINDS,
  SCALE_GROUPS,
} from '../../domain/evaluation/types.ts';

const classEnum = z.enum(CLASSES);
const scaleEnum = z.enum(SCALE_GROUPS);
const indicatorEnum = z.enum(INDICATOR_KEYS);

const indicatorRule = z.object({
  key: indicatorEnum,
  weight: z.number().min(0).max(1000),
  cap: z.number().positive().nullable(),
  ifDenominatorMissing: z.enum(['zero', 'groupMeanScore']),
});
const cuts = z.object({ A: z.number(), B: z.number(), C: z.number() });
const groupRules = z.object({
  indicators: z.array(indicatorRule).min(1).max(INDICATOR_KEYS.length),
  classification: z.object({ method: z.enum(['position', 'score']), cuts }),
});

/** A rule set as data (src/domain/evaluation/types.ts RuleSet). */
export const ruleSetDefinition = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  population: z.object({
    excludeDivisions: z.array(z.string().regex(/^\d{2}$/)),
    minLandMu: z.object({ above: z.number().min(0), below: z.number().min(0) }),
  }),
  groupByIndustryDivision: z.boolean(),
  emissionWeights: z.object({
    cod: z.number().min(0),
    ammoniaNitrogen: z.number().min(0),
    so2: z.number().min(0),
    nox: z.number().min(0),
  }),
  benchmark: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('mean'), factor: z.number().positive() }),
    z.object({ kind: z.literal('max') }),
    z.object({ kind: z.literal('fixed'), values: z.record(z.string(), z.record(z.string(), z.number())) }),
    z.object({ kind: z.literal('minmax'), floor: z.number().min(0).max(100) }),
  ]),
  groups: z.object({ above: groupRules, below: groupRules }),
  adjustments: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      kind: z.enum(['bonus', 'penalty', 'veto', 'protect']),
      attribute: z.string(),
      points: z.number().optional(),
      freeUnits: z.number().optional(),
      firstUnitPoints: z.number().optional(),
      classLimit: classEnum.optional(),
      scales: z.array(scaleEnum).optional(),
    }),
  ),
  exemptions: z.array(z.object({ id: z.string(), label: z.string(), attribute: z.string() })),
  policies: z.array(
    z.object({
      id: z.string(),
      class: classEnum,
      kind: z.enum(POLICY_KINDS),
      value: z.number(),
      unit: z.string(),
      label: z.string(),
      consecutiveYears: z.number().int().min(1).optional(),
      rate: z.number().min(0).optional(),
      department: z.enum(POLICY_DEPARTMENTS).optional(),
      source: z.string().max(1000).optional(),
    }),
  ),
  watch: z.object({
    threeYearTaxPerMu: z.object({ above: z.number(), below: z.number() }),
    classes: z.array(classEnum),
  }),
  blanks: z.enum(['zero', 'excluded']).optional(),
  zeroTotalIsD: z.boolean().optional(),
  aPlus: z.object({ share: z.number().gt(0).lt(1) }).optional(),
});

export const ruleSetSchema = z.object({
  id: z.number(),
  code: z.string(),
  version: z.number(),
  regionCode: z.string(),
  year: z.number().nullable(),
  name: z.string(),
  preset: z.string().nullable(),
  reason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  latest: z.boolean(),
  definition: ruleSetDefinition,
});
export type RuleSetRow = z.infer<typeof ruleSetSchema>;
export const ruleSetListSchema = z.object({ items: z.array(ruleSetSchema) });

export const ruleSetVersionBody = z.object({
  definition: ruleSetDefinition,
  reason: z.string().trim().min(2).max(1000),
  regionCode: z.string().optional(),
  year: z.number().int().min(2000).max(2100).nullable().optional(),
});

export const RUN_STATUSES = ['draft', 'review', 'published'] as const;
export const runSchema = z.object({
  id: z.number(),
  year: z.number(),
  regionCode: z.string(),
  ruleSetId: z.number(),
  ruleSetName: z.string(),
  ruleSetVersion: z.number(),
  status: z.enum(RUN_STATUSES),
  version: z.number(),
  supersedesRunId: z.number().nullable(),
  supersededByRunId: z.number().nullable(),
  reason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  summary: z.object({
    population: z.number(),
    evaluated: z.number(),
    excluded: z.number(),
    classes: z.record(z.string(), z.number()),
    /** of class A, how many are A+ (rule sets with the A+ option only) */
    aPlus: z.number().optional(),
    exclusions: z.record(z.string(), z.number()),
    seconds: z.number(),
  }),
  indicators: z.object({ above: z.array(indicatorEnum), below: z.array(indicatorEnum) }),
});
export type Run = z.infer<typeof runSchema>;
export const runListSchema = z.object({ items: z.array(runSchema) });
/**
 * The years the evaluation has something in (annual inputs, or a run the reader may see), newest first, and
 * the newest of them: the year the runs, watch-list and simulator pages open on (null: nothing yet).
 */
export const evaluationYearsSchema = z.object({
  latest: z.number().int().nullable(),
  years: z.array(z.number().int()),
});

export const runCreateBody = z.object({
  year: z.number().int().min(2000).max(2100),
  /** city code (default) or a county */
  regionCode: z.string().optional(),
  ruleSetId: z.number().int().positive().optional(),
});
export const runCorrectBody = z.object({
  reason: z.string().trim().min(2).max(1000),
  ruleSetId: z.number().int().positive().optional(),
});

export const resultQuery = z.object({
  class: classEnum.optional(),
  county: z.string().optional(),
  cluster: z.string().optional(),
  scale: scaleEnum.optional(),
  evaluated: queryBoolean().optional(),
  q: z.string().trim().max(100).optional(),
  page: queryInt({ min: 1 }).default(1),
  pageSize: queryInt({ min: 1, max: 500 }).default(50),
});
export type ResultQuery = z.infer<typeof resultQuery>;

export const resultRowSchema = z.object({
  enterpriseId: z.number(),
  uscc: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  scale: scaleEnum,
  evaluated: z.boolean(),
  exclusion: z.string().nullable(),
  exclusionZh: z.string().nullable(),
  indicators: z.array(z.object({ key: indicatorEnum, value: z.number().nullable(), score: z.number() })),
  total: z.number().nullable(),
  rank: z.number().nullable(),
  groupSize: z.number().nullable(),
  class: classEnum.nullable(),
  /** A+ on top of class A */
  aPlus: z.boolean(),
});
export type ResultRow = z.infer<typeof resultRowSchema>;
export const resultListSchema = z.object({
  items: z.array(resultRowSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

const appliedRule = z.object({ code: z.string(), zh: z.string(), en: z.string() });
const policySchema = z.object({
  id: z.string(),
  class: classEnum,
  kind: z.string(),
  value: z.number(),
  unit: z.string(),
  label: z.string(),
  consecutiveYears: z.number().optional(),
  rate: z.number().optional(),
  source: z.string().optional(),
});
const policyWithAmount = policySchema.extend({
  department: z.enum(POLICY_DEPARTMENTS),
  /** null: the platform has no input for it (water use) or the policy has no amount */
  amount: z.number().nullable(),
  amountUnit: z.string(),
  /** the computation with its inputs */
  formula: z.string(),
});
export const explanationSchema = z.object({
  runId: z.number(),
  year: z.number(),
  runStatus: z.enum(RUN_STATUSES),
  enterprise: z.object({ id: z.number(), uscc: z.string(), name: z.string(), regionCode: z.string() }),
  evaluated: z.boolean(),
  exclusion: z.object({ code: z.string(), zh: z.string(), en: z.string() }).nullable(),
  scale: scaleEnum,
  groupKey: z.string().nullable(),
  groupSize: z.number(),
  indicators: z.array(
    z.object({
      key: indicatorEnum,
      zh: z.string(),
      unit: z.string(),
      value: z.number().nullable(),
      benchmark: z.number().nullable(),
      weight: z.number(),
      score: z.number(),
      rank: z.number(),
      rule: appliedRule,
    }),
  ),
  adjustments: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      kind: z.string(),
      attribute: z.string(),
      points: z.number(),
      classBefore: classEnum.nullable(),
      classAfter: classEnum.nullable(),
      changed: z.boolean(),
    }),
  ),
  classRule: appliedRule.nullable(),
  /** the rule-set version the run used (provenance of every number shown) */
  ruleSet: z.object({ id: z.number(), code: z.string(), version: z.number(), name: z.string() }),
  /** the flags the run evaluated with (zh labels) */
  flags: z.array(z.object({ key: z.string(), zh: z.string() })),
  adjustmentPoints: z.number(),
  total: z.number().nullable(),
  rank: z.number().nullable(),
  position: z.number().nullable(),
  class: classEnum.nullable(),
  classification: z.object({ method: z.string(), cuts }),
  nextClass: classEnum.nullable(),
  moveUp: z.array(
    z.object({
      lever: z.string(),
      zh: z.string(),
      en: z.string(),
      current: z.number().nullable(),
      required: z.number(),
      change: z.number(),
    }),
  ),
  /** A+ on top of class A */
  aPlus: z.boolean(),
  policies: z.array(policyWithAmount),
});
export type ExplanationDto = z.infer<typeof explanationSchema>;

export const objectionBody = z.object({
  enterpriseId: z.number().int().positive(),
  text: z.string().trim().min(2).max(4000),
  evidence: z.string().trim().min(2).max(20000),
});
export const objectionResolveBody = z.object({
  status: z.enum(['upheld', 'rejected']),
  resolution: z.string().trim().min(2).max(4000),
});
export const objectionSchema = z.object({
  id: z.number(),
  runId: z.number(),
  enterpriseId: z.number(),
  enterpriseName: z.string(),
  filedByName: z.string(),
  text: z.string(),
  evidence: z.string(),
  status: z.enum(['open', 'upheld', 'rejected']),
  resolution: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Objection = z.infer<typeof objectionSchema>;
export const objectionListSchema = z.object({ items: z.array(objectionSchema) });
export const objectionQuery = z.object({
  runId: queryId().optional(),
  status: z.enum(['open', 'upheld', 'rejected']).optional(),
});

export const classCountsQuery = z.object({ by: z.enum(['county', 'cluster']).default('county') });
export const classCountsSchema = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      scale: scaleEnum,
      A: z.number(),
      B: z.number(),
      C: z.number(),
      D: z.number(),
      excluded: z.number(),
    }),
  ),
});

export const policyListQuery = z.object({
  class: classEnum.optional(),
  department: z.enum(POLICY_DEPARTMENTS).optional(),
  page: queryInt({ min: 1 }).default(1),
  pageSize: queryInt({ min: 1, max: 500 }).default(50),
});
export const ledgerQuery = z.object({ department: z.enum(POLICY_DEPARTMENTS) });
export const policyListSchema = z.object({
  runId: z.number(),
  year: z.number(),
  ruleSet: z.object({ code: z.string(), version: z.number() }),
  items: z.array(
    z.object({
      enterpriseId: z.number(),
      uscc: z.string(),
      name: z.string(),
      regionCode: z.string(),
      regionName: z.string(),
      class: classEnum,
      aPlus: z.boolean(),
      consecutiveYears: z.number(),
      policies: z.array(policyWithAmount),
    }),
  ),
  /** firms on the whole list; `items` is one page of them */
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** per policy over the whole list (not only the page): how many firms, the summed amount */
  summary: z.array(
    z.object({
      policy: policySchema.extend({ department: z.enum(POLICY_DEPARTMENTS), amountUnit: z.string() }),
      firms: z.number(),
      amount: z.number(),
    }),
  ),
});
export type PolicyListDto = z.infer<typeof policyListSchema>;

export const classTrendSchema = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      year: z.number(),
      A: z.number(),
      /** of A, how many are A+ */
      aPlus: z.number(),
      B: z.number(),
      C: z.number(),
      D: z.number(),
      runIds: z.array(z.number()),
    }),
  ),
});
export type ClassTrendDto = z.infer<typeof classTrendSchema>;

export const aggregateQuery = z.object({ by: z.enum(['region', 'zone', 'cluster']).default('region') });
export const aggregateSchema = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      year: z.number(),
      enterprises: z.number(),
      landMu: z.number(),
      taxPerMu: z.number().nullable(),
      valueAddedPerMu: z.number().nullable(),
    }),
  ),
});

export const HANDLING_STATUSES = ['pending', 'in_progress', 'done'] as const;
/** One page of a long list (the web's tables ask page by page; exports stay whole downloads). */
const pageFields = {
  page: queryInt({ min: 1 }).default(1),
  pageSize: queryInt({ min: 1, max: 500 }).default(50),
};
export const watchQuery = z.object({
  year: queryInt({ min: 2000, max: 2100 }),
  county: z.string().optional(),
  ...pageFields,
});
export const watchRowSchema = z.object({
  enterpriseId: z.number(),
  uscc: z.string(),
  name: z.string(),
  regionCode: z.string(),
  scale: scaleEnum,
  taxPerMu3y: z.number().nullable(),
  class: classEnum.nullable(),
  reasons: z.array(z.enum(['low_tax', 'class'])),
  handling: z
    .object({
      status: z.enum(HANDLING_STATUSES),
      owner: z.string().nullable(),
      deadline: z.string().nullable(),
      progress: z.string().nullable(),
      updatedBy: z.string(),
      updatedAt: z.string(),
    })
    .nullable(),
});
export const watchListSchema = z.object({
  year: z.number(),
  runId: z.number().nullable(),
  items: z.array(watchRowSchema),
  /** every firm on the list in the reader's scope; `items` is one page of them */
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export const watchHandlingBody = z.object({
  status: z.enum(HANDLING_STATUSES),
  owner: z.string().trim().max(200).nullable().optional(),
  deadline: dateText().nullable().optional(),
  progress: z.string().trim().max(4000).nullable().optional(),
});

export const simulateQuery = z.object({
  year: queryInt({ min: 2000, max: 2100 }),
  regionCode: z.string().optional(),
  a: queryId(),
  b: queryId(),
});
export const simulationSchema = z.object({
  evaluated: z.object({ a: z.number(), b: z.number() }),
  labels: z.array(z.string()),
  matrix: z.array(z.array(z.number())),
  moverCount: z.number(),
  movers: z.array(
    z.object({
      enterpriseId: z.number(),
      name: z.string(),
      from: z.string(),
      to: z.string(),
      rankFrom: z.number().nullable(),
      rankTo: z.number().nullable(),
      totalFrom: z.number().nullable(),
      totalTo: z.number().nullable(),
    }),
  ),
  sensitivity: z.array(
    z.object({
      scale: scaleEnum,
      key: indicatorEnum,
      weight: z.number(),
      meanAbsRankChange: z.number(),
      maxAbsRankChange: z.number(),
      classChanges: z.number(),
    }),
  ),
});

// The rule-set editor's preview (a definition not yet saved, on the latest year).
export const previewBody = z.object({
  definition: ruleSetDefinition,
  /** default: the latest year with annual inputs */
  year: z.number().int().min(2000).max(2100).optional(),
  regionCode: z.string().optional(),
});

export const previewSchema = simulationSchema.extend({
  year: z.number(),
  regionCode: z.string(),
  base: z.object({ id: z.number(), code: z.string(), version: z.number(), name: z.string() }),
});
export type Preview = z.infer<typeof previewSchema>;

// Evidence files of objections live in their own file; re-exported so the web reads one shared entry.
export * from './schemas-evidence.ts';
