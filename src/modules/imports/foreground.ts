// Imports committed in the foreground, by a process that waits for them (the CLI): recorded as the
// web records its imports, and run as a job with a heartbeat like the web's background jobs
// (jobs.ts), so a server that looks for interrupted jobs (recovery.ts) leaves them alone while the
// process lives, and marks them `interrupted` once its heartbeat has stopped (the process was killed).
import type { Database, Db } from '../../db/client.ts';
import { imports } from '../../db/schema.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import {
  afterBatchCommit,
  batchOrder,
  commitBatch,
  createBatch,
  failBatch,
  type BatchFileRef,
  type BatchOutcome,
} from './batches.ts';
import { startJobs, waitForJobs, type JobControl, type JobPhase } from './jobs.ts';
import {
  afterCommit,
  commitFile,
  markImportFailed,
  type CommitOutcome,
  type FileRef,
  type Importer,
} from './service.ts';
import { recordStepsAtExit } from './steps-file.ts';

/**
 * Runs fn as one job over these imports (a row each in `import_jobs`, stamped while it runs) and
 * waits until the job has ended and its rows say so: answers what fn answers, throws what it throws.
 */
export async function runJobsAndWait<T>(
  db: Db,
  files: { importId: number; bytesTotal: number }[],
  phase: JobPhase,
  fn: (controls: JobControl[]) => Promise<T>,
): Promise<T> {
  if (files.length === 0) return fn([]);
  const result: { done?: { ok: true; value: T } | { ok: false; error: unknown } } = {};
  await startJobs(db, files, phase, async (controls) => {
    try {
      result.done = { ok: true, value: await fn(controls) };
    } catch (error) {
      result.done = { ok: false, error };
      throw error; // the job rows say `failed`
    }
  });
  // (one promise for all the files: waiting for the first waits for every one)
  await waitForJobs(files[0]!.importId);
  const done = result.done;
  if (!done) throw new Error('the import job ended without an outcome');
  if (!done.ok) throw done.error;
  return done.value;
}

/** Both the job's control (its progress, stamped by the heartbeat) and the caller's (a progress bar). */
function both(job: JobControl, extra: JobControl | undefined): JobControl {
  return extra
    ? {
        progress(p) {
          job.progress(p);
          extra.progress(p);
        },
      }
    : job;
}

export interface LocalFile extends FileRef {
  sha256: string;
  size: number;
}

/**
 * Records an import of a local file as `committing` (audited `import.upload`) and commits it in one
 * transaction, as a job of this process; an unexpected error marks the import failed and is thrown.
 */
export async function commitLocalFile(
  database: Database,
  f: LocalFile,
  importer: Importer,
  actor: Actor,
  control?: JobControl,
): Promise<{ id: number; outcome: CommitOutcome }> {
  recordStepsAtExit();
  const id = await database.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(imports)
      .values({
        kind: f.kind,
        fileName: f.fileName,
        sha256: f.sha256,
        fileSize: f.size,
        userId: importer.id,
        username: importer.username,
        regionCode: importer.regionCode,
        status: 'committing',
      })
      .returning({ id: imports.id });
    await writeAudit(tx as unknown as Db, actor, {
      action: 'import.upload',
      entity: 'import',
      entityId: row!.id,
      after: { kind: f.kind, fileName: f.fileName, sha256: f.sha256, size: f.size },
    });
    return row!.id;
  });
  const outcome = await runJobsAndWait(
    database.db,
    [{ importId: id, bytesTotal: f.size }],
    'commit',
    async ([job]) => {
      try {
        const o = await commitFile(
          database,
          id,
          { kind: f.kind, path: f.path, fileName: f.fileName },
          importer,
          actor,
          both(job!, control),
        );
        await afterCommit(database, id, o, actor);
        return o;
      } catch (error) {
        await markImportFailed(database.db, id, error);
        throw error;
      }
    },
  );
  return { id, outcome };
}

/**
 * Records an import batch of local files as `committing` (createBatch, audited) and commits its
 * files in ONE transaction, registry first, as one job of this process over all of them; an
 * unexpected error marks the batch and its files failed and is thrown. `files` and `controls` are
 * in batch order (batchOrder), as are the answered import ids and outcomes.
 */
export async function commitLocalBatch(
  database: Database,
  files: readonly LocalFile[],
  importer: Importer,
  actor: Actor,
  controls?: readonly (JobControl | undefined)[],
): Promise<{ batchId: number; importIds: number[]; outcome: BatchOutcome }> {
  if (batchOrder(files).some((f, i) => f !== files[i]))
    throw new Error('the files of a batch are committed in batch order: the registry first');
  recordStepsAtExit();
  const { batchId, importIds } = await createBatch(
    database.db,
    importer,
    actor,
    'committing',
    files.map((f) => ({ ...f, storedAs: null, duplicateOf: null })),
  );
  const refs: BatchFileRef[] = files.map((f, i) => ({
    importId: importIds[i]!,
    kind: f.kind,
    path: f.path,
    fileName: f.fileName,
  }));
  const outcome = await runJobsAndWait(
    database.db,
    files.map((f, i) => ({ importId: importIds[i]!, bytesTotal: f.size })),
    'commit',
    async (jobs) => {
      try {
        const o = await commitBatch(
          database,
          batchId,
          refs,
          importer,
          actor,
          jobs.map((job, i) => both(job, controls?.[i])),
        );
        await afterBatchCommit(database, batchId, refs, o, actor);
        return o;
      } catch (error) {
        await failBatch(database.db, batchId, importIds, error);
        throw error;
      }
    },
  );
  return { batchId, importIds, outcome };
}
