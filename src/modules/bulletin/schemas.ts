// The monthly bulletin's API shapes, shared with the web app.
import { z } from 'zod';
import { SCOPE_KINDS } from '../../domain/bulletin/template.ts';
import { monthText, queryMonth } from '../../domain/query-params.ts';

const month = monthText();
const stamp = z.object({ id: z.number().nullable(), name: z.string().nullable(), at: z.string().nullable() });

export const BULLETIN_STATUSES = ['pending', 'draft', 'submitted', 'published', 'failed'] as const;

export const bulletinSchema = z.object({
  id: z.number(),
  month: z.string(),
  scopeKind: z.enum(SCOPE_KINDS),
  scopeCode: z.string().nullable(),
  scopeName: z.string(),
  status: z.enum(BULLETIN_STATUSES),
  /** the background job: queued, running, or null when none */
  job: z.enum(['queued', 'running']).nullable(),
  progress: z.number(),
  stage: z.string().nullable(),
  error: z.string().nullable(),
  trigger: z.enum(['auto', 'manual']),
  commentary: z.string(),
  demoData: z.boolean(),
  generatedAt: z.string().nullable(),
  generationMs: z.number().nullable(),
  /** milliseconds per stage of the last generation: data.<section>, html, pdf (pdf.browser), xlsx, store */
  timings: z.record(z.string(), z.number()).nullable(),
  files: z.array(z.object({ format: z.enum(['pdf', 'xlsx']), bytes: z.number() })),
  created: stamp,
  submitted: stamp,
  published: stamp,
  /** what the asking user may do now (policy, state and four eyes applied) */
  actions: z.array(z.enum(['editCommentary', 'submit', 'publish', 'return', 'retry'])),
});
export type Bulletin = z.infer<typeof bulletinSchema>;

export const bulletinListSchema = z.object({ items: z.array(bulletinSchema) });

export const bulletinListQuery = z.object({
  month: queryMonth().optional(),
  scopeKind: z.enum(SCOPE_KINDS).optional(),
});

export const bulletinRequestBody = z.object({
  month,
  scopeKind: z.enum(SCOPE_KINDS),
  /** the county's region code or the cluster's code; absent for the city */
  scopeCode: z.string().trim().min(1).max(40).optional(),
});
export type BulletinRequest = z.infer<typeof bulletinRequestBody>;

export const commentaryBody = z.object({ commentary: z.string().max(20_000) });
export const returnBody = z.object({ note: z.string().trim().max(2000).optional() });

/** What the user may generate: the months on record and the scopes in their reach. */
export const bulletinOptionsSchema = z.object({
  latestMonth: z.string().nullable(),
  months: z.array(z.string()),
  scopes: z.array(z.object({ kind: z.enum(SCOPE_KINDS), code: z.string().nullable(), name: z.string() })),
});
export type BulletinOptions = z.infer<typeof bulletinOptionsSchema>;
