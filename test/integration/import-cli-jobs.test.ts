// Imports the CLI runs (`clusterscope import`, `clusterscope import-batch`) are jobs with a heartbeat,
// like the web's: a server looking for interrupted jobs leaves them alone while the CLI process lives,
// and marks them interrupted once it was killed. On every test database the service functions the
// CLI calls record their jobs; on PostgreSQL (where a server and a CLI share the database) the real
// CLI runs in its own process beside this one, held inside its commit by a table lock.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, REPO_ROOT, type Database } from '../../src/db/client.ts';
import { auditLog, enterprises, importBatches, importJobs, imports } from '../../src/db/schema.ts';
import { onFactsChanged, waitForJobs } from '../../src/modules/imports/service.ts';
import { commitLocalBatch, commitLocalFile } from '../../src/modules/imports/foreground.ts';
import { INTERRUPTED_MESSAGE, recoverInterruptedJobs } from '../../src/modules/imports/recovery.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, seedFixture } from '../helpers/fixtures.ts';

const CLI = { id: null, username: 'cli' };
const IMPORTER = { id: null, username: 'cli', regionCode: null };
const REGISTRY = ['统一社会信用代码', '企业名称', '区县代码', '行业代码', '规模'];
const MONTHLY = ['统一社会信用代码', '统计月份', '工业总产值(万元)'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls check until it answers something truthy; fails after `seconds` (never a timed assertion). */
async function until<T>(what: string, check: () => Promise<T>, seconds = 90): Promise<NonNullable<T>> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

describe.each(testDatabases())('CLI imports as jobs with a heartbeat on $kind', (t) => {
  let d: Database;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-cli-jobs-'));
  const A = fixtureUscc(1);
  const B = fixtureUscc(2);

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await seedFixture(d);
  });
  afterAll(async () => {
    await waitForJobs();
    if (d) await t.dispose(d);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, rows: (string | number)[][]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, rows.map((r) => r.join(',')).join('\r\n') + '\r\n');
    return { kind: 'monthly' as const, path: file, fileName: name, size: fs.statSync(file).size };
  };
  let n = 0;
  /** a clean monthly file of a month of its own (no two files are the same) */
  const monthly = () => {
    n++;
    const m = `2021-${String(n).padStart(2, '0')}`;
    return {
      ...write(`m-${t.kind}-${n}.csv`, [MONTHLY, [A, m, 10 + n], [B, m, 20 + n]]),
      sha256: `${t.kind}-monthly-${n}`,
    };
  };
  const jobsOf = (ids: number[]) =>
    d.db.select().from(importJobs).where(inArray(importJobs.importId, ids)).orderBy(asc(importJobs.id));
  const actions = async (entity: string, id: number) =>
    (
      await d.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.entity, entity), eq(auditLog.entityId, String(id))))
        .orderBy(asc(auditLog.id))
    ).map((a) => a.action);

  it('a CLI import is recorded with a commit job that ends done (or failed, with the import)', async () => {
    const progress: number[] = [];
    const ok = await commitLocalFile(d, monthly(), IMPORTER, CLI, {
      progress: (p) => progress.push(p.rows),
    });
    expect(ok.outcome.status).toBe('committed');
    expect(progress.length).toBeGreaterThan(0); // the caller's progress bar is fed too
    const [rec] = await d.db.select().from(imports).where(eq(imports.id, ok.id));
    expect(rec).toMatchObject({ status: 'committed', username: 'cli', userId: null, batchId: null });
    expect(await jobsOf([ok.id])).toEqual([
      expect.objectContaining({ phase: 'commit', status: 'done', rows: 2, message: null }),
    ]);
    expect(await actions('import', ok.id)).toEqual(['import.upload', 'import.commit']);

    // a file with errors: refused, its job done all the same
    const bad = await commitLocalFile(
      d,
      { ...write(`bad-${t.kind}.csv`, [MONTHLY, [A, '2021-01', 'abc']]), sha256: `${t.kind}-bad` },
      IMPORTER,
      CLI,
    );
    expect(bad.outcome.status).toBe('refused');
    expect((await d.db.select().from(imports).where(eq(imports.id, bad.id)))[0]!.status).toBe('refused');
    expect((await jobsOf([bad.id]))[0]).toMatchObject({ status: 'done' });

    // an unexpected failure inside the commit: thrown to the CLI, the import and its job say failed
    const off = onFactsChanged(() => {
      throw new Error('a hook broke');
    });
    const failing = monthly();
    try {
      await expect(commitLocalFile(d, failing, IMPORTER, CLI)).rejects.toThrow('a hook broke');
    } finally {
      off();
    }
    const [failed] = await d.db.select().from(imports).where(eq(imports.sha256, failing.sha256));
    expect(failed).toMatchObject({ status: 'failed', error: 'a hook broke' });
    expect(await jobsOf([failed!.id])).toEqual([
      expect.objectContaining({ phase: 'commit', status: 'failed', message: 'a hook broke' }),
    ]);
    // nothing is left for a server's recovery to find
    expect(await recoverInterruptedJobs(d.db, { staleSeconds: 0 })).toEqual([]);
  });

  it('a CLI batch is recorded with a commit job per file, ending together (failed together)', async () => {
    const firm = fixtureUscc(9_201, NANHU);
    const registry = {
      ...write(`firms-${t.kind}.csv`, [
        REGISTRY,
        [firm, '嘉兴命令行任务示例有限公司', NANHU, '1711', '规上'],
      ]),
      kind: 'enterprises' as const,
      sha256: `${t.kind}-registry`,
    };
    const facts = {
      ...write(`firm-month-${t.kind}.csv`, [MONTHLY, [firm, '2021-12', 77]]),
      sha256: `${t.kind}-firm-month`,
    };
    const fed: number[] = [];
    const ok = await commitLocalBatch(d, [registry, facts], IMPORTER, CLI, [
      undefined,
      { progress: (p) => fed.push(p.rows) },
    ]);
    expect(ok.outcome.status).toBe('committed');
    expect(fed.length).toBeGreaterThan(0);
    const [batch] = await d.db.select().from(importBatches).where(eq(importBatches.id, ok.batchId));
    expect(batch).toMatchObject({ status: 'committed', username: 'cli' });
    const jobs = await jobsOf(ok.importIds);
    expect(jobs.map((j) => [j.importId, j.phase, j.status])).toEqual([
      [ok.importIds[0], 'commit', 'done'],
      [ok.importIds[1], 'commit', 'done'],
    ]);
    expect((await d.db.select().from(enterprises).where(eq(enterprises.uscc, firm))).length).toBe(1);

    // the registry first: a batch in another order is not run at all
    await expect(commitLocalBatch(d, [facts, registry], IMPORTER, CLI)).rejects.toThrow('batch order');

    const off = onFactsChanged(() => {
      throw new Error('a hook broke in a batch');
    });
    try {
      await expect(commitLocalBatch(d, [monthly(), monthly()], IMPORTER, CLI)).rejects.toThrow(
        'a hook broke in a batch',
      );
    } finally {
      off();
    }
    const [last] = await d.db
      .select()
      .from(importBatches)
      .orderBy(sql`${importBatches.id} desc`)
      .limit(1);
    expect(last).toMatchObject({ status: 'failed', error: 'a hook broke in a batch' });
    const failed = await d.db.select().from(imports).where(eq(imports.batchId, last!.id));
    expect(failed.map((i) => i.status)).toEqual(['failed', 'failed']);
    expect((await jobsOf(failed.map((f) => f.id))).map((j) => j.status)).toEqual(['failed', 'failed']);
    expect(await recoverInterruptedJobs(d.db, { staleSeconds: 0 })).toEqual([]);
  });

  // PGlite is opened by one process at a time (its data folder is locked), so no server ever runs
  // beside a CLI there; on PostgreSQL they share the database, and this runs the real CLI beside us.
  if (t.kind !== 'postgres') return;

  const STALE = 2; // seconds without a heartbeat after which recovery takes a job for dead
  let url = '';
  beforeAll(async () => {
    const [{ name }] = (await queryRows<{ name: string }>(d.db, sql`select current_database() as name`)) as [
      { name: string },
    ];
    const u = new URL(process.env.DATABASE_URL!);
    u.pathname = `/${name}`;
    url = u.toString();
  });

  /** The CLI in its own process on this scratch database, its heartbeat every 0.2 s. */
  function cli(...args: string[]) {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'clusterscope.js'), ...args], {
      env: { ...process.env, DATABASE_URL: url, CLUSTERSCOPE_JOB_HEARTBEAT_SECONDS: '0.2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    let exited = false;
    void exit.then(() => (exited = true));
    return {
      child,
      exit,
      output: () => `${stdout}\n${stderr}`,
      stdout: () => stdout,
      running: () => !exited,
    };
  }

  /** Another connection holds monthly_stats so that no COPY into it gets through: the CLI waits inside its commit. */
  async function holdMonthlyStats(): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('begin');
    await client.query('lock table monthly_stats in share mode');
    let held = true;
    return async () => {
      if (!held) return;
      held = false;
      await client.query('rollback');
      await client.end();
    };
  }

  /** The CLI's jobs (one per file) once they run and have run longer than STALE: without a heartbeat they would be stale. */
  async function runningLongerThanStale(fileNames: string[], c: ReturnType<typeof cli>) {
    return until(`the CLI's jobs of ${fileNames.join(', ')}`, async () => {
      if (!c.running()) throw new Error(`the CLI ended early:\n${c.output()}`);
      const rows = await queryRows<{ import_id: number | string; old: boolean; stamped: boolean }>(
        d.db,
        sql`select j.import_id, j.started_at < now() - make_interval(secs => ${STALE}) as old,
                   j.updated_at > j.started_at as stamped
            from import_jobs j join imports i on i.id = j.import_id
            where i.file_name in (${sql.join(
              fileNames.map((f) => sql`${f}`),
              sql`, `,
            )}) and j.status = 'running'`,
      );
      return rows.length === fileNames.length && rows.every((r) => r.old && r.stamped)
        ? rows.map((r) => Number(r.import_id)).sort((a, b) => a - b)
        : null;
    });
  }

  it('a CLI import running longer than the stale threshold is left alone by recovery, and commits', async () => {
    const file = write('cli-long.csv', [MONTHLY, [A, '2020-01', 1], [B, '2020-01', 2]]);
    const release = await holdMonthlyStats();
    const c = cli('import', 'monthly', file.path);
    try {
      const [id] = await runningLongerThanStale([file.fileName], c);
      // a server looks for interrupted jobs while the CLI waits inside its commit
      expect(await recoverInterruptedJobs(d.db, { staleSeconds: STALE })).toEqual([]);
      const [rec] = await d.db.select().from(imports).where(eq(imports.id, id!));
      expect(rec!.status).toBe('committing');
      expect(c.running()).toBe(true); // (it was inside its commit all along: the lock is still held)
      await release();
      const { code } = await c.exit;
      expect(code, c.output()).toBe(0);
      expect(c.stdout()).toContain(`import ${id} of cli-long.csv (monthly) committed`);
      expect((await d.db.select().from(imports).where(eq(imports.id, id!)))[0]!.status).toBe('committed');
      expect((await jobsOf([id!])).map((j) => [j.phase, j.status])).toEqual([['commit', 'done']]);
      expect(await actions('import', id!)).toEqual(['import.upload', 'import.commit']);
    } finally {
      if (c.running()) c.child.kill('SIGKILL');
      await release();
    }
  }, 180_000);

  it('a CLI batch is left alone while the CLI lives, and recovered as interrupted once it is killed', async () => {
    const firm = fixtureUscc(9_202, NANHU);
    const registry = write('cli-firms.csv', [
      REGISTRY,
      [firm, '嘉兴命令行中断示例有限公司', NANHU, '1711', '规上'],
    ]);
    const facts = write('cli-firm-month.csv', [MONTHLY, [firm, '2020-02', 5]]);
    const release = await holdMonthlyStats();
    const c: ReturnType<typeof cli> = cli(
      'import-batch',
      `enterprises=${registry.path}`,
      `monthly=${facts.path}`,
    );
    try {
      const ids = await runningLongerThanStale([registry.fileName, facts.fileName], c);
      expect(await recoverInterruptedJobs(d.db, { staleSeconds: STALE })).toEqual([]);
      const [batch] = await d.db
        .select()
        .from(importBatches)
        .where(
          eq(
            importBatches.id,
            (await d.db.select().from(imports).where(eq(imports.id, ids[0]!)))[0]!.batchId!,
          ),
        );
      expect(batch!.status).toBe('committing');
      expect(c.running()).toBe(true);

      // the CLI is killed inside its commit: its heartbeat stops, and recovery finds its jobs
      c.child.kill('SIGKILL');
      expect((await c.exit).signal).toBe('SIGKILL');
      await release();
      // (each job is taken for dead once its own last stamp is a second old: one call may find one)
      const found = new Set<number>();
      await until('recovery of the killed CLI', async () => {
        for (const id of await recoverInterruptedJobs(d.db, { staleSeconds: 1 })) found.add(id);
        return found.size >= ids.length;
      });
      expect([...found].sort((a, b) => a - b)).toEqual(ids);
      const files = await d.db.select().from(imports).where(inArray(imports.id, ids));
      expect(files.map((f) => [f.status, f.error])).toEqual([
        ['interrupted', INTERRUPTED_MESSAGE],
        ['interrupted', INTERRUPTED_MESSAGE],
      ]);
      expect((await jobsOf(ids)).map((j) => j.status)).toEqual(['failed', 'failed']);
      const [after] = await d.db.select().from(importBatches).where(eq(importBatches.id, batch!.id));
      expect(after!.status).toBe('interrupted');
      expect(await actions('import_batch', batch!.id)).toEqual([
        'import_batch.upload',
        'import_batch.interrupted',
      ]);
      for (const id of ids)
        expect(await actions('import', id)).toEqual(['import.upload', 'import.interrupted']);
      // its transaction died with it: the registry's firm was never written
      expect(await d.db.select().from(enterprises).where(eq(enterprises.uscc, firm))).toEqual([]);
    } finally {
      if (c.running()) c.child.kill('SIGKILL');
      await release();
    }
  }, 180_000);
});
