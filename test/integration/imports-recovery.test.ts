// Imports that survive real life, on every test database: jobs a stopped server left behind are
// found by their stale heartbeat and can be previewed again or discarded; uploads are removed
// after a commit or discard and swept after the retention; warnings are kept apart from errors;
// the problem report marks cells by column index (two-row headers) and lists every problem.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { auditLog, enterprises, importJobs, imports } from '../../src/db/schema.ts';
import { makeUscc } from '../../src/domain/uscc.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import { startJob } from '../../src/modules/imports/jobs.ts';
import { INTERRUPTED_MESSAGE, recoverInterruptedJobs } from '../../src/modules/imports/recovery.ts';
import { sweepUploads, uploadsDir } from '../../src/modules/imports/uploads.ts';
import type { ImportDetail, ImportList } from '../../src/modules/imports/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, seedFixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFile } from '../helpers/uploads.ts';

// this file's own uploads folder: its sweeps never meet another test file's uploads
process.env.CLUSTERSCOPE_UPLOADS = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-uploads-test-'));

type Row = (string | number | null)[];

function csv(rows: Row[]): Buffer {
  return Buffer.from(rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\r\n'));
}

async function readXlsx(res: LightMyRequestResponse): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as never);
  return wb;
}

const fillOf = (cell: ExcelJS.Cell) => (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;

describe.each(testDatabases())('import recovery, uploads, warnings and reports on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  const A = fixtureUscc(1);
  const B = fixtureUscc(2);

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
  const detail = async (id: number, who = 'admin') =>
    json<ImportDetail>(await get(`/api/imports/${id}`, who));
  async function upload(kind: string, fileName: string, content: Buffer, who = 'admin') {
    const m = multipartFile(fileName, content);
    const res = await app.inject({
      method: 'POST',
      url: `/api/imports?kind=${kind}`,
      headers: { ...m.headers, cookie: cookies[who]! },
      payload: m.payload,
    });
    expect(res.statusCode, res.body).toBe(202);
    const id = json<ImportDetail>(res).id;
    await waitForJobs(id);
    return detail(id, who);
  }
  const storedPath = async (id: number) => {
    const [rec] = await d.db.select().from(imports).where(eq(imports.id, id));
    return path.join(uploadsDir(), rec!.storedAs!);
  };
  const audits = (action: string, id: number) =>
    d.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(id))));
  let month = 0;
  /** a clean monthly file of its own month (so no two are the same file) */
  const goodFile = () => {
    month++;
    const m = `2023-${String(month).padStart(2, '0')}`;
    return csv([
      ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
      [A, m, 100 + month],
      [B, m, 200 + month],
    ]);
  };

  it('a running job stamps its heartbeat while it runs', async () => {
    process.env.CLUSTERSCOPE_JOB_HEARTBEAT_SECONDS = '0.05';
    try {
      const [rec] = await d.db
        .insert(imports)
        .values({ kind: 'monthly', fileName: 'beat.csv', sha256: 'beat', status: 'previewing' })
        .returning();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const job = await startJob(d.db, rec!.id, 'preview', 100, async (control) => {
        control.progress({ rows: 7, bytesRead: 50 });
        await gate;
      });
      try {
        const [before] = await d.db.select().from(importJobs).where(eq(importJobs.id, job.jobId));
        // wait (bounded) for a stamp: the row's progress and updated_at move while the job runs
        let row = before!;
        for (let i = 0; i < 2_000 && row.rows !== 7; i++) {
          await new Promise((r) => setTimeout(r, 25));
          row = (await d.db.select().from(importJobs).where(eq(importJobs.id, job.jobId)))[0]!;
        }
        expect(row.status).toBe('running');
        expect(row).toMatchObject({ rows: 7, bytesRead: 50 });
        expect(row.updatedAt.getTime()).toBeGreaterThan(before!.updatedAt.getTime());
        // a job running in this process is never stale, whatever its row says
        expect(await recoverInterruptedJobs(d.db, { all: true })).not.toContain(rec!.id);
      } finally {
        release();
      }
      await waitForJobs(rec!.id);
      const [after] = await d.db.select().from(importJobs).where(eq(importJobs.id, job.jobId));
      expect(after!.status).toBe('done');
    } finally {
      delete process.env.CLUSTERSCOPE_JOB_HEARTBEAT_SECONDS;
    }
  });

  it('marks a job with a stale heartbeat failed and its import interrupted; the preview runs again', async () => {
    const up = await upload('monthly', 'restart.csv', goodFile());
    expect(up.status).toBe('previewed');
    // a server was previewing it again when it stopped: its job's last stamp is 5 minutes old
    await d.db.update(imports).set({ status: 'previewing' }).where(eq(imports.id, up.id));
    const [stale] = await d.db
      .insert(importJobs)
      .values({
        importId: up.id,
        phase: 'preview',
        status: 'running',
        updatedAt: sql`now() - interval '5 minutes'` as never,
      })
      .returning();
    // another server's job whose heartbeat is fresh is left alone
    const other = await upload('monthly', 'other-server.csv', goodFile());
    await d.db.update(imports).set({ status: 'committing' }).where(eq(imports.id, other.id));
    const [fresh] = await d.db
      .insert(importJobs)
      .values({ importId: other.id, phase: 'commit', status: 'running' })
      .returning();

    const list = json<ImportList>(await get('/api/imports'));
    const listed = list.items.find((i) => i.id === up.id)!;
    expect(listed.status).toBe('interrupted');
    expect(listed.error).toBe(INTERRUPTED_MESSAGE);
    expect(listed.error).toContain('interrupted (server restarted)');
    const [job] = await d.db.select().from(importJobs).where(eq(importJobs.id, stale!.id));
    expect(job).toMatchObject({ status: 'failed', message: INTERRUPTED_MESSAGE });
    expect(job!.finishedAt).not.toBeNull();
    expect((await audits('import.interrupted', up.id)).length).toBe(1);
    const one = await detail(up.id);
    expect(one.status).toBe('interrupted');
    expect(one.job).toMatchObject({ status: 'failed', message: INTERRUPTED_MESSAGE });
    expect(one.fileKept).toBe(true);
    expect((await detail(other.id)).status).toBe('committing');

    // an interrupted import cannot be committed; an analyst cannot re-run it; the importer can
    expect((await post(`/api/imports/${up.id}/commit`)).statusCode).toBe(409);
    expect((await post(`/api/imports/${up.id}/preview`, 'analyst')).statusCode).toBe(403);
    const rerun = await post(`/api/imports/${up.id}/preview`);
    expect(rerun.statusCode, rerun.body).toBe(202);
    await waitForJobs(up.id);
    const again = await detail(up.id);
    expect(again).toMatchObject({ status: 'previewed', error: null });
    expect(again.counts).toMatchObject({ rows: 2, good: 2, error: 0 });
    const [rerunAudit] = await audits('import.rerun', up.id);
    expect(rerunAudit).toMatchObject({ username: 'fx_admin' });
    expect(rerunAudit!.before).toEqual({ status: 'interrupted' });
    // only an interrupted or failed import is previewed again
    expect((await post(`/api/imports/${up.id}/preview`)).statusCode).toBe(409);

    // a server start on PGlite takes every running job for dead (only one process can open its
    // data folder); on PostgreSQL another server may be running it, so a fresh one stays
    const restarted = await testApp(d);
    await restarted.close();
    const [otherJob] = await d.db.select().from(importJobs).where(eq(importJobs.id, fresh!.id));
    if (t.kind === 'pglite') {
      expect(otherJob!.status).toBe('failed');
      expect((await detail(other.id)).status).toBe('interrupted');
    } else {
      expect(otherJob!.status).toBe('running');
      expect((await detail(other.id)).status).toBe('committing');
      await recoverInterruptedJobs(d.db, { staleSeconds: 0 });
      expect((await detail(other.id)).status).toBe('interrupted');
    }
    // an import left previewing with no job at all (the server stopped in between) is found too
    const [lost] = await d.db
      .insert(imports)
      .values({
        kind: 'monthly',
        fileName: 'lost.csv',
        sha256: 'lost',
        status: 'previewing',
        createdAt: sql`now() - interval '1 hour'` as never,
      })
      .returning();
    expect(await recoverInterruptedJobs(d.db)).toEqual([lost!.id]);
  });

  it('removes the upload once committed, and a discarded import’s at once (audited)', async () => {
    const up = await upload('monthly', 'commit-me.csv', goodFile());
    const file = await storedPath(up.id);
    expect(fs.existsSync(file)).toBe(true);
    expect((await post(`/api/imports/${up.id}/commit`)).statusCode).toBe(202);
    await waitForJobs(up.id);
    const done = await detail(up.id);
    expect(done.status).toBe('committed');
    expect(fs.existsSync(file)).toBe(false);
    expect(done.fileKept).toBe(false);
    // rollback needs no file
    expect((await post(`/api/imports/${up.id}/rollback`)).statusCode).toBe(200);
    expect((await post(`/api/imports/${up.id}/discard`)).statusCode).toBe(409);

    const refused = await upload(
      'monthly',
      'discard-me.csv',
      csv([
        ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
        [A, '2023-02', 'abc'],
      ]),
    );
    expect(refused.status).toBe('refused');
    const refusedFile = await storedPath(refused.id);
    expect(fs.existsSync(refusedFile)).toBe(true);
    expect((await post(`/api/imports/${refused.id}/discard`, 'analyst')).statusCode).toBe(403);
    expect((await post(`/api/imports/${refused.id}/discard`, 'tongxiang')).statusCode).toBe(404);
    const res = await post(`/api/imports/${refused.id}/discard`);
    expect(res.statusCode, res.body).toBe(200);
    expect(json<ImportDetail>(res)).toMatchObject({ status: 'discarded', fileKept: false });
    expect(fs.existsSync(refusedFile)).toBe(false);
    const [audit] = await audits('import.discard', refused.id);
    expect(audit).toMatchObject({ username: 'fx_admin' });
    expect(audit!.after).toEqual({ status: 'discarded' });
    // the problem report still downloads, from the stored problems
    const report = await get(`/api/imports/${refused.id}/report`);
    expect(report.statusCode).toBe(200);
    expect((await post(`/api/imports/${refused.id}/preview`)).statusCode).toBe(409);
  });

  it('sweeps old uploads of imports never committed, orphans and half-written uploads; keeps the rest', async () => {
    const dir = uploadsDir();
    const longAgo = new Date(Date.now() - 3 * 3_600_000);
    const orphan = path.join(dir, 'f'.repeat(64) + '-000000000000.csv');
    const half = path.join(dir, '.upload-0123456789abcdef');
    const newOrphan = path.join(dir, 'e'.repeat(64) + '-000000000000.csv');
    for (const f of [orphan, half, newOrphan]) fs.writeFileSync(f, 'x');
    for (const f of [orphan, half]) fs.utimesSync(f, longAgo, longAgo);

    const old = await upload(
      'monthly',
      'old-refused.csv',
      csv([
        ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
        [A, '2023-03', 'x'],
      ]),
    );
    await d.db
      .update(imports)
      .set({ finishedAt: sql`now() - interval '100 hours'` as never })
      .where(eq(imports.id, old.id));
    const recent = await upload('monthly', 'recent.csv', goodFile());
    const oldFile = await storedPath(old.id);
    const recentFile = await storedPath(recent.id);

    // in a folder other instances may share (the default temp folder), files this database does not
    // name are left alone: only its own old upload goes
    const shared = await sweepUploads(d.db, { orphans: false });
    expect(shared.removed).toEqual([path.basename(oldFile)]);
    for (const f of [orphan, half]) expect(fs.existsSync(f)).toBe(true);
    fs.writeFileSync(oldFile, 'x'); // back, for the sweep of a folder of its own

    const swept = await sweepUploads(d.db);
    expect(swept.removed.sort()).toEqual(
      [path.basename(orphan), path.basename(half), path.basename(oldFile)].sort(),
    );
    expect(fs.existsSync(recentFile)).toBe(true);
    expect(fs.existsSync(newOrphan)).toBe(true); // may be an upload whose import is being recorded
    fs.rmSync(newOrphan);

    // a swept import cannot be committed or previewed again, but its report still downloads
    expect((await detail(old.id)).fileKept).toBe(false);
    const report = await get(`/api/imports/${old.id}/report`);
    expect(report.statusCode).toBe(200);
    expect((await readXlsx(report)).getWorksheet('标记的行 Rows')).toBeTruthy();
    await d.db.update(imports).set({ status: 'interrupted' }).where(eq(imports.id, old.id));
    expect((await post(`/api/imports/${old.id}/preview`)).statusCode).toBe(410);
  });

  it('shows warnings apart from errors: an organisation code failing its check is imported with a warning', async () => {
    const odd = makeUscc('91330402MA0000032'); // organisation code MA000003-2 fails GB 11714 (-1 would pass)
    await d.db.insert(enterprises).values({
      uscc: odd,
      name: '嘉兴市南湖警告示例有限公司',
      regionCode: NANHU,
      industryCode: '1711',
      scale: 'above',
    });
    const up = await upload(
      'monthly',
      'warned.csv',
      csv([
        ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
        [odd, '2023-05', 10],
        [A, '2023-05', 11],
      ]),
    );
    expect(up.status).toBe('previewed');
    expect(up.counts).toMatchObject({ rows: 2, good: 2, error: 0, warning: 1 });
    expect(up.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'uscc.orgCode',
        row: 2,
        column: '统一社会信用代码',
        columnIndex: 0,
        headerRow: 1,
        value: odd,
      }),
    ]);
    const warnings = await get(`/api/imports/${up.id}/problems?severity=warning`);
    expect(json(warnings)).toMatchObject({ total: 1, found: 1 });
    expect((await post(`/api/imports/${up.id}/commit`)).statusCode).toBe(202);
    await waitForJobs(up.id);
    const done = await detail(up.id);
    expect(done.status).toBe('committed');
    expect(done.counts).toMatchObject({ inserted: 2, warning: 1 });
    expect(done.problems.map((p) => [p.severity, p.code])).toEqual([['warning', 'uscc.orgCode']]);
  });

  it('marks the offending cell by column index under a merged two-row header', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('月报');
    ws.addRow(['2023年6月 主要经济指标']);
    ws.addRow(['统一社会信用代码', '统计月份', '工业总产值', '利润总额']);
    ws.addRow([null, null, '（千元）', '(万元)']);
    ws.addRow([A, '2023-06', 'abc', 5]);
    ws.addRow([B, '2023-06', 1000, 'n/a?']);
    ws.mergeCells('A1:D1');
    ws.mergeCells('A2:A3');
    ws.mergeCells('B2:B3');
    const up = await upload('monthly', 'two-row.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(up.status).toBe('refused');
    const errors = up.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.row, p.columnIndex, p.headerRow])).toEqual([
      [4, 2, 3],
      [5, 3, 3],
    ]);
    // the label a problem names is "工业总产值(千元)", which no single header row says
    expect(errors[0]!.column).toBe('工业总产值(千元)');
    const report = await readXlsx(await get(`/api/imports/${up.id}/report`));
    const rows = report.getWorksheet('标记的行 Rows')!;
    const header = rows.getRow(1);
    expect(header.getCell(4).value).toBe('工业总产值(千元)');
    const byNumber = (n: number) =>
      [...Array(rows.rowCount).keys()].map((i) => rows.getRow(i + 1)).find((r) => r.getCell(1).value === n)!;
    expect(fillOf(byNumber(4).getCell(4))).toBe('FFFFC7CE'); // 工业总产值 of row 4 in red
    expect(fillOf(byNumber(4).getCell(5))).toBeUndefined();
    expect(fillOf(byNumber(5).getCell(5))).toBe('FFFFC7CE'); // 利润总额 of row 5 in red
  });

  it('stores 5,000 problems but counts them all exactly, and the report lists every one while the file is kept', async () => {
    const N = 5_050;
    const rows: Row[] = [['统一社会信用代码', '统计月份', '工业总产值(万元)']];
    for (let i = 0; i < N; i++) rows.push([fixtureUscc(10_000 + i), '2023-07', 1]); // none registered
    const up = await upload('monthly', 'many.csv', csv(rows));
    expect(up.status).toBe('refused');
    expect(up.counts).toMatchObject({ rows: N, badRows: N, error: N });
    const page = json<{ total: number; found: number }>(
      await get(`/api/imports/${up.id}/problems?severity=error&pageSize=1`),
    );
    expect(page).toMatchObject({ total: 5_000, found: N });
    const listed = (wb: ExcelJS.Workbook) => {
      let n = 0;
      wb.getWorksheet('问题清单 Problems')!.eachRow((r, i) => {
        if (i > 1 && String(r.getCell(1).value ?? '').startsWith('错误')) n++;
      });
      return n;
    };
    const full = await get(`/api/imports/${up.id}/report`);
    expect(full.headers['x-report-complete']).toBe('true');
    const fullWb = await readXlsx(full);
    expect(listed(fullWb)).toBe(N);
    // once the file is swept the report lists the stored 5,000 and says why not the rest
    await d.db
      .update(imports)
      .set({ finishedAt: sql`now() - interval '100 hours'` as never })
      .where(eq(imports.id, up.id));
    await sweepUploads(d.db);
    const partial = await get(`/api/imports/${up.id}/report`);
    expect(partial.statusCode).toBe(200);
    expect(partial.headers['x-report-complete']).toBe('false');
    const partialWb = await readXlsx(partial);
    expect(listed(partialWb)).toBe(5_000);
    const text: string[] = [];
    partialWb.getWorksheet('问题清单 Problems')!.eachRow((r) => text.push(String(r.getCell(7).value ?? '')));
    expect(text.join('\n')).toContain(`上表列出前 5000 条，共 ${N} 条`);
    expect(text.join('\n')).toContain('原文件已不在服务器上');
  }, 120_000);
});
