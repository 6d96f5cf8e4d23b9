// The county assessment's API shapes (shared with the web). An assessment is an edition (kind
// 'county_assessment', key 'county-<year>') whose body holds the scheme, the 加扣分/一票否决 items and the
// result computed on the draft; published, the body never changes.
import { z } from 'zod';
import { queryInt } from '../../domain/query-params.ts';
import { editionSchema, editionSummarySchema, editionTransitionBody } from '../editions/schemas.ts';

export { editionTransitionBody };

const indicator = z.object({
  key: z.string().regex(/^[a-z0-9_]+$/),
  nameZh: z.string().min(1).max(60),
  unit: z.string().max(20),
  direction: z.enum(['higher', 'lower']),
  weight: z.number().min(0).max(100).optional(),
  source: z.string().max(200),
  base: z.number(),
  target: z.number(),
  basis: z.string().max(300),
  process: z.boolean().optional(),
  /** a county's own 基数值/目标值 (progress against its own base), keyed by region code */
  counties: z
    .record(z.string().regex(/^\d{6}$/), z.object({ base: z.number(), target: z.number() }))
    .optional(),
});

export const schemeSchema = z.object({
  key: z.string(),
  version: z.number().int(),
  cap: z.number().min(1).max(2),
  tierBoundsYiYuan: z.tuple([z.number().positive(), z.number().positive()]),
  dimensions: z
    .array(
      z.object({
        key: z.string().regex(/^[a-z0-9_]+$/),
        nameZh: z.string().min(1).max(40),
        weight: z.number().min(0).max(100),
        indicators: z.array(indicator).min(1).max(20),
      }),
    )
    .min(1)
    .max(8),
  vetoItems: z.array(z.object({ key: z.string(), nameZh: z.string(), source: z.string() })),
  advanced: z.object({ perTier: z.number().int().min(0).max(10), minScore: z.number().min(0).max(150) }),
  listSize: z.number().int().min(1).max(5),
  note: z.string().optional(),
  /** within size tiers (default) or city-wide (fair when counties have their own base/target lines) */
  ranking: z.enum(['tiers', 'citywide']).optional(),
});
export type SchemeBody = z.infer<typeof schemeSchema>;

export const adjustmentSchema = z.object({
  regionCode: z.string().min(6).max(12),
  kind: z.enum(['bonus', 'penalty', 'veto']),
  points: z.number().min(0).max(10),
  reason: z.string().trim().min(2).max(300),
  item: z.string().max(60).optional(),
});

const provenance = z.object({
  source: z.string(),
  basis: z.string(),
  inputs: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  refs: z.array(z.string()),
});

const indicatorLine = z.object({
  key: z.string(),
  nameZh: z.string(),
  unit: z.string(),
  direction: z.enum(['higher', 'lower']),
  value: z.number().nullable(),
  base: z.number(),
  target: z.number(),
  share: z.number(),
  weight: z.number(),
  points: z.number(),
  process: z.boolean(),
  provenance,
  missing: z.string().nullable(),
});

const dimensionLine = z.object({
  key: z.string(),
  nameZh: z.string(),
  weight: z.number(),
  score: z.number(),
  contribution: z.number(),
});

export const countyResultSchema = z.object({
  regionCode: z.string(),
  name: z.string(),
  tier: z.string(),
  outputPrevYiYuan: z.number(),
  total: z.number(),
  rank: z.number(),
  vetoed: z.boolean(),
  advanced: z.boolean(),
  dimensions: z.array(dimensionLine),
  indicators: z.array(indicatorLine),
  adjustments: z.array(adjustmentSchema),
  sensitivity: z.object({ best: z.number(), worst: z.number() }),
});
export type CountyResultRow = z.infer<typeof countyResultSchema>;

const listEntry = z.object({
  indicator: z.string(),
  nameZh: z.string(),
  unit: z.string(),
  red: z.array(z.object({ regionCode: z.string(), name: z.string(), value: z.number() })),
  black: z.array(z.object({ regionCode: z.string(), name: z.string(), value: z.number() })),
});

