// Files of enterprise requests: the firm's on intake and supplements, the lead unit's with its answer, a
// 协办 unit's with its input. Checked by the shared decoder (allow-list of src/modules/documents, size cap)
// and by their first bytes; stored in the request's transaction with an audit row; listed and downloaded
// only through a request the caller sees (service.ts loadVisible). Kept in the one documents table.
import type { Db } from '../../db/client.ts';
import { assertSignature, decodeUpload } from '../../server/uploads.ts';
import { badRequest, notFound } from '../../server/errors.ts';
import { writeAudit } from '../audit/index.ts';
import {
  DOCUMENT_TYPES,
  MAX_DOCUMENT_BYTES,
  documentContent,
  listDocuments,
  storeDocuments,
  type DocumentFile,
} from '../documents/index.ts';
import type { WorkActor } from '../workitems/index.ts';

/** At most this many files per step (intake, answer, supplement, 协办 input). */
export const MAX_FILES_PER_STEP = 3;
/** The JSON body limit of a route taking that many files (base64 plus the JSON around them). */
export const FILES_BODY_LIMIT = MAX_FILES_PER_STEP * (Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4) + 128 * 1024;

export type FileStage = 'intake' | 'supplement' | 'answer' | 'assist';

export interface CheckedFile {
  fileName: string;
  contentType: string;
  content: Buffer;
  sha256: string;
}

/** Decodes and checks every file before anything is written (one bad file refuses the step). */
export function checkFiles(files: readonly DocumentFile[] | undefined): CheckedFile[] {
  if (!files?.length) return [];
  if (files.length > MAX_FILES_PER_STEP)
    throw badRequest(
      `At most ${MAX_FILES_PER_STEP} files per step.`,
      `每次最多上传 ${MAX_FILES_PER_STEP} 个文件。`,
    );
  return files.map((f) => {
    const d = decodeUpload(f, DOCUMENT_TYPES, MAX_DOCUMENT_BYTES);
    assertSignature(d);
    return { fileName: d.fileName, contentType: d.contentType, content: d.content, sha256: d.sha256 };
  });
}

/** Stores checked files of one step (≤ MAX_FILES_PER_STEP rows) and audits them. */
export async function storeFiles(
  tx: Db,
  actor: WorkActor,
  requestId: number,
  stage: FileStage,
  files: readonly CheckedFile[],
  now: Date,
): Promise<void> {
  if (!files.length) return;
  const rows = await storeDocuments(tx, 'service_request', requestId, files, {
    stage,
    userId: actor.id,
    userName: actor.username,
    createdAt: now,
  });
  await writeAudit(tx, actor, {
    action: 'service.request.files',
    entity: 'service_request',
    entityId: requestId,
    after: {
      stage,
      files: files.map((f, i) => ({
        id: rows[i]?.id,
        fileName: f.fileName,
        sizeBytes: f.content.length,
        sha256: f.sha256,
      })),
    },
  });
}

/** The files of a request (no content), oldest first. */
export async function filesOf(db: Db, requestId: number) {
  const rows = await listDocuments(db, 'service_request', requestId);
  return rows.map((r) => ({
    id: r.id,
    stage: r.stage ?? '',
    fileName: r.fileName,
    contentType: r.contentType,
    sizeBytes: r.sizeBytes,
    sha256: r.sha256,
    uploadedByName: r.userName,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** One file of a request with its bytes (the caller has checked the request is visible). */
export async function fileOf(db: Db, requestId: number, fileId: number) {
  // the name, type and bytes alone: the whole row through the query builder cost the server thread more
  // than the statement did (issue 13)
  const row = await documentContent(db, 'service_request', fileId, requestId);
  if (!row) throw notFound('file');
  return row;
}
