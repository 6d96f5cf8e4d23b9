// Shared with the web app: the index framework (an edition's body), results, comparisons, drill-down,
// settings and the public view of the cluster index (issue 19).
import { z } from 'zod';
import { dateText, queryId } from '../../domain/query-params.ts';
import { AGGREGATIONS, MISSING_TREATMENTS, NORMALISATIONS } from '../../domain/cluster-index/types.ts';
import { editionSchema, editionTransitionBody } from '../editions/schemas.ts';
import { METRICS, REPORTED_METRIC } from './metric-names.ts';

const key = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/)
  .max(60);
const label = z.string().min(1).max(200);
// a platform metric, or `reported:<code>` (a reported value)
const metric = z.union([z.enum(METRICS), z.string().regex(REPORTED_METRIC)]);

export const frameworkSchema = z.object({
  name: label,
  nameEn: z.string().max(200),
  description: z.string().max(4000),
  dimensions: z
    .array(
      z.object({
        key,
        name: label,
        nameEn: z.string().max(200),
        weight: z.number().min(0).max(100),
        source: z.string().max(1000),
      }),
    )
    .min(1)
    .max(10),
  indicators: z
    .array(
      z.object({
        key,
        name: label,
        nameEn: z.string().max(200),
        dimension: key,
        metric,
        unit: z.string().max(20),
        direction: z.union([z.literal(1), z.literal(-1)]),
        weight: z.number().min(0).max(100),
        base: z.number(),
        target: z.number(),
        source: z.string().max(1000),
        inference: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(40),
  normalisation: z.enum(NORMALISATIONS),
  aggregation: z.enum(AGGREGATIONS),
  missing: z.enum(MISSING_TREATMENTS),
  gates: z
    .array(
      z.object({
        key,
        name: label,
        nameEn: z.string().max(200),
        anyOf: z
          .array(z.object({ metric, op: z.enum(['>=', '>', '<=', '<']), threshold: z.number() }))
          .min(1)
          .max(5),
        source: z.string().max(1000),
        inference: z.boolean().optional(),
      }),
    )
    .max(20),
  bands: z.array(z.object({ min: z.number(), label: label, labelEn: z.string().max(200) })).max(10),
  uncertainty: z.object({
    runs: z.number().int().min(10).max(5000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31),
    weightSpread: z.number().min(0).max(0.9),
    normalisations: z.array(z.enum(NORMALISATIONS)).min(1),
    aggregations: z.array(z.enum(AGGREGATIONS)).min(1),
  }),
  minFirms: z.number().int().min(1).max(100),
  sources: z
    .array(
      z.object({ id: z.string().max(60), title: z.string().max(400), url: z.string().max(400).optional() }),
    )
    .max(40),
});

const year = z.number().int().min(2000).max(2100);
/** An edition's body: the framework and the years it is computed for. */
export const editionBodySchema = z.object({
  framework: frameworkSchema,
  years: z
    .object({ from: year, to: year })
    .refine((y) => y.from <= y.to && y.to - y.from <= 10, 'from ≤ to, at most 11 years'),
});
export type EditionBody = z.infer<typeof editionBodySchema>;

export const computationSchema = z.object({
  frequency: z.enum(['year', 'quarter']),
  computedAt: z.string(),
  rows: z.number(),
  dataThrough: z.string().nullable(),
  runs: z.number(),
  seed: z.number(),
  sensitivity: z.record(
    z.string(),
    z.array(z.object({ factor: z.string(), firstOrder: z.number(), meanAbsRankShift: z.number() })),
  ),
});

export const indexEditionSchema = editionSchema(editionBodySchema).extend({
  computations: z.array(computationSchema),
  /** what this edition changes against the edition in force (path, before, after) */
  changes: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
  currentId: z.number().nullable(),
});
export type IndexEdition = z.infer<typeof indexEditionSchema>;

export const editionListSchema = z.object({
  items: z.array(editionSchema(z.unknown()).omit({ body: true })),
  currentId: z.number().nullable(),
});

export const editionCreateBody = z.object({
  /** copy this edition's body (default: the edition in force, else the city's default method) */
  basedOnId: z.number().int().positive().optional(),
  title: z.string().trim().min(1).max(200).optional(),
  reason: z.string().trim().max(2000).optional(),
  framework: frameworkSchema.optional(),
  years: z.object({ from: year, to: year }).optional(),
});
export const editionUpdateBody = z.object({
  title: z.string().trim().min(1).max(200).optional(),
  reason: z.string().trim().max(2000).optional(),
  framework: frameworkSchema.optional(),
  years: z.object({ from: year, to: year }).optional(),
});
export { editionTransitionBody };

export const resultQuery = z.object({
  frequency: z.enum(['year', 'quarter']).default('year'),
  level: z.enum(['cluster', 'county']).default('cluster'),
  period: z
    .string()
    .regex(/^\d{4}(-Q[1-4])?$/)
    .optional(),
  cluster: z.string().max(40).optional(),
});

const num = z.number().nullable();
export const resultRowSchema = z.object({
  period: z.string(),
  clusterCode: z.string(),
  clusterName: z.string(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  firms: z.number(),
  /**
   * withheld outside the officials' view: fewer firms than the framework's minimum, or one firm holds
   * over 60 % of the unit's 营业收入, or the second largest could estimate the largest within 10 %
   */
  suppressed: z.boolean(),
  suppression: z.enum(['frequency', 'dominance', 'p-percent']).nullable(),
  score: num,
  rank: num,
  band: z.string().nullable(),
  dimensions: z.array(z.object({ key: z.string(), score: num, weight: z.number() })),
  indicators: z.array(
    z.object({
      key: z.string(),
      raw: num,
      normalised: num,
      imputed: z.boolean(),
      weight: z.number(),
      contribution: z.number(),
    }),
  ),
  gates: z.array(z.object({ key: z.string(), pass: z.boolean().nullable(), values: z.array(num) })),
  medianRank: num,
  p5Rank: num,
  p95Rank: num,
  medianScore: num,
  p5Score: num,
  p95Score: num,
});
export type ResultRow = z.infer<typeof resultRowSchema>;
export const resultListSchema = z.object({
  editionId: z.number(),
  version: z.number(),
  status: z.string(),
  frequency: z.enum(['year', 'quarter']),
  level: z.enum(['cluster', 'county']),
  periods: z.array(z.string()),
  items: z.array(resultRowSchema),
});
export type ResultList = z.infer<typeof resultListSchema>;

export const firmQuery = z.object({
  frequency: z.enum(['year', 'quarter']).default('year'),
  period: z.string().regex(/^\d{4}(-Q[1-4])?$/),
  cluster: z.string().max(40),
  region: z.string().max(12).optional(),
});
export const firmListSchema = z.object({
  period: z.string(),
  clusterCode: z.string(),
  regionCode: z.string().nullable(),
  /** firms in the user's scope / all firms of the unit */
  shown: z.number(),
  total: z.number(),
  items: z.array(
    z.object({
      enterpriseId: z.number(),
      uscc: z.string(),
      name: z.string(),
      regionCode: z.string(),
      figures: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
    }),
  ),
});

export const compareQuery = z.object({
  a: queryId(),
  b: queryId(),
  frequency: z.enum(['year', 'quarter']).default('year'),
  level: z.enum(['cluster', 'county']).default('cluster'),
  period: z
    .string()
    .regex(/^\d{4}(-Q[1-4])?$/)
    .optional(),
});
export const compareSchema = z.object({
  a: z.object({ id: z.number(), version: z.number(), status: z.string() }),
  b: z.object({ id: z.number(), version: z.number(), status: z.string() }),
  period: z.string().nullable(),
  changes: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
  items: z.array(
    z.object({
      clusterCode: z.string(),
      clusterName: z.string(),
      regionCode: z.string().nullable(),
      regionName: z.string().nullable(),
      scoreA: num,
      scoreB: num,
      rankA: num,
      rankB: num,
    }),
  ),
});

export const settingsSchema = z.object({
  publicView: z.boolean(),
  /** the negative list is kept up to date: its gate counts events (else 无数据) */
  negativeList: z.boolean(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export const settingsBody = z.object({
  publicView: z.boolean().optional(),
  negativeList: z.boolean().optional(),
});

export const publicIndexSchema = z.object({
  edition: z.object({
    id: z.number(),
    version: z.number(),
    title: z.string(),
    publishedAt: z.string().nullable(),
  }),
  framework: z.object({
    name: z.string(),
    description: z.string(),
    dimensions: z.array(z.object({ key: z.string(), name: z.string(), weight: z.number() })),
    indicators: z.array(
      z.object({ key: z.string(), name: z.string(), unit: z.string(), dimension: z.string() }),
    ),
  }),
  periods: z.array(z.string()),
  items: z.array(resultRowSchema),
});

// The method's labels and its one-line summary are shared with the web, which imports only schemas.
export { NORM_ZH, AGG_ZH, MISSING_ZH, methodLines } from '../../domain/cluster-index/method.ts';

// ---------- indicator inputs the bureau enters: reported values and the negative list ----------

const periodLabel = z.string().regex(/^\d{4}(-Q[1-4])?$/);
export const reportedValueBody = z.object({
  /** the `<code>` of an indicator's metric `reported:<code>` */
  code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  period: periodLabel,
  clusterCode: z.string().min(1).max(40),
  /** a county code, or null for the cluster (city) level */
  regionCode: z.string().min(1).max(20).nullable(),
  value: z.number().finite(),
  unit: z.string().max(20).optional(),
  source: z.string().trim().min(1).max(1000),
  note: z.string().max(2000).optional(),
});
export const reportedValueSchema = reportedValueBody.extend({
  unit: z.string().nullable(),
  note: z.string().nullable(),
  enteredBy: z.string(),
  enteredAt: z.string(),
});
export const reportedListSchema = z.object({ items: z.array(reportedValueSchema) });
export const reportedQuery = z.object({
  code: z.string().max(40).optional(),
  period: periodLabel.optional(),
});

export const NEGATIVE_KINDS = ['safety', 'environment', 'credit', 'quality'] as const;
export const negativeEventBody = z.object({
  uscc: z.string().length(18),
  eventDate: dateText(),
  /** 重大安全事故 | 重大环保事故 | 严重失信 | 重大质量事故 */
  kind: z.enum(NEGATIVE_KINDS),
  description: z.string().trim().min(1).max(2000),
  source: z.string().trim().min(1).max(1000),
  /** true: the entry was wrong (kept, marked, audited) */
  withdrawn: z.boolean().optional(),
});
export const negativeEventSchema = negativeEventBody.extend({
  id: z.number(),
  enterpriseId: z.number(),
  name: z.string(),
  withdrawn: z.boolean(),
  enteredBy: z.string(),
  enteredAt: z.string(),
});
export const negativeListSchema = z.object({
  /** the bureau confirmed the list is kept up to date (else the gate shows 无数据) */
  maintained: z.boolean(),
  items: z.array(negativeEventSchema),
});
