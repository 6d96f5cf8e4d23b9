// What a user does with an import that will not be committed as it is: run its preview again (after
// the server was restarted under it, or it failed) or discard it (its upload is removed at once).
// A file of an import batch is acted on with its batch only: previewed alone, it would not know the
// enterprises its batch's registry file creates.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.ts';
import { importBatches, imports } from '../../db/schema.ts';
import type { ImportKind } from '../../domain/imports/columns.ts';
import { AppError, conflict } from '../../server/errors.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import {
  batchOrder,
  committedDuplicates,
  EVERY_FILE_IMPORTED,
  getBatch,
  loadOwnBatch,
  startBatchPreview,
} from './batches.ts';
import { getImport, importerOf, loadOwnImport, startPreview } from './service.ts';
import { releaseUpload, uploadExists, uploadPath } from './uploads.ts';
import fs from 'node:fs';
import type { ImportBatch, ImportDetail } from './schemas.ts';

/** Statuses from which the preview can run again. */
export const RERUNNABLE = ['interrupted', 'failed'] as const;
/** Statuses an import can be discarded from (nothing of it was written). */
export const DISCARDABLE = ['previewed', 'refused', 'failed', 'interrupted'] as const;

function gone(): AppError {
  return new AppError(
    410,
    'gone',
    'The uploaded file is no longer on the server; upload it again.',
    '服务器上已没有该上传文件，请重新上传。',
  );
}

/** A file of a batch is previewed again or discarded with its batch only. */
function inBatch(id: number, batchId: number, what: 'preview' | 'discard'): AppError {
  return what === 'preview'
    ? conflict(
        `Import ${id} belongs to import batch ${batchId}: preview the whole batch again (its other files may create the enterprises this file names).`,
        `第 ${id} 号导入属于第 ${batchId} 批导入，请对整个批次重新预览（本文件引用的企业可能由同批的其他文件新建）。`,
      )
    : conflict(
        `Import ${id} belongs to import batch ${batchId}: discard the whole batch.`,
        `第 ${id} 号导入属于第 ${batchId} 批导入，请放弃整个批次。`,
      );
}

/** Runs the preview of an interrupted or failed import again, from the file still in the uploads folder. */
export async function rerunPreview(
  database: Database,
  user: AuthedUser,
  id: number,
  actor: Actor,
): Promise<ImportDetail> {
  const importer = importerOf(user);
  const rec = await loadOwnImport(database.db, user, id);
  if (rec.batchId !== null) throw inBatch(id, rec.batchId, 'preview');
  if (!(RERUNNABLE as readonly string[]).includes(rec.status)) {
    throw conflict(
      `Import ${id} is ${rec.status}; only an interrupted or failed import can be previewed again.`,
      `第 ${id} 号导入状态为 ${rec.status}，只有中断或失败的导入可以重新预览。`,
    );
  }
  const file = uploadPath(rec.storedAs);
  if (!file || !fs.existsSync(file)) throw gone();
  const moved = await database.db.transaction(async (tx) => {
    const rows = await tx
      .update(imports)
      .set({ status: 'previewing', error: null, finishedAt: null })
      .where(and(eq(imports.id, id), inArray(imports.status, [...RERUNNABLE])))
      .returning({ id: imports.id });
    if (rows.length) {
      await writeAudit(tx as unknown as Db, actor, {
        action: 'import.rerun',
        entity: 'import',
        entityId: id,
        before: { status: rec.status },
        after: { status: 'previewing' },
      });
    }
    return rows.length > 0;
  });
  if (!moved) throw conflict(`Import ${id} is being previewed already.`, `第 ${id} 号导入已在预览中。`);
  // the scope is the import's: an administrator re-running a county officer's import checks that county
  await startPreview(
    database,
    id,
    { kind: rec.kind as ImportKind, path: file, fileName: rec.fileName },
    rec.fileSize ?? fs.statSync(file).size,
    { ...importer, regionCode: rec.regionCode ?? importer.regionCode },
  );
  return getImport(database.db, user, id);
}

