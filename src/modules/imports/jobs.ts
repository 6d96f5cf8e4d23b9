// Background jobs of imports: a preview or a commit runs after the request has answered; its
// progress lives in memory while it runs (a PGlite transaction would hide any progress row) and in
// `import_jobs` when it ends, so a reloaded page (or another tab) polls the same job by import id.
// While it runs, a heartbeat stamps the job row every few seconds: a job whose heartbeat has
// stopped belonged to a server that stopped (recovery.ts marks it failed).
import { settings } from '../../settings.ts';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { importJobs } from '../../db/schema.ts';
import { failureText } from '../../domain/imports/problems.ts';

export type JobPhase = 'preview' | 'commit';

export interface JobProgress {
  jobId: number;
  importId: number;
  phase: JobPhase;
  status: 'running' | 'done' | 'failed' | 'interrupted';
  rows: number;
  bytesRead: number;
  bytesTotal: number;
  /** 0–1 by bytes read, the only measure known before the end of a streamed file */
  fraction: number;
  message: string | null;
  startedAt: string;
  finishedAt: string | null;
}

interface Running {
  progress: JobProgress;
  promise: Promise<void>;
}

const running = new Map<number, Running>();

/** How often a running job stamps its row (CLUSTERSCOPE_JOB_HEARTBEAT_SECONDS, default 10). */
export function heartbeatMs(): number {
  return settings().CLUSTERSCOPE_JOB_HEARTBEAT_SECONDS * 1000;
}

export interface JobControl {
  progress(p: { rows: number; bytesRead: number }): void;
}

/** Starts fn in the background; the job row is written before and after, never during. */
export async function startJob(
  db: Db,
  importId: number,
  phase: JobPhase,
  bytesTotal: number,
  fn: (control: JobControl) => Promise<void>,
): Promise<JobProgress> {
  const [progress] = await startJobs(db, [{ importId, bytesTotal }], phase, ([control]) => fn(control!));
  return progress!;
}

/**
 * One background run over several imports (the files of an import batch, read one after the other):
 * each import gets its own job row and progress, all of them ending together.
 */
export async function startJobs(
  db: Db,
  files: { importId: number; bytesTotal: number }[],
  phase: JobPhase,
  fn: (controls: JobControl[]) => Promise<void>,
): Promise<JobProgress[]> {
  const rows = files.length
    ? await db
        .insert(importJobs)
        .values(
          files.map((f) => ({ importId: f.importId, phase, status: 'running', bytesTotal: f.bytesTotal })),
        )
        .returning()
    : [];
  const all: JobProgress[] = files.map((f, i) => ({
    jobId: rows[i]!.id,
    importId: f.importId,
    phase,
    status: 'running',
    rows: 0,
    bytesRead: 0,
    bytesTotal: f.bytesTotal,
    fraction: 0,
    message: null,
    startedAt: rows[i]!.startedAt.toISOString(),
    finishedAt: null,
  }));
  const controls: JobControl[] = all.map((progress) => ({
    progress(p) {
      progress.rows = p.rows;
      progress.bytesRead = p.bytesRead;
      progress.fraction = progress.bytesTotal > 0 ? Math.min(0.99, p.bytesRead / progress.bytesTotal) : 0;
    },
  }));
  // the heartbeat: each running job's row gets its progress and a fresh updated_at every few seconds
  let stamping: Promise<unknown> | null = null;
  const stamp = () => {
    if (stamping) return; // (on PGlite a stamp waits while a commit's transaction runs)
    stamping = Promise.all(
      all.map((progress) =>
        db
          .update(importJobs)
          .set({ rows: progress.rows, bytesRead: progress.bytesRead, updatedAt: sql`now()` })
          .where(and(eq(importJobs.id, progress.jobId), eq(importJobs.status, 'running'))),
      ),
    )
      .catch(() => undefined)
      .finally(() => (stamping = null));
  };
  const promise = (async () => {
    // let the request that started the job answer first
    await new Promise((resolve) => setImmediate(resolve));
    const timer = setInterval(stamp, heartbeatMs());
    timer.unref();
    let status: 'done' | 'failed' = 'done';
    let message: string | null = null;
    try {
      await fn(controls);
    } catch (error) {
      status = 'failed';
      message = failureText(error);
    } finally {
      clearInterval(timer);
      await stamping;
    }
    for (const progress of all) {
      progress.status = status;
      progress.message = message;
      progress.fraction = status === 'done' ? 1 : progress.fraction;
      progress.finishedAt = new Date().toISOString();
      await db
        .update(importJobs)
        .set({
          status,
          rows: progress.rows,
          bytesRead: progress.bytesRead,
          message: progress.message,
          updatedAt: new Date(),
          finishedAt: new Date(),
        })
        .where(eq(importJobs.id, progress.jobId))
        .catch(() => undefined);
    }
  })().finally(() => {
    for (const f of files) running.delete(f.importId);
  });
  for (const progress of all) running.set(progress.importId, { progress, promise });
  return all;
}

/** The latest job of an import: the live one if it runs in this process, else as recorded. */
export async function jobOf(db: Db, importId: number): Promise<JobProgress | null> {
  const live = running.get(importId);
  if (live) return { ...live.progress };
  const [row] = await db
    .select()
    .from(importJobs)
    .where(eq(importJobs.importId, importId))
    .orderBy(desc(importJobs.id))
    .limit(1);
  if (!row) return null;
  // 'running' in the table but not in this process: another server runs it (its heartbeat keeps
  // the row's progress), or a stopped server did (recovery.ts marks it failed once it is stale)
  const status = row.status as JobProgress['status'];
  return {
    jobId: row.id,
    importId,
    phase: row.phase as JobPhase,
    status,
    rows: row.rows,
    bytesRead: row.bytesRead,
    bytesTotal: row.bytesTotal,
    fraction: status === 'done' ? 1 : row.bytesTotal > 0 ? row.bytesRead / row.bytesTotal : 0,
    message: row.message,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

// ---------------------------------------------------------------- reads while a commit runs
//
// A commit holds the database in one transaction; on the embedded PGlite every other query waits for
// it, so a page polling the import would freeze until the end. Nothing of the import's record changes
// while its job runs (the job writes it when it ends), so the read taken when the job started is
// served, with the live progress, until the job ends.

const views = new Map<string, unknown>();

/** Keeps `view` (an import's or a batch's read) as `key` for as long as the import's job runs. */
export function keepView(key: string, importId: number, view: unknown): void {
  const live = running.get(importId);
  if (!live) return;
  views.set(key, view);
  void live.promise.finally(() => views.delete(key));
}

/** The view kept for `key` while its job runs, or undefined. */
export function viewOf<T>(key: string): T | undefined {
  return views.get(key) as T | undefined;
}

/** The live progress of an import's job running in this process, or null. */
export function liveJob(importId: number): JobProgress | null {
  const live = running.get(importId);
  return live ? { ...live.progress } : null;
}

export function isRunning(importId: number): boolean {
  return running.has(importId);
}

/** Job ids running in this process: never stale, whatever their row says. */
export function runningJobIds(): number[] {
  return [...running.values()].map((r) => r.progress.jobId);
}

/** Waits for one import's job, or for every job (server shutdown, tests). */
export async function waitForJobs(importId?: number): Promise<void> {
  if (importId !== undefined) {
    await running.get(importId)?.promise;
    return;
  }
  while (running.size) await Promise.allSettled([...running.values()].map((r) => r.promise));
}
