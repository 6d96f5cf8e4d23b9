// Shared with the web app: evidence files of objections (异议证明材料). They are evidence files like any other
// (src/modules/documents): the same size cap and, of the one allow-list, the types an objection takes.
import { z } from 'zod';
import { queryId } from '../../domain/query-params.ts';
import { DOCUMENT_TYPES, MAX_DOCUMENT_BYTES } from '../documents/schemas.ts';

export const MAX_OBJECTION_FILE_BYTES = MAX_DOCUMENT_BYTES;
export const MAX_OBJECTION_FILES = 5;

/** Allowed evidence files by extension and the type they are served with (never the client's type). */
export const OBJECTION_FILE_TYPES: Readonly<Record<string, string>> = Object.fromEntries(
  (['pdf', 'jpg', 'jpeg', 'png', 'xlsx'] as const).map((ext) => [ext, DOCUMENT_TYPES[ext]!]),
);

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
export const objectionFileQuery = z.object({ runId: queryId().optional() });
