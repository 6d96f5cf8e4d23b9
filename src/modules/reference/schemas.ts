import { z } from 'zod';
import { queryBoolean } from '../../domain/query-params.ts';

export const regionSchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  level: z.enum(['city', 'county', 'town']),
  parentCode: z.string().nullable(),
});
export type Region = z.infer<typeof regionSchema>;

export const zoneSchema = z.object({
  code: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  nameEn: z.string().nullable(),
  hostRegionCode: z.string(),
  level: z.string().nullable(),
  reportingUnit: z.boolean(),
});
export type Zone = z.infer<typeof zoneSchema>;

export const industrySchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['section', 'division', 'group', 'class']),
  parentCode: z.string().nullable(),
  section: z.string(),
  remark: z.string().nullable(),
});
export type Industry = z.infer<typeof industrySchema>;

export const industryQuery = z.object({
  level: z.enum(['section', 'division', 'group', 'class']).optional(),
  parent: z.string().optional(),
  q: z.string().optional(),
  /** true or 1: only manufacturing (section C) codes that some cluster counts; false, 0 or absent: all */
  clustered: queryBoolean().optional(),
});

export const clusterSchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  sortOrder: z.number(),
  details: z.record(z.string(), z.unknown()),
  industryCodes: z.array(z.string()),
});
export type Cluster = z.infer<typeof clusterSchema>;

export const cityInfoSchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  demoData: z.boolean(),
  /**
   * Demo parts still being written in the background after a first start (projects, cultivation,
   * targets, service, evaluation, alerts, index, assessment), null when none; failed: the generation
   * stopped on an error and is retried at the next start.
   */
  demoPending: z.object({ steps: z.array(z.string()), failed: z.boolean() }).nullable(),
});
export type CityInfo = z.infer<typeof cityInfoSchema>;
