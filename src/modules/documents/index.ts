// Evidence files of every capability (project stages, reported target values, cultivation moves, service
// requests, 亩均 objections): the allow-list and size cap (schemas.ts, shared with the web), checked by the
// shared decoder (src/server/uploads.ts); the one table they are stored in (store.ts); one way to send a
// file back as an attachment (never rendered in the app).
import type { FastifyReply } from 'fastify';
import { decodeUpload } from '../../server/uploads.ts';
import { DOCUMENT_TYPES, MAX_DOCUMENT_BYTES, type DocumentFile } from './schemas.ts';

export {
  DOCUMENT_BODY_LIMIT,
  DOCUMENT_TYPES,
  MAX_DOCUMENT_BASE64,
  MAX_DOCUMENT_BYTES,
  documentFileBody,
  type DocumentFile,
} from './schemas.ts';
export {
  documentContent,
  documentFiles,
  documentIdsOf,
  documentNames,
  documentsStamp,
  findDocument,
  listDocuments,
  removeDocument,
  removeDocumentsWhere,
  storeDocuments,
  visibleDocumentContent,
  type DocumentOwnerKind,
  type DocumentPlace,
  type StoredFile,
} from './store.ts';

export interface CheckedDocument {
  fileName: string;
  contentType: string;
  content: Buffer;
  sizeBytes: number;
  sha256: string;
}

/** Checks an uploaded file (type from the allow-list, valid base64, not empty, size cap). */
export function checkDocument(file: DocumentFile, tooLarge?: { en: string; zh: string }): CheckedDocument {
  const d = decodeUpload(file, DOCUMENT_TYPES, MAX_DOCUMENT_BYTES, tooLarge);
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
