// What a user does with an import that will not be committed as it is: run its preview again (after
// the server was restarted under it, or it failed) or discard it (its upload is removed at once).
import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.ts';
import { imports } from '../../db/schema.ts';
import type { ImportKind } from '../../domain/imports/columns.ts';
import { AppError, conflict } from '../../server/errors.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { writeAudit, type Actor } from '../audit/service.ts';
import { getImport, importerOf, loadOwnImport, startPreview } from './service.ts';
import { releaseUpload, uploadPath } from './uploads.ts';
import fs from 'node:fs';
import type { ImportDetail } from './schemas.ts';

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

/** Runs the preview of an interrupted or failed import again, from the file still in the uploads folder. */
export async function rerunPreview(
  database: Database,
  user: AuthedUser,
  id: number,
  actor: Actor,
): Promise<ImportDetail> {
  const importer = importerOf(user);
  const rec = await loadOwnImport(database.db, user, id);
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
