// Evidence files of objections: the enterprise that filed an open objection attaches pdf/jpg/png/xlsx
// files (size- and count-limited, type checked by extension and signature); whoever may see the
// objection's enterprise lists and downloads them. Uploads are audited in the same transaction. The files
// are kept in the one documents table (owner kind `evaluation_objection`), through src/modules/documents.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { conflict, notFound } from '../../server/errors.ts';
import { assertSignature, decodeUpload } from '../../server/uploads.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { documentContent, documentFiles, listDocuments, storeDocuments } from '../documents/index.ts';
import { registryRows } from '../enterprises/index.ts';
import { forgetObjectionLists, objectionListAnswer } from './answers.ts';
import { scopeSql } from './repo.ts';
import {
  MAX_OBJECTION_FILE_BYTES,
  MAX_OBJECTION_FILES,
  OBJECTION_FILE_TYPES,
  type ObjectionFile,
} from './schemas-evidence.ts';

const OWNER = 'evaluation_objection';

/** The objection, if its enterprise is within the user's scope. */
async function visibleObjection(db: Db, user: AuthedUser, id: number) {
  const [row] = await queryRows<{ id: number; status: string; enterprise_id: number }>(
    db,
    sql`select o.id, o.status, o.enterprise_id from evaluation_objections o join ${registryRows()} enterprises on enterprises.id = o.enterprise_id
        where o.id = ${id} and ${scopeSql(user.scope)}`,
  );
  if (!row) throw notFound('objection');
  return row;
}

const fileDto = (r: Record<string, unknown>): ObjectionFile => ({
  id: Number(r.id),
  objectionId: Number(r.objection_id),
  fileName: String(r.file_name),
  contentType: String(r.content_type),
  sizeBytes: Number(r.size_bytes),
  sha256: String(r.sha256),
  uploadedBy: (r.uploaded_by ?? null) as string | null,
  createdAt: new Date(r.created_at as string).toISOString(),
});

export async function attachObjectionFile(
  db: Db,
  user: AuthedUser,
  objectionId: number,
  body: { fileName: string; contentBase64: string },
  actor: Actor,
): Promise<ObjectionFile> {
  const o = await visibleObjection(db, user, objectionId);
  if (o.status !== 'open')
    throw conflict('Evidence is attached to an open objection only.', '只能为未处理的异议补充证明材料。');
  const file = decodeUpload(body, OBJECTION_FILE_TYPES, MAX_OBJECTION_FILE_BYTES);
  assertSignature(file);
  const out = await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    if ((await listDocuments(tx, OWNER, objectionId)).length >= MAX_OBJECTION_FILES)
      throw conflict(
        `An objection takes at most ${MAX_OBJECTION_FILES} files.`,
        `每项异议最多上传 ${MAX_OBJECTION_FILES} 个文件。`,
      );
    const [stored] = await storeDocuments(tx, OWNER, objectionId, [file], {
      enterpriseId: Number(o.enterprise_id),
      userId: actor.id,
      userName: actor.username,
    });
    const { fileName, contentType, content, sha256 } = file;
    await writeAudit(tx, actor, {
      action: 'evaluation.objection.file_upload',
      entity: 'evaluation_objection_file',
      entityId: stored!.id,
      after: { objectionId, fileName, contentType, sizeBytes: content.length, sha256 },
    });
    return {
      id: stored!.id,
      objectionId,
      fileName,
      contentType,
      sizeBytes: content.length,
      sha256,
      uploadedBy: actor.username,
      createdAt: stored!.createdAt.toISOString(),
    };
  });
  forgetObjectionLists(); // the kept file lists of this process show it at once
  return out;
}

/** Files of the objections within the user's scope (of one run, or all). */
export async function listObjectionFiles(db: Db, user: AuthedUser, q: { runId?: number }) {
  // kept per run and scope with the objection lists (answers.ts; their version counts these files too):
  // the list was a statement a request (issue 13)
  return objectionListAnswer(db, `files:${q.runId ?? ''}:${JSON.stringify(user.scope)}`, async () => {
    const run = q.runId ? sql`and o.run_id = ${q.runId}` : sql``;
    const rows = await queryRows<Record<string, unknown>>(
      db,
      sql`select f.id, f.owner_id as objection_id, f.file_name, f.content_type, f.size_bytes, f.sha256,
            f.user_name as uploaded_by, f.created_at
          from ${documentFiles(OWNER)} f join evaluation_objections o on o.id = f.owner_id
          join ${registryRows()} enterprises on enterprises.id = o.enterprise_id
          where ${scopeSql(user.scope)} ${run} order by f.owner_id desc, f.id limit 2000`,
    );
    return { items: rows.map(fileDto) };
  });
}

/**
 * The ids of every objection within a scope, kept with the objection lists (answers.ts: at the registry's
 * stamps, which say a firm's county and clusters, and the objections' own stamp): a download asks it
 * instead of joining the registry under the scope condition in its own statement, which cost the database
 * more than any other read route (issue 13), and a reader who sees no objection is answered 404 without
 * a statement at all.
 */
function objectionsInScope(db: Db, user: AuthedUser): Promise<ReadonlySet<number>> {
  return objectionListAnswer(db, `ids:${JSON.stringify(user.scope)}`, async () => {
    const rows = await queryRows<{ id: number }>(
      db,
      sql`select o.id from evaluation_objections o join ${registryRows()} enterprises on enterprises.id = o.enterprise_id
          where ${scopeSql(user.scope)}`,
    );
    return new Set(rows.map((r) => Number(r.id)));
  });
}

/** One file with its bytes, of an objection the user may see (404 otherwise). */
export async function getObjectionFile(db: Db, user: AuthedUser, objectionId: number, fileId: number) {
  if (!(await objectionsInScope(db, user)).has(objectionId)) throw notFound('objection');
  const f = await documentContent(db, OWNER, fileId, objectionId);
  if (!f) throw notFound('file');
  return f;
}
