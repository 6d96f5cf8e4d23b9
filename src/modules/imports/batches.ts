// Import batches: several files — at most one registry file (企业名录) and any monthly, annual or tiers
// files — previewed together and committed together in ONE transaction, so a fact file may name
// enterprises that the batch's registry file creates. Each file keeps its own `imports` row (with its
// problems, counts, job and audit); the batch (`import_batches`) ties them together.
//   preview: the registry file is read first; the USCCs of its good rows (with their counties, for a
//            county officer's scope check) count as known enterprises when the other files are read.
//   commit:  one transaction, the registry first, then the fact files, each through commitFileIn; a
//            file with an error rolls back every file, and every file says why.
//   rollback: an administrator rolls back all the batch's files, newest first, in one transaction.
import { assertAllowed } from '../../server/policy.ts';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.ts';
import { importBatches, imports } from '../../db/schema.ts';
import { committedImportOf } from './duplicates.ts';
import { isImportKind, type ImportKind } from '../../domain/imports/columns.ts';
import type { EnterpriseRef } from '../../domain/imports/rows.ts';
import { failureText } from '../../domain/imports/problems.ts';
import { AppError, badRequest, conflict, notFound } from '../../server/errors.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { keepView, liveJob, startJobs, viewOf, type JobControl } from './jobs.ts';
import { runPass, type PassResult } from './pipeline.ts';
import { recoverInterruptedJobs } from './recovery.ts';
import { loadReferenceLookup, withTransaction } from './repo.ts';
import { EnterpriseCodes } from './enterprise-codes.ts';
import { lockFacts } from './fact-locks.ts';
import type { ImportBatch, ImportDetail } from './schemas.ts';
import {
  commitFileIn,
  countsOf,
  ImportRefused,
  historyVisible,
  importerOf,
  importViewKey,
  readImport,
  replaceIssues,
  rollbackIn,
  type CommittedFile,
  type FileRef,
  type Importer,
  type UploadedFile,
} from './service.ts';
import { releaseUpload, uploadExists, uploadPath } from './uploads.ts';

/** Files in one batch at most (a registry and a year of monthly files fit). */
export const MAX_BATCH_FILES = 20;

/** What is wrong with a batch's list of kinds, in English and Chinese; null when it is fine. */
export function batchKindsProblem(kinds: readonly string[]): { en: string; zh: string } | null {
  if (kinds.length === 0) return { en: 'A batch needs at least one file.', zh: '批量导入至少需要一个文件。' };
  if (kinds.length > MAX_BATCH_FILES)
    return {
      en: `A batch holds at most ${MAX_BATCH_FILES} files.`,
      zh: `一批最多 ${MAX_BATCH_FILES} 个文件。`,
    };
  const unknown = kinds.find((k) => !isImportKind(k));
  if (unknown !== undefined)
    return {
      en: `Unknown import kind "${unknown}" (enterprises, monthly, annual, tiers, flags).`,
      zh: `未知的导入类型“${unknown}”（enterprises、monthly、annual、tiers、flags）。`,
    };
  if (kinds.filter((k) => k === 'enterprises').length > 1)
    return {
      en: 'A batch holds at most one enterprise registry file.',
      zh: '一批中最多只能有一个企业名录文件。',
    };
  return null;
}

/** The order in which a batch is read and committed: the registry first, then the others as given. */
export function batchOrder<T extends { kind: string }>(files: readonly T[]): T[] {
  return [...files.filter((f) => f.kind === 'enterprises'), ...files.filter((f) => f.kind !== 'enterprises')];
}

/**
 * Reads and checks a batch's files (in batch order) without writing anything: the good rows of the
 * registry file count as known enterprises, with their counties, for the files after it.
 */
