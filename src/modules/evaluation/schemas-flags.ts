// Shared with the web app: the adjustment flags (调整标记) of the 亩均 evaluation.
import { z } from 'zod';
import { queryId, queryInt } from '../../domain/query-params.ts';
import { FLAG_KEYS } from '../../domain/evaluation/flags.ts';

export const flagEnum = z.enum(FLAG_KEYS);

export const flagQuery = z.object({
  year: queryInt({ min: 2000, max: 2100 }).optional(),
  enterpriseId: queryId().optional(),
  flag: flagEnum.optional(),
  page: queryInt({ min: 1 }).default(1),
  pageSize: queryInt({ min: 1, max: 500 }).default(50),
});

export const flagRowSchema = z.object({
  enterpriseId: z.number(),
  uscc: z.string(),
  name: z.string(),
  regionCode: z.string(),
  year: z.number(),
  flag: flagEnum,
  flagZh: z.string(),
  evidence: z.string().nullable(),
  importId: z.number().nullable(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string(),
});
export type FlagRowDto = z.infer<typeof flagRowSchema>;
/** One page of the flags; `total` counts every flag matching the query in the reader's scope. */
export const flagListSchema = z.object({
  items: z.array(flagRowSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export const flagParams = z.object({
  enterpriseId: queryId(),
  year: queryInt({ min: 2000, max: 2100 }),
  flag: flagEnum,
});

/** Set or clear a flag; the evidence (文号, 通报, 认定文件 …) is required either way. */
export const flagSetBody = z.object({
  set: z.boolean(),
  evidence: z.string().trim().min(2).max(1000),
});
export const flagSetSchema = z.object({ ok: z.literal(true), changed: z.boolean() });
