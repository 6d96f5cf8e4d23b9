// Enterprise cultivation (企业培育, issue 20): shapes shared with the web.
import { z } from 'zod';
import { queryInt } from '../../domain/query-params.ts';
// the shared schema file, not index.ts: the web imports these schemas and index.ts reaches the database
import { documentFileBody } from '../documents/schemas.ts';

export const STAGE_VALUES = ['candidate', 'nurturing', 'applying', 'recognised', 'rejected'] as const;
export const stageSchema = z.enum(STAGE_VALUES);

export const criterionSchema = z.object({
  key: z.string(),
  labelZh: z.string(),
  labelEn: z.string().optional(),
  metric: z.string().optional(),
  op: z.enum(['>=', '>', '<=', '<']).optional(),
  value: z.number().optional(),
  unit: z.string().optional(),
  testable: z.boolean().optional(),
  note: z.string().optional(),
});

export const librarySchema = z.object({
  key: z.string().regex(/^[a-z0-9_]+$/),
  nameZh: z.string(),
  nameEn: z.string(),
  tier: z.string().nullable(),
  level: z.string(),
  body: z.string(),
  /** the issuing body in English (the UI's second language) */
  bodyEn: z.string().optional(),
  source: z.string(),
  requires: z.array(z.string()).optional(),
  next: z.string().optional(),
  criteria: z.array(criterionSchema).min(1),
});
export type LibraryDef = z.infer<typeof librarySchema>;
export const librariesFileSchema = z.object({
  $comment: z.string().optional(),
  libraries: z.array(librarySchema),
});

export const yearQuery = z.object({
  year: queryInt({ min: 2000, max: 2100 }).optional(),
  cluster: z.string().max(40).optional(),
});

export const librarySummarySchema = z.object({
  library: librarySchema,
  /** firms holding the library's tier (recognised), in the user's scope */
  recognised: z.number().int(),
  /** meet every data-testable criterion and are not recognised */
  candidates: z.number().int(),
  /** miss exactly one data-testable criterion by at most 20 % of its threshold */
  nearCandidates: z.number().int(),
  /** pipeline entries by stage */
  pipeline: z.record(z.string(), z.number().int()),
  /** candidates per cluster (a firm in two clusters counts in both) */
  candidatesByCluster: z.record(z.string(), z.number().int()),
});
export const librariesAnswerSchema = z.object({
  year: z.number().int(),
  /** how the figures were computed: the facts read and the configuration */
  provenance: z.string(),
  libraries: z.array(librarySummarySchema),
});
export type LibrariesAnswer = z.infer<typeof librariesAnswerSchema>;

export const outcomeSchema = z.object({
  key: z.string(),
  status: z.enum(['met', 'missed', 'no_data', 'manual']),
  value: z.number().optional(),
  gap: z.number().optional(),
});

export const candidateSchema = z.object({
  enterpriseId: z.number().int(),
  name: z.string(),
  regionCode: z.string(),
  clusters: z.array(z.string()),
  missing: z.number().int(),
  outcomes: z.array(outcomeSchema),
  stage: stageSchema.nullable(),
  entryId: z.number().int().nullable(),
});
export const candidatesQuery = yearQuery.extend({
  library: z.string().regex(/^[a-z0-9_]+$/),
  /** 0: candidates; 1: also firms missing one criterion by at most 20 % */
  maxMissing: queryInt({ min: 0, max: 1 }).default(0),
});
export const candidatesAnswerSchema = z.object({
  year: z.number().int(),
  library: librarySchema,
  items: z.array(candidateSchema),
});
export type CandidatesAnswer = z.infer<typeof candidatesAnswerSchema>;

export const firmAnswerSchema = z.object({
  year: z.number().int(),
  enterpriseId: z.number().int(),
  name: z.string(),
  metrics: z.record(z.string(), z.number().nullable()),
  held: z.array(z.string()),
  libraries: z.array(
    z.object({
      library: librarySchema,
      recognised: z.boolean(),
      meetsAll: z.boolean(),
      missing: z.number().int(),
      outcomes: z.array(outcomeSchema),
      stage: stageSchema.nullable(),
      entryId: z.number().int().nullable(),
    }),
  ),
});
export type FirmAnswer = z.infer<typeof firmAnswerSchema>;

export const eventSchema = z.object({
  id: z.number().int(),
  fromStage: z.string().nullable(),
  toStage: z.string(),
  note: z.string().nullable(),
  documentId: z.number().int().nullable(),
  documentName: z.string().nullable(),
  username: z.string().nullable(),
  createdAt: z.string(),
});
export const entrySchema = z.object({
  id: z.number().int(),
  enterpriseId: z.number().int(),
  enterpriseName: z.string(),
  regionCode: z.string(),
  library: z.string(),
  stage: stageSchema,
  ownerName: z.string().nullable(),
  year: z.number().int(),
  updatedAt: z.string(),
  /** the moves the user may make now */
  moves: z.array(stageSchema),
  events: z.array(eventSchema),
});
export type Entry = z.infer<typeof entrySchema>;
export const entryListSchema = z.object({ items: z.array(entrySchema.omit({ events: true })) });
export const entryListQuery = z.object({
  library: z
    .string()
    .regex(/^[a-z0-9_]+$/)
    .optional(),
  stage: stageSchema.optional(),
});

export const entryCreateBody = z
  .object({
    enterpriseId: z.number().int().positive(),
    library: z.string().regex(/^[a-z0-9_]+$/),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export const entryMoveBody = z
  .object({
    to: stageSchema,
    note: z.string().trim().max(1000).optional(),
    evidence: documentFileBody.optional(),
  })
  .strict();

export const ladderQuery = z.object({ cluster: z.string().max(40).optional() });
export const ladderAnswerSchema = z.object({
  rungs: z.array(z.number()),
  years: z.array(z.number().int()),
  clusters: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      /** firms at or above each rung, per year (same order as years × rungs) */
      counts: z.array(z.array(z.number().int())),
      targets: z.array(
        z.object({ rung: z.number(), count: z.number().int().nullable(), note: z.string().optional() }),
      ),
      movers: z.array(
        z.object({
          enterpriseId: z.number().int(),
          name: z.string().nullable(),
          from: z.number().nullable(),
          to: z.number().nullable(),
          direction: z.enum(['up', 'down']),
        }),
      ),
      /** movers outside the user's scope: counted, not named */
      moversHidden: z.number().int(),
    }),
  ),
  provenance: z.string(),
});
export type LadderAnswer = z.infer<typeof ladderAnswerSchema>;
