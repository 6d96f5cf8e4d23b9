// Import batches that a restart cut short, on every test database: the batch becomes `interrupted`
// with its files (audited), is previewed again as a whole from its uploads and can then be committed,
// or is discarded as a whole (its uploads removed). A file of a batch is never re-run or discarded
// alone: previewed alone it would not know the enterprises its batch's registry creates.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { auditLog, enterprises, importBatches, importJobs, imports } from '../../src/db/schema.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import { INTERRUPTED_MESSAGE, recoverInterruptedJobs } from '../../src/modules/imports/recovery.ts';
import { uploadsDir } from '../../src/modules/imports/uploads.ts';
import type { ImportBatch } from '../../src/modules/imports/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, seedFixture, TONGXIANG } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFiles } from '../helpers/uploads.ts';

// this file's own uploads folder: its sweeps never meet another test file's uploads
process.env.CLUSTERSCOPE_UPLOADS = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-uploads-batch-recovery-'));

type Row = (string | number | null)[];

function csv(rows: Row[]): Buffer {
  return Buffer.from(
    rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\r\n') + '\r\n',
  );
}

const REGISTRY = ['统一社会信用代码', '企业名称', '区县代码', '行业代码', '规模'];
const MONTHLY = ['统一社会信用代码', '统计月份', '工业总产值(万元)'];

interface Problem {
  status: number;
  detail: string;
  detailZh: string;
}