/** Discards an import that was not committed: its status says so and its upload is removed. */
export async function discardImport(
  database: Database,
  user: AuthedUser,
  id: number,
  actor: Actor,
): Promise<ImportDetail> {
  importerOf(user);
  const rec = await loadOwnImport(database.db, user, id);
  if (rec.batchId !== null) throw inBatch(id, rec.batchId, 'discard');
  if (!(DISCARDABLE as readonly string[]).includes(rec.status)) {
    throw conflict(
      `Import ${id} is ${rec.status}; only an import that was not committed can be discarded.`,
      `第 ${id} 号导入状态为 ${rec.status}，只有未提交的导入可以放弃。`,
    );
  }
  const moved = await database.db.transaction(async (tx) => {
    const rows = await tx
      .update(imports)
      .set({ status: 'discarded', finishedAt: new Date() })
      .where(and(eq(imports.id, id), inArray(imports.status, [...DISCARDABLE])))
      .returning({ id: imports.id });
    if (rows.length) {
      await writeAudit(tx as unknown as Db, actor, {
        action: 'import.discard',
        entity: 'import',
        entityId: id,
        before: { status: rec.status },
        after: { status: 'discarded' },
      });
    }
    return rows.length > 0;
  });
  if (!moved)
    throw conflict(`Import ${id} changed meanwhile; reload it.`, `第 ${id} 号导入状态已变化，请刷新。`);
  await releaseUpload(database.db, id);
  return getImport(database.db, user, id);
}

// ---------------------------------------------------------------------------------------------
// Batches: the same, for all the files of a batch at once
// ---------------------------------------------------------------------------------------------

const isDuplicate = (counts: unknown) =>
  typeof (counts as { duplicateOf?: unknown } | null)?.duplicateOf === 'number';

/**
 * Runs the preview of an interrupted or failed batch again, over all its files (the registry first),
 * from the files still in the uploads folder. A file found committed meanwhile is skipped as a
 * duplicate, as at upload.
 */
export async function rerunBatchPreview(
  database: Database,
  user: AuthedUser,
  id: number,
  actor: Actor,
): Promise<ImportBatch> {
  const importer = importerOf(user);
  const b = await loadOwnBatch(database.db, user, id);
  if (!(RERUNNABLE as readonly string[]).includes(b.status)) {
    throw conflict(
      `Import batch ${id} is ${b.status}; only an interrupted or failed batch can be previewed again.`,
      `第 ${id} 批导入状态为 ${b.status}，只有中断或失败的批次可以重新预览。`,
    );
  }
  const recs = await database.db
    .select()
    .from(imports)
    .where(eq(imports.batchId, id))
    .orderBy(asc(imports.id));
  const candidates = batchOrder(
    recs.filter((r) => (DISCARDABLE as readonly string[]).includes(r.status) && !isDuplicate(r.counts)),
  );
  const dups = await committedDuplicates(database.db, candidates);
  const todo = candidates.filter((_, i) => dups[i] === null);
  const missing = todo.filter((r) => !uploadExists(r.storedAs));
  if (missing.length > 0) {
    const names = missing.map((r) => r.fileName).join(', ');
    throw new AppError(
      410,
      'gone',
      `An uploaded file of the batch is no longer on the server (${names}); upload the batch again.`,
      `服务器上已没有该批次的上传文件（${names}），请重新上传整批。`,
    );
  }
  const moved = await database.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const rows = await tx
      .update(importBatches)
      .set(
        todo.length > 0
          ? { status: 'previewing', error: null, finishedAt: null }
          : { status: 'refused', error: EVERY_FILE_IMPORTED, finishedAt: new Date() },
      )
      .where(and(eq(importBatches.id, id), inArray(importBatches.status, [...RERUNNABLE])))
      .returning({ id: importBatches.id });
    if (rows.length === 0) return false;
    for (const [i, r] of candidates.entries()) {
      const duplicateOf = dups[i] ?? null;
      // a file committed meanwhile is skipped, as at upload
      const after =
        duplicateOf === null
          ? { status: 'previewing', error: null, finishedAt: null }
          : {
              status: 'refused',
              error: `duplicate of import ${duplicateOf}`,
              finishedAt: new Date(),
              counts: { duplicateOf },
            };
      await tx.update(imports).set(after).where(eq(imports.id, r.id));
      await writeAudit(tx, actor, {
        action: 'import.rerun',
        entity: 'import',
        entityId: r.id,
        before: { status: r.status },
        after: { batchId: id, status: after.status, ...(duplicateOf !== null ? { duplicateOf } : {}) },
      });
    }
    await writeAudit(tx, actor, {
      action: 'import_batch.rerun',
      entity: 'import_batch',
      entityId: id,
      before: { status: b.status },
      after: {
        status: todo.length > 0 ? 'previewing' : 'refused',
        imports: todo.map((r) => r.id),
        duplicates: candidates.filter((_, i) => dups[i] !== null).map((r) => r.id),
      },
    });
    return true;
  });
  if (!moved) throw conflict(`Import batch ${id} is being previewed already.`, `第 ${id} 批导入已在预览中。`);
  // the answer is the batch as the preview starts (a small batch's job may end before a later read)
  const started = await getBatch(database.db, user, id);
  if (todo.length > 0) {
    // the scope is the batch's: an administrator re-running a county officer's batch checks that county
    await startBatchPreview(
      database,
      id,
      todo.map((r) => {
        const file = uploadPath(r.storedAs)!;
        return {
          importId: r.id,
          kind: r.kind as ImportKind,
          path: file,
          fileName: r.fileName,
          size: r.fileSize ?? fs.statSync(file).size,
        };
      }),
      { ...importer, regionCode: b.regionCode ?? importer.regionCode },
    );
  }
  return started;
}

