// The platforms register's API shapes (shared with the web).
import { z } from 'zod';
import { PLATFORM_KINDS, PLATFORM_LEVELS } from '../../domain/platforms.ts';

export const platformKindSchema = z.enum(Object.keys(PLATFORM_KINDS) as [keyof typeof PLATFORM_KINDS]);
export const platformLevelSchema = z.enum(PLATFORM_LEVELS);

export const platformSchema = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.string(),
  kindZh: z.string(),
  level: z.string().nullable(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  zoneCode: z.string().nullable(),
  zoneName: z.string().nullable(),
  clusterCode: z.string().nullable(),
  clusterName: z.string().nullable(),
  year: z.number().nullable(),
  source: z.string().nullable(),
  /** whether the asking user may change or delete it (its scope and grants) */
  editable: z.boolean(),
});
export type Platform = z.infer<typeof platformSchema>;

export const platformListSchema = z.object({
  items: z.array(platformSchema),
  /** count per kind in what the user sees */
  byKind: z.record(z.string(), z.number()),
});
export type PlatformList = z.infer<typeof platformListSchema>;

export const platformQuery = z.object({
  kind: platformKindSchema.optional(),
  county: z.string().max(12).optional(),
  cluster: z.string().max(40).optional(),
  level: platformLevelSchema.optional(),
  q: z.string().trim().max(100).optional(),
});

export const platformBody = z
  .object({
    name: z.string().trim().min(2).max(200),
    kind: platformKindSchema,
    level: platformLevelSchema.nullable(),
    regionCode: z.string().trim().max(12).nullable(),
    zoneCode: z.string().trim().max(40).nullable(),
    clusterCode: z.string().trim().max(40).nullable(),
    year: z.number().int().min(1990).max(2100).nullable(),
    /** 认定文件 / 来源: the document or page that recognised it */
    source: z.string().trim().min(2).max(500),
  })
  .strict();
export type PlatformBody = z.infer<typeof platformBody>;

export const platformImportBody = z
  .object({
    fileName: z.string().trim().min(1).max(200),
    contentBase64: z
      .string()
      .min(1)
      .max(8 * 1024 * 1024),
  })
  .strict();

export const importProblemSchema = z.object({
  file: z.string(),
  sheet: z.string().nullable(),
  row: z.number().nullable(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  zh: z.string(),
  en: z.string(),
});

export const platformImportResultSchema = z.object({
  ok: z.boolean(),
  inserted: z.number(),
  updated: z.number(),
  problems: z.array(importProblemSchema),
});
export type PlatformImportResult = z.infer<typeof platformImportResultSchema>;
