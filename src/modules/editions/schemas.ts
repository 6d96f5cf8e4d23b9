// The shape of an edition as the API answers it (shared with the web). A capability wraps `editionSchema`
// with the Zod schema of its own body.
import { z } from 'zod';
import { EDITION_ACTIONS, EDITION_STATUSES } from '../../domain/editions/index.ts';

export const editionStatusSchema = z.enum(EDITION_STATUSES);
export const editionActionSchema = z.enum(EDITION_ACTIONS);

const stamp = z.object({ id: z.number().nullable(), name: z.string().nullable(), at: z.string().nullable() });

export function editionSchema<B extends z.ZodTypeAny>(body: B) {
  return z.object({
    id: z.number(),
    kind: z.string(),
    key: z.string(),
    version: z.number(),
    status: editionStatusSchema,
    title: z.string(),
    body,
    reason: z.string().nullable(),
    basedOnId: z.number().nullable(),
    note: z.string().nullable(),
    created: stamp,
    submitted: stamp,
    reviewed: stamp,
    published: stamp,
    withdrawn: stamp,
    /** the published edition that replaced this one */
    supersededById: z.number().nullable(),
    /** what the asking user may do now (four eyes applied); the capability's grants narrow it further */
    actions: z.array(editionActionSchema),
  });
}

export const editionSummarySchema = editionSchema(z.unknown()).omit({ body: true });
export type EditionSummary = z.infer<typeof editionSummarySchema>;

/** A transition request: return and withdraw may carry a note, a correction its reason. */
export const editionTransitionBody = z.object({
  action: z.enum(['submit', 'return', 'review', 'publish', 'withdraw']),
  note: z.string().trim().max(2000).optional(),
});
