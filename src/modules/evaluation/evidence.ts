// Evidence files of objections: the enterprise that filed an open objection attaches pdf/jpg/png/xlsx
// files (size- and count-limited, type checked by extension and signature); whoever may see the
// objection's enterprise lists and downloads them. Uploads are audited in the same transaction.
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { evaluationObjectionFiles } from '../../db/schema.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { AppError, conflict, notFound } from '../../server/errors.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { decodeUpload } from '../../server/uploads.ts';
import { scopeSql } from './repo.ts';
import {
  MAX_OBJECTION_FILE_BYTES,
  MAX_OBJECTION_FILES,
  OBJECTION_FILE_TYPES,
  type ObjectionFile,
} from './schemas-evidence.ts';
import { registryRows } from '../enterprises/index.ts';

/** What each allowed type starts with: a renamed executable or HTML page is refused. */
const SIGNATURES: Record<string, number[][]> = {
  pdf: [[0x25, 0x50, 0x44, 0x46]], // %PDF
  png: [[0x89, 0x50, 0x4e, 0x47]],
  jpg: [[0xff, 0xd8, 0xff]],
  jpeg: [[0xff, 0xd8, 0xff]],
  xlsx: [[0x50, 0x4b, 0x03, 0x04]], // a zip
};

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

const fileDto = (
  f: typeof evaluationObjectionFiles.$inferSelect | Record<string, unknown>,
): ObjectionFile => {
  const r = f as Record<string, unknown>;
  return {
    id: Number(r.id),
    objectionId: Number(r.objectionId ?? r.objection_id),
    fileName: String(r.fileName ?? r.file_name),
    contentType: String(r.contentType ?? r.content_type),
    sizeBytes: Number(r.sizeBytes ?? r.size_bytes),
    sha256: String(r.sha256),
    uploadedBy: (r.uploadedBy ?? r.uploaded_by ?? null) as string | null,
    createdAt: new Date((r.createdAt ?? r.created_at) as string).toISOString(),
  };
};

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
  const { fileName, ext, contentType, content, sha256 } = decodeUpload(
    body,
    OBJECTION_FILE_TYPES,
    MAX_OBJECTION_FILE_BYTES,
  );
  if (!SIGNATURES[ext]!.some((sig) => sig.every((b, i) => content[i] === b)))
    throw new AppError(
      415,
      'unsupported-file',
      `The file's content is not a ${ext} file.`,
      `文件内容与扩展名 .${ext} 不符。`,
      [{ field: 'contentBase64', message: 'content does not match the type', messageZh: '内容与类型不符' }],
    );
  return db.transaction(async (tx) => {
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(evaluationObjectionFiles)
      .where(eq(evaluationObjectionFiles.objectionId, objectionId));
    if ((count?.n ?? 0) >= MAX_OBJECTION_FILES)
      throw conflict(
        `An objection takes at most ${MAX_OBJECTION_FILES} files.`,
        `每项异议最多上传 ${MAX_OBJECTION_FILES} 个文件。`,
      );
    const [row] = await tx
      .insert(evaluationObjectionFiles)
      .values({
        objectionId,
        fileName,
        contentType,
        sizeBytes: content.length,
        sha256,
        content,
        userId: actor.id,
        uploadedBy: actor.username,
      })
      .returning();
    await writeAudit(tx as unknown as Db, actor, {
      action: 'evaluation.objection.file_upload',
      entity: 'evaluation_objection_file',
      entityId: row!.id,
      after: { objectionId, fileName, contentType, sizeBytes: content.length, sha256 },
    });
    return fileDto(row!);
  });
}

/** Files of the objections within the user's scope (of one run, or all). */
export async function listObjectionFiles(db: Db, user: AuthedUser, q: { runId?: number }) {
  const run = q.runId ? sql`and o.run_id = ${q.runId}` : sql``;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select f.id, f.objection_id, f.file_name, f.content_type, f.size_bytes, f.sha256, f.uploaded_by, f.created_at
        from evaluation_objection_files f join evaluation_objections o on o.id = f.objection_id
        join ${registryRows()} enterprises on enterprises.id = o.enterprise_id
        where ${scopeSql(user.scope)} ${run} order by f.objection_id desc, f.id limit 2000`,
  );
  return { items: rows.map(fileDto) };
}

export async function getObjectionFile(db: Db, user: AuthedUser, objectionId: number, fileId: number) {
  await visibleObjection(db, user, objectionId);
  const [f] = await db
    .select()
    .from(evaluationObjectionFiles)
    .where(
      and(eq(evaluationObjectionFiles.id, fileId), eq(evaluationObjectionFiles.objectionId, objectionId)),
    );
  if (!f) throw notFound('file');
  return f;
}
