// Evidence files of cultivation entries (application forms, recognition notices): the allow-list and
// size cap, checked by the shared decoder (src/server/uploads.ts), and one way to send a file back as an
// attachment (never rendered in the app).
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { decodeUpload } from '../../server/uploads.ts';

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** Allowed extensions and the content type each is served with (never taken from the client). */
export const DOCUMENT_TYPES: Record<string, string> = {
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

/** A file in a JSON body: its name and its bytes, base64. */
export const documentFileBody = z
  .object({
    fileName: z.string().trim().min(1).max(200),
    contentBase64: z
      .string()
      .min(1)
      .max(Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 16),
  })
  .strict();
export type DocumentFile = z.infer<typeof documentFileBody>;

/** The JSON body limit of a route that takes one such file (base64 plus the JSON around it). */
export const DOCUMENT_BODY_LIMIT = Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 64 * 1024;

export interface CheckedDocument {
  fileName: string;
  contentType: string;
  content: Buffer;
  sizeBytes: number;
  sha256: string;
}

/** Checks an uploaded file (type from the allow-list, valid base64, not empty, size cap). */
export function checkDocument(file: DocumentFile): CheckedDocument {
  const d = decodeUpload(file, DOCUMENT_TYPES, MAX_DOCUMENT_BYTES);
  return {
    fileName: d.fileName,
    contentType: d.contentType,
    content: d.content,
    sizeBytes: d.content.length,
    sha256: d.sha256,
  };
}

/** Sends a stored file as a download: attachment, nosniff, never cached by shared caches. */
export function sendDocument(
  reply: FastifyReply,
  doc: { fileName: string; contentType: string; content: Buffer },
): FastifyReply {
  const ascii = doc.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', doc.contentType)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(doc.content);
}
