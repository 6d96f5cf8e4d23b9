import { z } from 'zod';

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['pglite', 'postgres']),
  schemaVersion: z.string(),
  migrationsApplied: z.number(),
  city: z.string(),
  demoData: z.boolean(),
  version: z.string(),
});
export type Health = z.infer<typeof healthSchema>;

/** RFC 9457 problem details, with the message a user can act on in Chinese and English. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  detailZh: z.string().optional(),
  errors: z
    .array(z.object({ field: z.string(), message: z.string(), messageZh: z.string().optional() }))
    .optional(),
});
export type Problem = z.infer<typeof problemSchema>;