export async function analyseBatch(
  database: Database,
  files: readonly FileRef[],
  importer: Importer,
  controls?: readonly (JobControl | undefined)[],
): Promise<PassResult[]> {
  const ref = await loadReferenceLookup(database.db);
  // the registry's firms the files name, looked up chunk by chunk: the registry file's per chunk (it
  // names each firm once), the fact files' kept for every fact file of the batch
  const registryCodes = new EnterpriseCodes(database.db, { keep: false });
  const factCodes = new EnterpriseCodes(database.db);
  // enterprises of the batch's registry: new ones get negative stand-in ids (only the checks see them)
  const known = new Map<string, EnterpriseRef>();
  const learn = (values: Record<string, unknown>) => {
    const uscc = String(values.uscc);
    const existing = registryCodes.get(uscc);
    const region = values.region_code;
    known.set(uscc, {
      id: existing?.id ?? -(known.size + 1),
      regionCode: typeof region === 'string' ? region : (existing?.regionCode ?? ''),
    });
  };
  const results: PassResult[] = [];
  for (const [i, f] of files.entries()) {
    const control = controls?.[i];
    const registry = f.kind === 'enterprises';
    results.push(
      await runPass({
        kind: f.kind,
        path: f.path,
        fileName: f.fileName,
        ref,
        enterprise: registry ? (u) => registryCodes.get(u) : (u) => known.get(u) ?? factCodes.get(u),
        // (a code the registry file learned needs no lookup)
        resolve: registry
          ? (c) => registryCodes.resolve(c)
          : (c) => factCodes.resolve([...c].filter((u) => !known.has(u))),
        scopeRegion: importer.regionCode,
        onProgress: control ? (p) => control.progress(p) : undefined,
        onGood: registry ? learn : undefined,
      }),
    );
  }
  return results;
}

export interface BatchFileRef extends FileRef {
  importId: number;
}

/** What became of one file of a batch commit. */
export type BatchFileOutcome =
  | CommittedFile
  | { status: 'refused'; pass: PassResult }
  /** no error of its own, but not written: the file `because` (an import id) of the batch was refused */
  | { status: 'held'; pass: PassResult | null; because: number };

export interface BatchOutcome {
  status: 'committed' | 'refused';
  files: BatchFileOutcome[];
}

/**
 * Commits the batch's files (in batch order) in ONE transaction, each through commitFileIn. When a
 * file is refused the transaction rolls back; the files it did not reach are then read (nothing is
 * written) so that each says whether it has errors of its own. Files committed before are skipped.
 */
export async function commitBatch(
  database: Database,
  batchId: number,
  files: readonly BatchFileRef[],
  importer: Importer,
  actor: Actor,
  controls?: readonly (JobControl | undefined)[],
): Promise<BatchOutcome> {
  const ref = await loadReferenceLookup(database.db);
  const done: CommittedFile[] = [];
  try {
    await withTransaction(database, async (tx) => {
      // every kind of the batch at once, in the one order all commits and rollbacks lock in
      await lockFacts(
        tx,
        files.map((f) => f.kind),
      );
      for (const [i, f] of files.entries())
        done.push(await commitFileIn(database, tx, f.importId, f, importer, actor, ref, controls?.[i]));
      for (const [i, o] of done.entries())
        if (o.status === 'duplicate') await markDuplicate(tx, files[i]!.importId, o.duplicateOf);
      const now = new Date();
      await tx
        .update(importBatches)
        .set({ status: 'committed', committedAt: now, finishedAt: now, error: null })
        .where(eq(importBatches.id, batchId));
      await writeAudit(tx, actor, {
        action: 'import_batch.commit',
        entity: 'import_batch',
        entityId: batchId,
        after: {
          files: files.map((f, i) => ({
            importId: f.importId,
            kind: f.kind,
            fileName: f.fileName,
            status: done[i]!.status,
          })),
        },
      });
    });
    return { status: 'committed', files: done };
  } catch (error) {
    if (!(error instanceof ImportRefused)) throw error;
    const k = done.length;
    const because = files[k]!.importId;
    // nothing was written: read the files after the refused one, so that every file says why
    const rest = k + 1 < files.length ? await analyseBatch(database, files, importer) : [];
    const outcomes: BatchFileOutcome[] = [];
    for (const [i, f] of files.entries()) {
      if (i < k) {
        const o = done[i]!;
        outcomes.push(o.status === 'duplicate' ? o : { status: 'held', pass: o.pass, because });
      } else if (i === k) {
        outcomes.push({ status: 'refused', pass: error.pass });
      } else {
        const dup = await committedTwin(database.db, f.importId);
        const r = rest[i]!;
        outcomes.push(
          dup !== null
            ? { status: 'duplicate', duplicateOf: dup }
            : r.counts.error > 0
              ? { status: 'refused', pass: r }
              : { status: 'held', pass: r, because },
        );
      }
    }
    return { status: 'refused', files: outcomes };
  }
}

/** The committed import of the same kind and file as this one, if any. */
async function committedTwin(db: Db, importId: number): Promise<number | null> {
  const [rec] = await db.select().from(imports).where(eq(imports.id, importId));
  if (!rec) return null;
  return committedImportOf(db, rec.kind, rec.sha256);
}

