// The one table of evidence files (src/db/schema-documents.ts) and the only code that touches it. The owning
// capability decides visibility: a download either passes the SQL condition that says whether the caller
// sees the owner (`visible(ownerId)`, visibleDocumentContent), so a file of another county's report answers
// 404 from the same single query, or has checked the owner against its kept ids of the caller's scope
// first (documentContent: projects, objections, service requests) — never a fetch followed by a filter.
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { asBuffer } from '../../db/bytea.ts';
import { idArray, queryRows, type Db } from '../../db/client.ts';
import { documents } from '../../db/schema.ts';

/** What a file belongs to. */
export type DocumentOwnerKind =
  'project' | 'target_report' | 'cultivation_entry' | 'service_request' | 'evaluation_objection';

/** A checked file (from checkDocument / decodeUpload) ready to store. */
export interface StoredFile {
  fileName: string;
  contentType: string;
  content: Buffer;
  sha256: string;
}

/** Where the file sits inside its owner and who uploaded it. */
export interface DocumentPlace {
  stage?: string | null;
  revision?: number | null;
  regionCode?: string | null;
  enterpriseId?: number | null;
  userId?: number | null;
  userName?: string | null;
  createdAt?: Date;
}

/** Stores the files of one step (a handful at most: one insert) and returns their ids and times in order. */
export async function storeDocuments(
  tx: Db,
  kind: DocumentOwnerKind,
  ownerId: number,
  files: readonly StoredFile[],
  place: DocumentPlace = {},
): Promise<{ id: number; createdAt: Date }[]> {
  if (!files.length) return [];
  return tx
    .insert(documents)
    .values(
      files.map((f) => ({
        ownerKind: kind,
        ownerId,
        stage: place.stage ?? null,
        revision: place.revision ?? null,
        regionCode: place.regionCode ?? null,
        enterpriseId: place.enterpriseId ?? null,
        fileName: f.fileName,
        contentType: f.contentType,
        sizeBytes: f.content.length,
        sha256: f.sha256,
        content: f.content,
        userId: place.userId ?? null,
        userName: place.userName ?? null,
        ...(place.createdAt ? { createdAt: place.createdAt } : {}),
      })),
    )
    .returning({ id: documents.id, createdAt: documents.createdAt });
}

/** The metadata (no bytes) of an owner's files, oldest first; `stage` narrows to one stage. */
export async function listDocuments(db: Db, kind: DocumentOwnerKind, ownerId: number, stage?: string) {
  return db
    .select({
      id: documents.id,
      stage: documents.stage,
      revision: documents.revision,
      fileName: documents.fileName,
      contentType: documents.contentType,
      sizeBytes: documents.sizeBytes,
      sha256: documents.sha256,
      userName: documents.userName,
      createdAt: documents.createdAt,
    })
    .from(documents)
    .where(
      and(
        eq(documents.ownerKind, kind),
        eq(documents.ownerId, ownerId),
        stage === undefined ? undefined : eq(documents.stage, stage),
      ),
    )
    .orderBy(asc(documents.id));
}

/** Which of `ids` are files of this owner (and stage): one array parameter, whatever their number. */
export async function documentIdsOf(
  db: Db,
  kind: DocumentOwnerKind,
  ownerId: number,
  ids: readonly number[],
  stage?: string,
): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({ id: documents.id })
    .from(documents)
    .where(
      and(
        sql`${documents.id} = any(${idArray(ids)})`,
        eq(documents.ownerKind, kind),
        eq(documents.ownerId, ownerId),
        stage === undefined ? undefined : eq(documents.stage, stage),
      ),
    );
  return rows.map((r) => r.id);
}

/** One file's whole row (metadata and bytes), when it is a file of this owner kind (and owner). */
export async function findDocument(
  db: Db,
  kind: DocumentOwnerKind,
  documentId: number,
  opts: { ownerId?: number } = {},
) {
  const [row] = await db
    .select()
    .from(documents)
    .where(
      and(
        eq(documents.id, documentId),
        eq(documents.ownerKind, kind),
        opts.ownerId === undefined ? undefined : eq(documents.ownerId, opts.ownerId),
      ),
    );
  return row;
}

/**
 * A file's name, type and bytes alone, when it is a file of this owner (a download whose caller has
 * already checked the owner is visible): one short statement on the primary key, no column it does not
 * send, the bytes as the driver gave them (node-postgres already answers a fresh Buffer for a bytea).
 */
export async function documentContent(db: Db, kind: DocumentOwnerKind, documentId: number, ownerId: number) {
  const [row] = await queryRows<{ file_name: string; content_type: string; content: Uint8Array }>(
    db,
    sql`select file_name, content_type, content from ${documents}
        where id = ${documentId} and owner_kind = ${kind} and owner_id = ${ownerId}`,
  );
  return row && { fileName: row.file_name, contentType: row.content_type, content: asBuffer(row.content) };
}

/**
 * documentContent for a download whose route names the file alone: the owner's visibility (`visible`, a
 * condition on the owner id column) in the same one statement, and only the name, type and bytes — the
 * whole row through the query builder cost the server thread more than the statement did (issue 13).
 */
export async function visibleDocumentContent(
  db: Db,
  kind: DocumentOwnerKind,
  documentId: number,
  visible: (ownerId: typeof documents.ownerId) => SQL,
) {
  const [row] = await queryRows<{ file_name: string; content_type: string; content: Uint8Array }>(
    db,
    sql`select file_name, content_type, content from ${documents}
        where id = ${documentId} and owner_kind = ${kind} and ${visible(documents.ownerId)}`,
  );
  return row && { fileName: row.file_name, contentType: row.content_type, content: asBuffer(row.content) };
}

/**
 * A text that changes whenever a file of this owner kind is stored or removed (ids are never reused), for
 * the version of an owner's kept file lists.
 */
export const documentsStamp = (kind: DocumentOwnerKind): SQL =>
  sql`(select count(*)::text || '/' || coalesce(max(id), 0)::text from ${documents} where owner_kind = ${kind})`;

/** File names by id (event lists that cite a file), one array parameter. */
export async function documentNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: documents.id, fileName: documents.fileName })
    .from(documents)
    .where(sql`${documents.id} = any(${idArray([...new Set(ids)])})`);
  return new Map(rows.map((r) => [r.id, r.fileName]));
}

/**
 * The files of one owner kind as a relation for the owner's SQL joins (an event list citing its file): id,
 * owner_id, stage, file_name, content_type, size_bytes, sha256, user_name, created_at — never the bytes.
 */
export const documentFiles = (kind: DocumentOwnerKind): SQL =>
  sql`(select id, owner_id, stage, file_name, content_type, size_bytes, sha256, user_name, created_at
         from ${documents} where owner_kind = ${kind})`;

/** Removes one file of an owner (the caller audits it in the same transaction). */
export async function removeDocument(tx: Db, kind: DocumentOwnerKind, ownerId: number, documentId: number) {
  await tx
    .delete(documents)
    .where(and(eq(documents.id, documentId), eq(documents.ownerKind, kind), eq(documents.ownerId, ownerId)));
}

/** Removes every file of the owners a condition on the owner id picks (demo re-runs), set-based. */
export async function removeDocumentsWhere(tx: Db, kind: DocumentOwnerKind, owners: (ownerId: SQL) => SQL) {
  await tx.execute(
    sql`delete from documents where owner_kind = ${kind} and ${owners(sql.raw('documents.owner_id'))}`,
  );
}
