// Background jobs of imports: a preview or a commit runs after the request has answered; its
// progress lives in memory while it runs (a PGlite transaction would hide any progress row) and in
// `import_jobs` when it ends, so a reloaded page (or another tab) polls the same job by import id.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { importJobs } from '../../db/schema.ts';

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
  const [row] = await db
    .insert(importJobs)
    .values({ importId, phase, status: 'running', bytesTotal })
    .returning();
  const progress: JobProgress = {
    jobId: row!.id,
    importId,
    phase,
    status: 'running',
    rows: 0,
    bytesRead: 0,
    bytesTotal,
    fraction: 0,
    message: null,
    startedAt: row!.startedAt.toISOString(),
    finishedAt: null,
  };
  const control: JobControl = {
    progress(p) {
      progress.rows = p.rows;
      progress.bytesRead = p.bytesRead;
      progress.fraction = bytesTotal > 0 ? Math.min(0.99, p.bytesRead / bytesTotal) : 0;
    },
  };
  const promise = (async () => {
    // let the request that started the job answer first
    await new Promise((resolve) => setImmediate(resolve));
    let status: 'done' | 'failed' = 'done';
    try {
      await fn(control);
    } catch (error) {
      status = 'failed';
      progress.message = (error as Error).message;
    }
    progress.status = status;
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
  })().finally(() => running.delete(importId));
  running.set(importId, { progress, promise });
  return progress;
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
  // 'running' in the table but not in this process: the server stopped while it ran
  const status = row.status === 'running' ? 'interrupted' : (row.status as JobProgress['status']);
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

export function isRunning(importId: number): boolean {
  return running.has(importId);
}

/** Waits for one import's job, or for every job (server shutdown, tests). */
export async function waitForJobs(importId?: number): Promise<void> {
  if (importId !== undefined) {
    await running.get(importId)?.promise;
    return;
  }
  while (running.size) await Promise.allSettled([...running.values()].map((r) => r.promise));
}