async function markDuplicate(db: Db, importId: number, duplicateOf: number): Promise<void> {
  await db
    .update(imports)
    .set({
      status: 'refused',
      finishedAt: new Date(),
      error: `duplicate of import ${duplicateOf}`,
      counts: { duplicateOf },
    })
    .where(eq(imports.id, importId));
}

/** Records a refused batch: each file's problems and why it was not written; audited per file and for the batch. */
export async function afterBatchCommit(
  database: Database,
  batchId: number,
  files: readonly BatchFileRef[],
  outcome: BatchOutcome,
  actor: Actor,
): Promise<void> {
  if (outcome.status === 'committed') {
    for (const [i, o] of outcome.files.entries())
      if (o.status === 'committed') await releaseUpload(database.db, files[i]!.importId).catch(() => false);
    return;
  }
  const refused = files.filter((_, i) => outcome.files[i]!.status === 'refused');
  await database.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    for (const [i, o] of outcome.files.entries()) {
      const f = files[i]!;
      if (o.status === 'duplicate') {
        await markDuplicate(tx, f.importId, o.duplicateOf);
        continue;
      }
      if (o.status === 'committed') continue; // (cannot happen: a refused batch commits nothing)
      const pass = o.pass;
      if (pass) await replaceIssues(tx, f.importId, pass);
      const by = o.status === 'held' ? files.find((x) => x.importId === o.because) : undefined;
      await tx
        .update(imports)
        .set({
          status: 'refused',
          finishedAt: new Date(),
          counts: {
            ...(pass ? countsOf(pass) : {}),
            ...(o.status === 'held' ? { batchRefusedBy: o.because } : {}),
          },
          error:
            o.status === 'held'
              ? `not imported: ${by?.fileName ?? 'another file'} (import ${o.because}) of batch ${batchId} has errors`
              : null,
        })
        .where(eq(imports.id, f.importId));
      await writeAudit(tx, actor, {
        action: 'import.refused',
        entity: 'import',
        entityId: f.importId,
        after: { batchId, ...(pass?.counts ?? {}), ...(o.status === 'held' ? { heldBy: o.because } : {}) },
      });
    }
    await tx
      .update(importBatches)
      .set({
        status: 'refused',
        finishedAt: new Date(),
        error: `refused: ${refused.map((f) => f.fileName).join(', ')} ${refused.length > 1 ? 'have' : 'has'} errors`,
      })
      .where(eq(importBatches.id, batchId));
    await writeAudit(tx, actor, {
      action: 'import_batch.refused',
      entity: 'import_batch',
      entityId: batchId,
      after: { refused: refused.map((f) => f.importId) },
    });
  });
}

/** Records a batch (and its files, in batch order) about to be committed or previewed; audited. */
export async function createBatch(
  db: Db,
  importer: Importer,
  actor: Actor,
  status: 'previewing' | 'committing',
  files: readonly {
    kind: ImportKind;
    fileName: string;
    sha256: string;
    size: number;
    storedAs: string | null;
    duplicateOf: number | null;
  }[],
): Promise<{ batchId: number; importIds: number[] }> {
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [batch] = await tx
      .insert(importBatches)
      .values({ userId: importer.id, username: importer.username, regionCode: importer.regionCode, status })
      .returning({ id: importBatches.id });
    const batchId = batch!.id;
    const importIds: number[] = [];
    // one at a time: the registry gets the smallest id, so "newest first" rolls the facts back first
    for (const f of files) {
      const [row] = await tx
        .insert(imports)
        .values({
          kind: f.kind,
          fileName: f.fileName,
          sha256: f.sha256,
          fileSize: f.size,
          storedAs: f.storedAs,
          userId: importer.id,
          username: importer.username,
          regionCode: importer.regionCode,
          batchId,
          ...(f.duplicateOf !== null
            ? {
                status: 'refused',
                finishedAt: new Date(),
                error: `duplicate of import ${f.duplicateOf}`,
                counts: { duplicateOf: f.duplicateOf },
              }
            : { status }),
        })
        .returning({ id: imports.id });
      importIds.push(row!.id);
      await writeAudit(tx, actor, {
        action: 'import.upload',
        entity: 'import',
        entityId: row!.id,
        after: { batchId, kind: f.kind, fileName: f.fileName, sha256: f.sha256, size: f.size },
      });
    }
    await writeAudit(tx, actor, {
      action: 'import_batch.upload',
      entity: 'import_batch',
      entityId: batchId,
      after: { files: files.map((f, i) => ({ importId: importIds[i], kind: f.kind, fileName: f.fileName })) },
    });
    return { batchId, importIds };
  });
}

