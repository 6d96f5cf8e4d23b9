// The one definition of what an evidence file may be (issue 11: no copies): the allow-list of types, the
// size cap and the JSON shape of an uploaded file. Shared with the web (upload pickers) and with every
// capability that takes files (projects, target reports, cultivation, service requests).
import { z } from 'zod';

/** Largest evidence file kept in the database. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** Allowed extensions and the content type each is served with (never taken from the client). */
export const DOCUMENT_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The longest base64 text of a file of at most MAX_DOCUMENT_BYTES. */
export const MAX_DOCUMENT_BASE64 = Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 16;

/** A file in a JSON body: its name and its bytes, base64. */
export const documentFileBody = z
  .object({
    fileName: z.string().trim().min(1).max(200),
    contentBase64: z.string().min(1).max(MAX_DOCUMENT_BASE64),
  })
  .strict();
export type DocumentFile = z.infer<typeof documentFileBody>;

/** The JSON body limit of a route that takes one such file (base64 plus the JSON around it). */
export const DOCUMENT_BODY_LIMIT = Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 64 * 1024;
