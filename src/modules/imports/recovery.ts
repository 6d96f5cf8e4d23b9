// Jobs a stopped server left behind. A preview or commit runs in the process that started it and
// stamps its `import_jobs` row every few seconds (jobs.ts); when the stamps stop — the server was
// restarted or died — the job is marked failed and its import `interrupted`, a state the user can
// act on: run the preview again (the file is still there) or discard the import. A commit that was
// interrupted wrote nothing: its transaction died with the server. An import batch whose files were
// cut short becomes `interrupted` with them (it is previewed again or discarded as a whole).
import { settings } from '../../settings.ts';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../../db/client.ts';
import { importBatches, imports } from '../../db/schema.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { runningJobIds } from './jobs.ts';

export const INTERRUPTED = {
  en: 'interrupted (server restarted)',
  zh: '服务器重启，任务中断',
} as const;
export const INTERRUPTED_MESSAGE = `${INTERRUPTED.en} / ${INTERRUPTED.zh}`;

const SYSTEM: Actor = { id: null, username: 'system' };

/** Seconds without a heartbeat after which a running job is taken for dead (CLUSTERSCOPE_JOB_STALE_SECONDS, default 60). */
export function staleSeconds(): number {
  return settings().CLUSTERSCOPE_JOB_STALE_SECONDS;
}

export interface RecoveryOptions {
  /** seconds without a heartbeat; default staleSeconds() */
  staleSeconds?: number;
  /**
   * Every job not running in this process is dead: true at the start of a server on embedded PGlite
   * (only one process can open its data folder, so nothing else can be running a job).
   */
  all?: boolean;
}

/**
 * Marks stale running jobs failed and puts their imports (previewing or committing) in the
 * `interrupted` state; also an import left previewing/committing with no running job at all (the
 * server stopped between recording the import and starting its job). Answers the import ids.
 */
export async function recoverInterruptedJobs(db: Db, o: RecoveryOptions = {}): Promise<number[]> {
  const stale = Math.max(0, o.staleSeconds ?? staleSeconds());
  const local = runningJobIds();
  const mine = local.length ? sql`and j.id not in (${sql.join(local, sql`, `)})` : sql``;
  const old = o.all ? sql`true` : sql`j.updated_at < now() - make_interval(secs => ${stale})`;
  const jobs = await queryRows<{ import_id: number | string }>(
    db,
    sql`update import_jobs j set status = 'failed', message = ${INTERRUPTED_MESSAGE},
          finished_at = now(), updated_at = now()
        where j.status = 'running' and ${old} ${mine}
        returning j.import_id`,
  );
  // an import previewing/committing without any running job, untouched for longer than `stale`
  const localImports = local.length
    ? sql`and not exists (select 1 from import_jobs j where j.import_id = i.id and j.id in (${sql.join(local, sql`, `)}))`
    : sql``;
  // Not at start: only an import whose latest job is of its own phase (or that has none yet) —
  // one just moved to committing has its preview job as the latest until its commit job is
  // recorded a moment later, and must not be taken for dead in between.
  const quiet = o.all
    ? sql`true`
    : sql`coalesce((select max(j.updated_at) from import_jobs j where j.import_id = i.id), i.created_at)
            < now() - make_interval(secs => ${stale})
          and coalesce((select j.phase from import_jobs j where j.import_id = i.id order by j.id desc limit 1),
                       'preview') = case i.status when 'committing' then 'commit' else 'preview' end`;
  const orphans = await queryRows<{ id: number | string }>(
    db,
    sql`select i.id from imports i
        where i.status in ('previewing', 'committing')
          and not exists (select 1 from import_jobs j where j.import_id = i.id and j.status = 'running')
          and ${quiet} ${localImports}`,
  );
  const ids = [...new Set([...jobs.map((j) => Number(j.import_id)), ...orphans.map((r) => Number(r.id))])];
  if (ids.length === 0 && (await stuckBatches(db)).length === 0) return [];
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const moved = await t
      .update(imports)
      .set({ status: 'interrupted', error: INTERRUPTED_MESSAGE, finishedAt: new Date() })
      .where(and(inArray(imports.id, ids), inArray(imports.status, ['previewing', 'committing'])))
      .returning({ id: imports.id });
    for (const m of moved) {
      await writeAudit(t, SYSTEM, {
        action: 'import.interrupted',
        entity: 'import',
        entityId: m.id,
        after: { status: 'interrupted', error: INTERRUPTED_MESSAGE },
      });
    }
    // their batches (and any batch left previewing/committing over files that no longer run)
    for (const b of await stuckBatches(t)) {
      const done = await t
        .update(importBatches)
        .set({ status: 'interrupted', error: INTERRUPTED_MESSAGE, finishedAt: new Date() })
        .where(and(eq(importBatches.id, b.id), inArray(importBatches.status, ['previewing', 'committing'])))
        .returning({ id: importBatches.id });
      if (done.length === 0) continue;
      await writeAudit(t, SYSTEM, {
        action: 'import_batch.interrupted',
        entity: 'import_batch',
        entityId: b.id,
        before: { status: b.status },
        after: { status: 'interrupted', error: INTERRUPTED_MESSAGE },
      });
    }
    return moved.map((m) => m.id);
  });
}

/**
 * Batches still previewing or committing although none of their files is (they run as one job, so
 * their files stop together), and one of them was interrupted or failed.
 */
async function stuckBatches(db: Db): Promise<{ id: number; status: string }[]> {
  const rows = await queryRows<{ id: number | string; status: string }>(
    db,
    sql`select b.id, b.status from import_batches b
        where b.status in ('previewing', 'committing')
          and not exists (select 1 from imports i
                          where i.batch_id = b.id and i.status in ('previewing', 'committing'))
          and exists (select 1 from imports i where i.batch_id = b.id and i.status in ('interrupted', 'failed'))`,
  );
  return rows.map((r) => ({ id: Number(r.id), status: r.status }));
}

/** At server start: on PGlite every job not running in this process is dead; on PostgreSQL the stale ones. */
export function recoverAtStart(database: Database): Promise<number[]> {
  return recoverInterruptedJobs(database.db, { all: database.kind === 'pglite' });
}