describe.each(testDatabases())('interrupted import batches on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    const fx = await seedFixture(d);
    app = await testApp(d);
    for (const [key, u] of Object.entries(fx.users)) cookies[key] = await loginCookie(app, u.username);
  });
  afterAll(async () => {
    await waitForJobs();
    await app?.close();
    if (d) await t.dispose(d);
  });

  const get = (url: string, who = 'admin') =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
  const post = (url: string, who = 'admin') =>
    app.inject({ method: 'POST', url, headers: { cookie: cookies[who]! } });
  const batchOf = async (id: number, who = 'admin') =>
    json<ImportBatch>(await get(`/api/imports/batches/${id}`, who));
  async function uploadBatch(
    files: { field: string; fileName: string; content: Buffer }[],
    who = 'admin',
  ): Promise<ImportBatch> {
    const m = multipartFiles(files);
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports/batches',
      headers: { ...m.headers, cookie: cookies[who]! },
      payload: m.payload,
    });
    expect(res.statusCode, res.body).toBe(202);
    await waitForJobs();
    return batchOf(json<ImportBatch>(res).id, who);
  }
  const audits = (action: string, id: number) =>
    d.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(id))));
  const storedPaths = async (batchId: number) =>
    (await d.db.select().from(imports).where(eq(imports.batchId, batchId)).orderBy(asc(imports.id))).map(
      (r) => path.join(uploadsDir(), r.storedAs!),
    );
  /** a server stopped while it ran the batch's job: the batch and its files as it left them, stale jobs */
  async function stopServerDuring(batch: ImportBatch, phase: 'preview' | 'commit') {
    const status = phase === 'preview' ? 'previewing' : 'committing';
    await d.db.update(importBatches).set({ status }).where(eq(importBatches.id, batch.id));
    await d.db.update(imports).set({ status }).where(eq(imports.batchId, batch.id));
    await d.db.insert(importJobs).values(
      batch.files.map((f) => ({
        importId: f.id,
        phase,
        status: 'running',
        updatedAt: sql`now() - interval '5 minutes'` as never,
      })),
    );
  }

  // a new firm that only the batch's registry creates, and a monthly file that names it
  let n = 0;
  function newBatchFiles(region = NANHU) {
    n++;
    const firm = fixtureUscc(9500 + n, region);
    const month = `2024-${String(n).padStart(2, '0')}`;
    return {
      firm,
      month,
      files: [
        {
          field: 'enterprises',
          fileName: `firms-${n}.csv`,
          content: csv([REGISTRY, [firm, `嘉兴中断示例${n}有限公司`, region, '1711', '规上']]),
        },
        { field: 'monthly', fileName: `month-${n}.csv`, content: csv([MONTHLY, [firm, month, 100 + n]]) },
      ],
    };
  }

  it('moves a batch whose preview a restart cut short to interrupted with its files; previewed again as a whole, it commits', async () => {
    const { firm, files } = newBatchFiles();
    const batch = await uploadBatch(files);
    expect(batch.status).toBe('previewed');
    await stopServerDuring(batch, 'preview');

    const seen = await batchOf(batch.id);
    expect(seen).toMatchObject({ status: 'interrupted', error: INTERRUPTED_MESSAGE });
    expect(seen.files.map((f) => f.status)).toEqual(['interrupted', 'interrupted']);
    expect(seen.files.every((f) => f.fileKept)).toBe(true);
    const [interrupted, ...more] = await audits('import_batch.interrupted', batch.id);
    expect(more).toEqual([]);
    expect(interrupted).toMatchObject({ username: 'system' });
    expect(interrupted!.before).toEqual({ status: 'previewing' });
    expect(interrupted!.after).toEqual({ status: 'interrupted', error: INTERRUPTED_MESSAGE });
    for (const f of batch.files) expect(await audits('import.interrupted', f.id)).toHaveLength(1);

    // an interrupted batch is not committed; its files are acted on with the batch only
    expect((await post(`/api/imports/batches/${batch.id}/commit`)).statusCode).toBe(409);
    for (const f of batch.files) {
      for (const action of ['preview', 'discard']) {
        const res = await post(`/api/imports/${f.id}/${action}`);
        expect(res.statusCode, res.body).toBe(409);
        const problem = json<Problem>(res);
        expect(problem.detail).toContain(`import batch ${batch.id}`);
        expect(problem.detailZh).toContain(`第 ${batch.id} 批导入`);
      }
    }
    expect((await batchOf(batch.id)).files.map((f) => f.status)).toEqual(['interrupted', 'interrupted']);
    // only an importer who sees the batch previews it again
    expect((await post(`/api/imports/batches/${batch.id}/preview`, 'analyst')).statusCode).toBe(403);
    expect((await post(`/api/imports/batches/${batch.id}/preview`, 'tongxiang')).statusCode).toBe(404);

    const rerun = await post(`/api/imports/batches/${batch.id}/preview`);
    expect(rerun.statusCode, rerun.body).toBe(202);
    expect(json<ImportBatch>(rerun).status).toBe('previewing');
    await waitForJobs();
    const again = await batchOf(batch.id);
    expect(again).toMatchObject({ status: 'previewed', error: null });
    expect(again.job).toMatchObject({ phase: 'preview', status: 'done' });
    // the monthly file knows the firm the registry creates: it was read with its batch
    expect(again.files.map((f) => [f.kind, f.status, f.error, f.counts.error])).toEqual([
      ['enterprises', 'previewed', null, 0],
      ['monthly', 'previewed', null, 0],
    ]);
    const [batchAudit] = await audits('import_batch.rerun', batch.id);
    expect(batchAudit).toMatchObject({ username: 'fx_admin' });
    expect(batchAudit!.before).toEqual({ status: 'interrupted' });
    expect(batchAudit!.after).toMatchObject({ status: 'previewing', imports: batch.files.map((f) => f.id) });
    for (const f of batch.files) {
      const [a] = await audits('import.rerun', f.id);
      expect(a!.before).toEqual({ status: 'interrupted' });
      expect(a!.after).toEqual({ batchId: batch.id, status: 'previewing' });
    }
    // only an interrupted or failed batch is previewed again
    expect((await post(`/api/imports/batches/${batch.id}/preview`)).statusCode).toBe(409);

    const commit = await post(`/api/imports/batches/${batch.id}/commit`);
    expect(commit.statusCode, commit.body).toBe(202);
    await waitForJobs();
    const done = await batchOf(batch.id);
    expect(done.status).toBe('committed');
    expect(done.files.map((f) => f.status)).toEqual(['committed', 'committed']);
    const [created] = await d.db.select().from(enterprises).where(eq(enterprises.uscc, firm));
    expect(created).toMatchObject({ regionCode: NANHU, importId: done.files[0]!.id });
    // committed: its uploads are removed; nothing left to discard
    for (const p of await storedPaths(batch.id)) expect(fs.existsSync(p)).toBe(false);
    expect((await post(`/api/imports/batches/${batch.id}/discard`)).statusCode).toBe(409);
  });

  it('moves a batch cut short while committing to interrupted, and one left committing over failed files', async () => {
    const committing = await uploadBatch(newBatchFiles().files);
    await stopServerDuring(committing, 'commit');
    // listing imports looks for interrupted jobs too
    expect((await get('/api/imports')).statusCode).toBe(200);
    const [row] = await d.db.select().from(importBatches).where(eq(importBatches.id, committing.id));
    expect(row).toMatchObject({ status: 'interrupted', error: INTERRUPTED_MESSAGE });
    const [a] = await audits('import_batch.interrupted', committing.id);
    expect(a!.before).toEqual({ status: 'committing' });

    // a server stopped after its files were marked failed, before the batch was: no job runs
    const stuck = await uploadBatch(newBatchFiles().files);
    await d.db.update(importBatches).set({ status: 'committing' }).where(eq(importBatches.id, stuck.id));
    await d.db.update(imports).set({ status: 'failed' }).where(eq(imports.batchId, stuck.id));
    expect(await recoverInterruptedJobs(d.db)).toEqual([]); // no file was interrupted ...
    const after = await batchOf(stuck.id);
    expect(after.status).toBe('interrupted'); // ... but the batch was
    expect(after.files.map((f) => f.status)).toEqual(['failed', 'failed']);
    expect(await audits('import_batch.interrupted', stuck.id)).toHaveLength(1);

    // a batch whose files still run is left alone (another server's fresh job)
    const running = await uploadBatch(newBatchFiles().files);
    await d.db.update(importBatches).set({ status: 'committing' }).where(eq(importBatches.id, running.id));
    await d.db.update(imports).set({ status: 'committing' }).where(eq(imports.batchId, running.id));
    await d.db
      .insert(importJobs)
      .values(running.files.map((f) => ({ importId: f.id, phase: 'commit', status: 'running' })));
    await recoverInterruptedJobs(d.db);
    expect((await batchOf(running.id)).status).toBe('committing');
    await recoverInterruptedJobs(d.db, { staleSeconds: 0, all: true });
    expect((await batchOf(running.id)).status).toBe('interrupted');

    // the failed batch is previewed again as a whole
    const rerun = await post(`/api/imports/batches/${stuck.id}/preview`);
    expect(rerun.statusCode, rerun.body).toBe(202);
    await waitForJobs();
    expect((await batchOf(stuck.id)).status).toBe('previewed');
  });

  it('previews a county officer’s batch again in that county’s scope, whoever re-runs it', async () => {
    // a Nanhu officer's batch naming a Tongxiang firm: refused for scope
    const { files } = newBatchFiles(TONGXIANG);
    const m = multipartFiles(files);
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports/batches',
      headers: { ...m.headers, cookie: cookies.nanhu! },
      payload: m.payload,
    });
    expect(res.statusCode, res.body).toBe(202);
    await waitForJobs();
    const batch = await batchOf(json<ImportBatch>(res).id, 'nanhu');
    expect(batch.status).toBe('refused');
    await stopServerDuring(batch, 'preview');
    expect((await batchOf(batch.id, 'nanhu')).status).toBe('interrupted');
    expect((await post(`/api/imports/batches/${batch.id}/preview`)).statusCode).toBe(202);
    await waitForJobs();
    const again = await batchOf(batch.id);
    expect(again.status).toBe('refused');
    expect(again.files[0]!.problems.map((p) => p.code)).toContain('scope.otherCounty');
  });

  it('discards a batch as a whole: every file discarded and its upload removed (audited)', async () => {
    const batch = await uploadBatch(newBatchFiles().files);
    await stopServerDuring(batch, 'preview');
    expect((await batchOf(batch.id)).status).toBe('interrupted');
    const uploads = await storedPaths(batch.id);
    expect(uploads).toHaveLength(2);
    for (const p of uploads) expect(fs.existsSync(p)).toBe(true);

    expect((await post(`/api/imports/batches/${batch.id}/discard`, 'analyst')).statusCode).toBe(403);
    expect((await post(`/api/imports/batches/${batch.id}/discard`, 'tongxiang')).statusCode).toBe(404);
    const res = await post(`/api/imports/batches/${batch.id}/discard`);
    expect(res.statusCode, res.body).toBe(200);
    const gone = json<ImportBatch>(res);
    expect(gone.status).toBe('discarded');
    expect(gone.files.map((f) => [f.status, f.fileKept])).toEqual([
      ['discarded', false],
      ['discarded', false],
    ]);
    for (const p of uploads) expect(fs.existsSync(p)).toBe(false);
    const [a] = await audits('import_batch.discard', batch.id);
    expect(a).toMatchObject({ username: 'fx_admin' });
    expect(a!.before).toEqual({ status: 'interrupted' });
    expect(a!.after).toEqual({ status: 'discarded', imports: batch.files.map((f) => f.id) });
    for (const f of batch.files) {
      const [fa] = await audits('import.discard', f.id);
      expect(fa!.after).toEqual({ status: 'discarded', batchId: batch.id });
    }
    // nothing more to do with it
    expect((await post(`/api/imports/batches/${batch.id}/discard`)).statusCode).toBe(409);
    expect((await post(`/api/imports/batches/${batch.id}/preview`)).statusCode).toBe(409);
    expect((await post(`/api/imports/batches/${batch.id}/commit`)).statusCode).toBe(409);

    // a refused batch is discarded too
    const refused = await uploadBatch([
      {
        field: 'monthly',
        fileName: 'unknown-firm.csv',
        content: csv([MONTHLY, [fixtureUscc(9999), '2024-12', 1]]),
      },
    ]);
    expect(refused.status).toBe('refused');
    expect((await post(`/api/imports/batches/${refused.id}/discard`)).statusCode).toBe(200);
    expect((await batchOf(refused.id)).files.map((f) => f.status)).toEqual(['discarded']);
  });

  it('answers 410 when an upload of the batch is gone, and changes nothing', async () => {
    const batch = await uploadBatch(newBatchFiles().files);
    await d.db.update(importBatches).set({ status: 'failed' }).where(eq(importBatches.id, batch.id));
    await d.db.update(imports).set({ status: 'failed' }).where(eq(imports.batchId, batch.id));
    const [first] = await storedPaths(batch.id);
    fs.rmSync(first!);
    const res = await post(`/api/imports/batches/${batch.id}/preview`);
    expect(res.statusCode, res.body).toBe(410);
    const problem = json<Problem>(res);
    expect(problem.detail).toContain('upload the batch again');
    expect(problem.detailZh).toContain('请重新上传整批');
    expect(problem.detail).toContain(batch.files[0]!.fileName);
    const after = await batchOf(batch.id);
    expect(after.status).toBe('failed');
    expect(after.files.map((f) => [f.status, f.fileKept])).toEqual([
      ['failed', false],
      ['failed', true],
    ]);
    expect(await audits('import_batch.rerun', batch.id)).toHaveLength(0);
    // it can still be given up
    expect((await post(`/api/imports/batches/${batch.id}/discard`)).statusCode).toBe(200);
  });
});