/** The committed import of each (kind, sha256), or null. */
export async function committedDuplicates(
  db: Db,
  files: readonly { kind: string; sha256: string }[],
): Promise<(number | null)[]> {
  if (files.length === 0) return [];
  const rows = await db
    .select({ id: imports.id, kind: imports.kind, sha256: imports.sha256 })
    .from(imports)
    .where(
      and(
        eq(imports.status, 'committed'),
        inArray(
          imports.sha256,
          files.map((f) => f.sha256),
        ),
      ),
    );
  return files.map((f) => rows.find((r) => r.kind === f.kind && r.sha256 === f.sha256)?.id ?? null);
}

// ---------------------------------------------------------------------------------------------
// Web: upload and preview, commit, rollback, read
// ---------------------------------------------------------------------------------------------

function usage(p: { en: string; zh: string }): AppError {
  return badRequest(p.en, p.zh);
}

/** Records an uploaded batch and starts its preview (one background job over its files). */
export async function startBatchUpload(
  database: Database,
  user: AuthedUser,
  uploaded: readonly { kind: string; file: UploadedFile }[],
  actor: Actor,
): Promise<ImportBatch> {
  const importer = importerOf(user);
  const problem = batchKindsProblem(uploaded.map((u) => u.kind));
  if (problem) throw usage(problem);
  const seen = new Set<string>();
  for (const u of uploaded) {
    const key = `${u.kind}:${u.file.sha256}`;
    if (seen.has(key))
      throw badRequest(
        `The same ${u.kind} file is in the batch twice (${u.file.fileName}).`,
        `同一个文件在批次中出现了两次（${u.file.fileName}）。`,
      );
    seen.add(key);
  }
  const files = batchOrder(uploaded);
  const dups = await committedDuplicates(
    database.db,
    files.map((u) => ({ kind: u.kind, sha256: u.file.sha256 })),
  );
  const { batchId, importIds } = await createBatch(
    database.db,
    importer,
    actor,
    'previewing',
    files.map((u, i) => ({
      kind: u.kind as ImportKind,
      fileName: u.file.fileName,
      sha256: u.file.sha256,
      size: u.file.size,
      storedAs: u.file.storedAs,
      duplicateOf: dups[i]!,
    })),
  );
  const todo = files.map((u, i) => ({ ...u, importId: importIds[i]! })).filter((_, i) => dups[i] === null);
  if (todo.length === 0) {
    await database.db
      .update(importBatches)
      .set({ status: 'refused', finishedAt: new Date(), error: EVERY_FILE_IMPORTED })
      .where(eq(importBatches.id, batchId));
    return getBatch(database.db, user, batchId);
  }
  // the answer is the batch as its preview starts (a small batch's job may end before a later read)
  const started = await getBatch(database.db, user, batchId);
  await startBatchPreview(
    database,
    batchId,
    todo.map((u) => ({
      importId: u.importId,
      kind: u.kind as ImportKind,
      path: u.file.path,
      fileName: u.file.fileName,
      size: u.file.size,
    })),
    importer,
  );
  return started;
}

/** The error of a batch none of whose files is left to import. */
export const EVERY_FILE_IMPORTED = 'every file was imported before';

export interface BatchPreviewFile extends BatchFileRef {
  size: number;
}

/**
 * Runs the preview of a batch's files (in batch order; the batch and its files are `previewing`) in
 * the background — after its upload, or again after it was interrupted or failed: one job over all
 * the files, whose outcome is recorded for every file and the batch in one transaction.
 */
export async function startBatchPreview(
  database: Database,
  batchId: number,
  files: readonly BatchPreviewFile[],
  importer: Importer,
): Promise<void> {
  await startJobs(
    database.db,
    files.map((f) => ({ importId: f.importId, bytesTotal: f.size })),
    'preview',
    async (controls) => {
      try {
        const results = await analyseBatch(database, files, importer, controls);
        await database.db.transaction(async (t) => {
          const tx = t as unknown as Db;
          for (const [i, r] of results.entries()) {
            await replaceIssues(tx, files[i]!.importId, r);
            await tx
              .update(imports)
              .set({
                status: r.counts.error > 0 ? 'refused' : 'previewed',
                finishedAt: new Date(),
                error: null,
                counts: countsOf(r),
              })
              .where(eq(imports.id, files[i]!.importId));
          }
          const bad = results.some((r) => r.counts.error > 0);
          await tx
            .update(importBatches)
            .set({
              status: bad ? 'refused' : 'previewed',
              finishedAt: new Date(),
              error: bad ? 'errors found: the batch cannot be imported' : null,
            })
            .where(eq(importBatches.id, batchId));
        });
      } catch (error) {
        await failBatch(
          database.db,
          batchId,
          files.map((f) => f.importId),
          error,
        );
        throw error;
      }
    },
  );
}

