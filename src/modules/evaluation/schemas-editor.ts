// Shared with the web app: the rule-set editor's preview (a definition not yet saved, on the latest year).
import { z } from 'zod';
import { ruleSetDefinition, simulationSchema } from './schemas.ts';

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