export const resultSchema = z.object({
  computedAt: z.string(),
  /** the last month of the year the facts reach (1–12) */
  throughMonth: z.number().nullable(),
  counties: z.array(countyResultSchema),
  sensitivity: z.array(
    z.object({
      dimension: z.string(),
      nameZh: z.string(),
      change: z.number(),
      weights: z.record(z.string(), z.number()),
      ranks: z.record(z.string(), z.number()),
    }),
  ),
  delta: z.number(),
  redBlack: z.array(listEntry),
});

export const assessmentBodySchema = z.object({
  year: z.number().int(),
  scheme: schemeSchema,
  adjustments: z.array(adjustmentSchema),
  result: resultSchema,
});
export type AssessmentBody = z.infer<typeof assessmentBodySchema>;

/** A ranking row: what every reader sees (no indicator values, no provenance). */
export const rankingRowSchema = countyResultSchema.omit({ indicators: true, adjustments: true }).extend({
  /** whether the asking user may open the county's detail page */
  detail: z.boolean(),
});

export const assessmentEditionSchema = editionSchema(z.unknown())
  .omit({ body: true })
  .extend({
    year: z.number(),
    scheme: schemeSchema,
    computedAt: z.string(),
    throughMonth: z.number().nullable(),
    ranking: z.array(rankingRowSchema),
    sensitivity: resultSchema.shape.sensitivity,
    delta: z.number(),
    redBlack: z.array(listEntry),
    /** 加扣分 and 一票否决 items (city readers only; a county sees its own on its page) */
    adjustments: z.array(adjustmentSchema),
    currentId: z.number().nullable(),
  });
export type AssessmentEdition = z.infer<typeof assessmentEditionSchema>;

export const assessmentListSchema = z.object({
  items: z.array(editionSummarySchema.extend({ year: z.number() })),
});

export const countyDetailSchema = z.object({
  editionId: z.number(),
  version: z.number(),
  status: z.string(),
  title: z.string(),
  year: z.number(),
  publishedAt: z.string().nullable(),
  computedAt: z.string(),
  throughMonth: z.number().nullable(),
  counties: z.number(),
  county: countyResultSchema,
  /** the ranks this county gets when each dimension weight moves ±delta */
  sensitivity: z.array(
    z.object({ dimension: z.string(), nameZh: z.string(), change: z.number(), rank: z.number() }),
  ),
});
export type CountyDetail = z.infer<typeof countyDetailSchema>;

export const createBody = z
  .object({
    year: z.number().int().min(2015).max(2100),
    title: z.string().trim().min(2).max(100).optional(),
    reason: z.string().trim().max(2000).optional(),
  })
  .strict();

export const updateBody = z
  .object({
    title: z.string().trim().min(2).max(100).optional(),
    reason: z.string().trim().max(2000).optional(),
    scheme: schemeSchema.optional(),
    adjustments: z.array(adjustmentSchema).max(200).optional(),
  })
  .strict();

/**
 * The years an assessment can be drafted for: the full years of monthly facts, newest first, and the newest
 * (the facts' latest full year, the year the page drafts by default; null without facts).
 */
export const assessmentYearsSchema = z.object({
  latest: z.number().int().nullable(),
  years: z.array(z.number().int()),
});

export const processQuery = z.object({
  year: queryInt({ min: 2015, max: 2100 }),
  month: queryInt({ min: 1, max: 12 }).optional(),
});

export const processSchema = z.object({
  year: z.number(),
  month: z.number().nullable(),
  indicators: z.array(
    z.object({
      key: z.string(),
      nameZh: z.string(),
      unit: z.string(),
      base: z.number(),
      target: z.number(),
      basis: z.string(),
      source: z.string(),
    }),
  ),
  counties: z.array(
    z.object({
      regionCode: z.string(),
      name: z.string(),
      values: z.record(z.string(), z.number().nullable()),
    }),
  ),
  redBlack: z.array(listEntry),
});
export type ProcessView = z.infer<typeof processSchema>;