/** A batch's job failed: its files and the batch say so, together. */
export async function failBatch(db: Db, batchId: number, importIds: number[], error: unknown): Promise<void> {
  const message = failureText(error);
  await db.transaction(async (tx) => {
    await tx
      .update(imports)
      .set({ status: 'failed', error: message, finishedAt: new Date() })
      .where(inArray(imports.id, importIds));
    await tx
      .update(importBatches)
      .set({ status: 'failed', error: message, finishedAt: new Date() })
      .where(eq(importBatches.id, batchId));
  });
}

export async function loadOwnBatch(db: Db, user: AuthedUser, id: number) {
  const [b] = await db.select().from(importBatches).where(eq(importBatches.id, id));
  if (!historyVisible(user, b?.regionCode ?? null) || !b) throw notFound('import batch');
  return b;
}

/** Commits a previewed batch in the background: every file's preview must have found no errors. */
export async function startBatchCommit(
  database: Database,
  user: AuthedUser,
  id: number,
  actor: Actor,
): Promise<ImportBatch> {
  const importer = importerOf(user);
  const b = await loadOwnBatch(database.db, user, id);
  if (b.status !== 'previewed') {
    throw conflict(
      `Import batch ${id} is ${b.status}; only a previewed batch without errors can be committed.`,
      `第 ${id} 批导入状态为 ${b.status}，只有预览无错误的批次才能提交。`,
    );
  }
  const recs = await database.db
    .select()
    .from(imports)
    .where(and(eq(imports.batchId, id), eq(imports.status, 'previewed')))
    .orderBy(asc(imports.id));
  const files: BatchFileRef[] = recs.map((r) => ({
    importId: r.id,
    kind: r.kind as ImportKind,
    path: uploadPath(r.storedAs) ?? '',
    fileName: r.fileName,
  }));
  if (recs.some((r) => !uploadExists(r.storedAs))) {
    throw new AppError(
      410,
      'gone',
      'An uploaded file of the batch is no longer on the server; upload the batch again.',
      '服务器上已没有该批次的某个上传文件，请重新上传。',
    );
  }
  // the batch and its files together: a restart never finds a committing batch over previewed files
  const moved = await database.db.transaction(async (tx) => {
    const rows = await tx
      .update(importBatches)
      .set({ status: 'committing' })
      .where(and(eq(importBatches.id, id), eq(importBatches.status, 'previewed')))
      .returning({ id: importBatches.id });
    if (rows.length === 0) return false;
    await tx
      .update(imports)
      .set({ status: 'committing' })
      .where(
        inArray(
          imports.id,
          files.map((f) => f.importId),
        ),
      );
    return true;
  });
  if (!moved) throw conflict(`Import batch ${id} is being committed already.`, `第 ${id} 批导入已在提交中。`);
  // read before the commit takes the database: polls are answered from it while the job runs
  const view = await getBatch(database.db, user, id);
  await startJobs(
    database.db,
    recs.map((r) => ({ importId: r.id, bytesTotal: r.fileSize ?? 0 })),
    'commit',
    async (controls) => {
      try {
        const outcome = await commitBatch(database, id, batchOrder(files), importer, actor, controls);
        await afterBatchCommit(database, id, batchOrder(files), outcome, actor);
      } catch (error) {
        await failBatch(
          database.db,
          id,
          files.map((f) => f.importId),
          error,
        );
        throw error;
      }
    },
  );
  if (recs[0]) keepView(batchViewKey(id), recs[0].id, view);
  for (const f of view.files) keepView(importViewKey(f.id), f.id, f);
  return liveBatch(user, id) ?? getBatch(database.db, user, id);
}

