// Shared with the web app: evidence files of objections (异议证明材料).
import { z } from 'zod';

export const MAX_OBJECTION_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_OBJECTION_FILES = 5;

/** Allowed evidence files by extension and the type they are served with (never the client's type). */
export const OBJECTION_FILE_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const objectionFileBody = z
  .object({
    fileName: z.string().trim().min(1).max(200),
    /** the file, base64 */
    contentBase64: z
      .string()
      .min(1)
      .max(Math.ceil(MAX_OBJECTION_FILE_BYTES / 3) * 4 + 16),
  })
  .strict();

export const objectionFileSchema = z.object({
  id: z.number(),
  objectionId: z.number(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  uploadedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type ObjectionFile = z.infer<typeof objectionFileSchema>;
export const objectionFileListSchema = z.object({ items: z.array(objectionFileSchema) });
export const objectionFileQuery = z.object({ runId: z.coerce.number().int().positive().optional() });