/** Discards a batch that was not committed: all its files are discarded and their uploads removed. */
export async function discardBatch(
  database: Database,
  user: AuthedUser,
  id: number,
  actor: Actor,
): Promise<ImportBatch> {
  importerOf(user);
  const b = await loadOwnBatch(database.db, user, id);
  if (!(DISCARDABLE as readonly string[]).includes(b.status)) {
    throw conflict(
      `Import batch ${id} is ${b.status}; only a batch that was not committed can be discarded.`,
      `第 ${id} 批导入状态为 ${b.status}，只有未提交的批次可以放弃。`,
    );
  }
  const discarded = await database.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const rows = await tx
      .update(importBatches)
      .set({ status: 'discarded', finishedAt: new Date() })
      .where(and(eq(importBatches.id, id), inArray(importBatches.status, [...DISCARDABLE])))
      .returning({ id: importBatches.id });
    if (rows.length === 0) return null;
    const files = await tx
      .select({ id: imports.id, status: imports.status })
      .from(imports)
      .where(and(eq(imports.batchId, id), inArray(imports.status, [...DISCARDABLE])))
      .orderBy(asc(imports.id));
    if (files.length > 0) {
      await tx
        .update(imports)
        .set({ status: 'discarded', finishedAt: new Date() })
        .where(
          inArray(
            imports.id,
            files.map((f) => f.id),
          ),
        );
    }
    for (const f of files) {
      await writeAudit(tx, actor, {
        action: 'import.discard',
        entity: 'import',
        entityId: f.id,
        before: { status: f.status },
        after: { status: 'discarded', batchId: id },
      });
    }
    await writeAudit(tx, actor, {
      action: 'import_batch.discard',
      entity: 'import_batch',
      entityId: id,
      before: { status: b.status },
      after: { status: 'discarded', imports: files.map((f) => f.id) },
    });
    return files.map((f) => f.id);
  });
  if (discarded === null)
    throw conflict(`Import batch ${id} changed meanwhile; reload it.`, `第 ${id} 批导入状态已变化，请刷新。`);
  for (const importId of discarded) await releaseUpload(database.db, importId);
  return getBatch(database.db, user, id);
}
