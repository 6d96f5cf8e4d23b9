// Shared with the web app: import kinds, column definitions, import records, problems and jobs.
import { z } from 'zod';
import { queryId, queryInt, queryMonth } from '../../domain/query-params.ts';
import { IMPORT_KINDS } from '../../domain/imports/columns.ts';

export { IMPORT_KINDS };
export const importKindSchema = z.enum(IMPORT_KINDS);
export type ImportKindName = z.infer<typeof importKindSchema>;

export const IMPORT_STATUSES = [
  'previewing',
  'previewed',
  'refused',
  'committing',
  'committed',
  'failed',
  'rolled_back',
  /** its preview or commit was cut short by a server restart: preview again, or discard */
  'interrupted',
  /** not committed, and given up by its importer (its upload removed) */
  'discarded',
] as const;

export const kindColumnSchema = z.object({
  key: z.string(),
  header: z.string(),
  zh: z.string(),
  en: z.string(),
  unit: z.string().nullable(),
  required: z.boolean(),
  noteZh: z.string(),
  noteEn: z.string(),
  example: z.string(),
});
export const kindInfoSchema = z.object({
  kind: importKindSchema,
  zh: z.string(),
  en: z.string(),
  columns: z.array(kindColumnSchema),
});
export const kindListSchema = z.array(kindInfoSchema);
export type KindInfo = z.infer<typeof kindInfoSchema>;

export const problemSchema = z.object({
  severity: z.enum(['error', 'warning', 'notice']),
  code: z.string(),
  file: z.string().nullable(),
  sheet: z.string().nullable(),
  row: z.number().nullable(),
  column: z.string().nullable(),
  /** 0-based column index in the row as read, and the (last) header row of its sheet */
  columnIndex: z.number().nullable().optional(),
  headerRow: z.number().nullable().optional(),
  value: z.string().nullable(),
  zh: z.string(),
  en: z.string(),
});
export type ImportProblemDto = z.infer<typeof problemSchema>;

export const jobSchema = z.object({
  jobId: z.number(),
  phase: z.enum(['preview', 'commit']),
  status: z.enum(['running', 'done', 'failed', 'interrupted']),
  rows: z.number(),
  bytesRead: z.number(),
  bytesTotal: z.number(),
  fraction: z.number(),
  message: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof jobSchema>;

export const importCountsSchema = z
  .object({
    rows: z.number().optional(),
    good: z.number().optional(),
    badRows: z.number().optional(),
    skipped: z.number().optional(),
    error: z.number().optional(),
    warning: z.number().optional(),
    notice: z.number().optional(),
    inserted: z.number().optional(),
    replaced: z.number().optional(),
    unchanged: z.number().optional(),
    removed: z.number().optional(),
    restored: z.number().optional(),
    months: z.array(z.string()).optional(),
    years: z.array(z.number()).optional(),
  })
  .passthrough();

export const importRecordSchema = z.object({
  id: z.number(),
  kind: importKindSchema,
  fileName: z.string(),
  sha256: z.string(),
  fileSize: z.number().nullable(),
  username: z.string().nullable(),
  regionCode: z.string().nullable(),
  status: z.enum(IMPORT_STATUSES),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  committedAt: z.string().nullable(),
  rolledBackAt: z.string().nullable(),
  rolledBackBy: z.string().nullable(),
  error: z.string().nullable(),
  counts: importCountsSchema,
  /** the import batch the file came in, if any */
  batchId: z.number().nullable(),
});
export type ImportRecord = z.infer<typeof importRecordSchema>;

export const importDetailSchema = importRecordSchema.extend({
  job: jobSchema.nullable(),
  /** the first problems (errors first); all of them are in the report */
  problems: z.array(problemSchema),
  /** set when this upload is a file committed before: nothing was changed */
  duplicateOf: z.number().nullable(),
  /** the uploaded file is still on the server (removed after a commit or discard, or swept after the retention) */
  fileKept: z.boolean().optional(),
  lineage: z.object({
    replaced: z.array(z.object({ importId: z.number().nullable(), rows: z.number() })),
    replacedBy: z.array(z.object({ importId: z.number(), rows: z.number() })),
  }),
});
export type ImportDetail = z.infer<typeof importDetailSchema>;

export const importListQuery = z.object({
  kind: importKindSchema.optional(),
  batch: queryId().optional(),
  status: z.enum(IMPORT_STATUSES).optional(),
  page: queryInt({ min: 1 }).default(1),
  pageSize: queryInt({ min: 1, max: 200 }).default(20),
});
export type ImportListQuery = z.infer<typeof importListQuery>;

export const importListSchema = z.object({
  items: z.array(importRecordSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type ImportList = z.infer<typeof importListSchema>;

export const problemListQuery = z.object({
  severity: z.enum(['error', 'warning', 'notice']).optional(),
  page: queryInt({ min: 1 }).default(1),
  pageSize: queryInt({ min: 1, max: 500 }).default(50),
});
export const problemListSchema = z.object({
  items: z.array(problemSchema),
  /** problems stored (at most 5,000 per import), for paging */
  total: z.number(),
  /** problems found in the file: exact, also beyond the 5,000 stored */
  found: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export const exportQuery = z.object({
  /** monthly: one month 'YYYY-MM' */
  month: queryMonth().optional(),
  /** monthly, annual, tiers: one year */
  year: queryInt({ min: 1900, max: 2100 }).optional(),
  county: z.string().optional(),
});
export type ExportQuery = z.infer<typeof exportQuery>;

// ---------- import batches ----------

/**
 * An import batch: at most one registry file and any monthly, annual or tiers files, previewed and
 * committed together (one transaction). Files committed before are skipped (`counts.duplicateOf`); a file
 * not written because another file of the batch had errors says so (`counts.batchRefusedBy`).
 */
export const importBatchSchema = z.object({
  id: z.number(),
  username: z.string().nullable(),
  regionCode: z.string().nullable(),
  status: z.enum(IMPORT_STATUSES),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  committedAt: z.string().nullable(),
  rolledBackAt: z.string().nullable(),
  rolledBackBy: z.string().nullable(),
  error: z.string().nullable(),
  /** the batch's running preview or commit over all its files, by bytes read */
  job: z
    .object({
      phase: z.enum(['preview', 'commit']),
      status: z.enum(['running', 'done', 'failed', 'interrupted']),
      rows: z.number(),
      bytesRead: z.number(),
      bytesTotal: z.number(),
      fraction: z.number(),
    })
    .nullable(),
  /** the files in the order they are committed: the registry first */
  files: z.array(importDetailSchema),
});
export type ImportBatch = z.infer<typeof importBatchSchema>;