/** Rolls back every committed file of a batch, newest first, in one transaction (administrators). */
export async function rollbackBatch(
  database: Database,
  user: AuthedUser,
  id: number,
  actor: Actor,
): Promise<ImportBatch> {
  assertAllowed(user, 'imports.import', 'rollback');
  await withTransaction(database, async (tx) => {
    const [b] = await tx.select().from(importBatches).where(eq(importBatches.id, id));
    if (!b) throw notFound('import batch');
    if (b.status !== 'committed') {
      throw conflict(
        `Import batch ${id} is ${b.status}; only a committed batch can be rolled back.`,
        `第 ${id} 批导入状态为 ${b.status}，只有已提交的批次可以撤销。`,
      );
    }
    const files = await tx
      .select({ id: imports.id })
      .from(imports)
      .where(and(eq(imports.batchId, id), eq(imports.status, 'committed')));
    const newestFirst = files.map((f) => f.id).sort((a, c) => c - a);
    for (const importId of newestFirst) await rollbackIn(tx, importId, actor);
    await tx
      .update(importBatches)
      .set({ status: 'rolled_back', rolledBackAt: new Date(), rolledBackBy: actor.username })
      .where(eq(importBatches.id, id));
    await writeAudit(tx, actor, {
      action: 'import_batch.rollback',
      entity: 'import_batch',
      entityId: id,
      before: { status: 'committed' },
      after: { status: 'rolled_back', imports: newestFirst },
    });
  });
  return getBatch(database.db, user, id);
}

/** A batch with its files (registry first), their problems and the batch's job progress. */
export async function getBatch(db: Db, user: AuthedUser, id: number): Promise<ImportBatch> {
  const live = liveBatch(user, id);
  if (live) return live;
  await recoverInterruptedJobs(db); // a batch whose job a restart cut short reads `interrupted`
  const b = await loadOwnBatch(db, user, id);
  const recs = await db
    .select({ id: imports.id, kind: imports.kind })
    .from(imports)
    .where(eq(imports.batchId, id))
    .orderBy(asc(imports.id));
  const files: ImportDetail[] = [];
  for (const r of batchOrder(recs)) files.push(await readImport(db, user, r.id));
  return {
    id: b.id,
    username: b.username,
    regionCode: b.regionCode,
    status: b.status as ImportBatch['status'],
    createdAt: b.createdAt.toISOString(),
    finishedAt: b.finishedAt?.toISOString() ?? null,
    committedAt: b.committedAt?.toISOString() ?? null,
    rolledBackAt: b.rolledBackAt?.toISOString() ?? null,
    rolledBackBy: b.rolledBackBy,
    error: b.error,
    job: batchJob(files),
    files,
  };
}

const batchViewKey = (id: number) => `batch:${id}`;

/**
 * A batch whose commit runs in this process, answered without the database (the commit's transaction
 * holds it): the read kept when the job started, with live progress (see keepView). Null otherwise.
 */
export function liveBatch(user: AuthedUser, id: number): ImportBatch | null {
  const view = viewOf<ImportBatch>(batchViewKey(id));
  if (!view) return null;
  const files = view.files.map((f) => ({ ...f, job: liveJob(f.id) ?? f.job }));
  if (!files.some((f) => f.job?.status === 'running')) return null;
  if (!historyVisible(user, view.regionCode)) throw notFound('import batch');
  return { ...view, files, job: batchJob(files) };
}

/** The batch's progress: its files' jobs of the latest phase, summed. */
function batchJob(files: ImportDetail[]): ImportBatch['job'] {
  const jobs = files.map((f) => f.job).filter((j) => j !== null);
  const phase = jobs.reduce<(typeof jobs)[number] | null>(
    (a, j) => (!a || j.jobId > a.jobId ? j : a),
    null,
  )?.phase;
  const current = jobs.filter((j) => j.phase === phase);
  const job = phase
    ? (() => {
        const bytesTotal = current.reduce((s, j) => s + j.bytesTotal, 0);
        const bytesRead = current.reduce((s, j) => s + j.bytesRead, 0);
        const status = current.some((j) => j.status === 'running')
          ? ('running' as const)
          : current.some((j) => j.status === 'failed')
            ? ('failed' as const)
            : current.some((j) => j.status === 'interrupted')
              ? ('interrupted' as const)
              : ('done' as const);
        return {
          phase,
          status,
          rows: current.reduce((s, j) => s + j.rows, 0),
          bytesRead,
          bytesTotal,
          fraction: status === 'done' ? 1 : bytesTotal > 0 ? Math.min(0.99, bytesRead / bytesTotal) : 0,
        };
      })()
    : null;
  return job;
}
