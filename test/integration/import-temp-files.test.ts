// No crash from one file (issue 13): two xlsx imports and an xlsx export run at once while the uploads
// folder is swept and the temporary folder is cleaned under them. Each import ends in a state of its
// own (previewed, or failed with its reason); no error escapes as an uncaught exception; the server
// then imports the next file as usual.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import type { Database } from '../../src/db/client.ts';
import { sweepUploads } from '../../src/modules/imports/uploads.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import type { ImportDetail } from '../../src/modules/imports/schemas.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, PINGHU, seedFixture, TONGXIANG, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFile } from '../helpers/uploads.ts';

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-temp-files-uploads-'));
const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-temp-files-tmp-'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-temp-files-work-'));
process.env.CLUSTERSCOPE_UPLOADS = uploads;
process.env.CLUSTERSCOPE_TMP = tempRoot;

const FIRMS = [fixtureUscc(1), fixtureUscc(2), fixtureUscc(3, TONGXIANG), fixtureUscc(4, PINGHU)];

/** A monthly file as a streamed xlsx (its sheets are read through temporary files), plus a hidden sheet. */
async function monthlyXlsx(rows: number, firstYear: number): Promise<Buffer> {
  const file = path.join(work, `${firstYear}-${rows}.xlsx`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const ws = wb.addWorksheet('月度');
  ws.addRow(['统一社会信用代码', '统计月份', '工业总产值(万元)']).commit();
  // the four fixture firms, month after month: every row a firm and period of its own
  for (let i = 0; i < rows; i++) {
    const k = Math.floor(i / FIRMS.length);
    const month = `${firstYear + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
    ws.addRow([FIRMS[i % FIRMS.length]!, month, 100 + i]).commit();
  }
  ws.commit();
  const notes = wb.addWorksheet('说明', { state: 'hidden' });
  notes.addRow(['填表说明']).commit();
  notes.commit();
  await wb.commit();
  const buffer = fs.readFileSync(file);
  fs.rmSync(file);
  return buffer;
}

describe.each(testDatabases())('imports while temporary files are swept on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  let cookie = '';
  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    app = await testApp(d);
    cookie = await loginCookie(app, fx.users.admin!.username);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const upload = async (fileName: string, content: Buffer) => {
    const m = multipartFile(fileName, content);
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=monthly',
      headers: { ...m.headers, cookie },
      payload: m.payload,
    });
    expect(res.statusCode).toBeLessThan(300);
    const id = json<ImportDetail>(res).id;
    await waitForJobs(id);
    return json<ImportDetail>(
      await app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: { cookie } }),
    );
  };

  it('ends each import on its own and never crashes the process', async () => {
    const [a, b] = await Promise.all([monthlyXlsx(480, 2000), monthlyXlsx(480, 2010)]);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    let sweeping = true;
    let sweeps = 0;
    // an upload sweep with no retention (the file of an import that failed goes at once) and a cleaner
    // of the temporary folder, as another instance or test cleaning up would
    const sweeper = (async () => {
      while (sweeping) {
        await sweepUploads(d.db, { retentionHours: 0, orphans: true }).catch(() => undefined);
        for (const name of fs.existsSync(tempRoot) ? fs.readdirSync(tempRoot) : [])
          fs.rmSync(path.join(tempRoot, name), { recursive: true, force: true });
        sweeps++;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      const [first, second, exported] = await Promise.all([
        upload('may.xlsx', a),
        upload('june.xlsx', b),
        app.inject({ method: 'GET', url: '/api/imports/export/monthly', headers: { cookie } }),
      ]);
      for (const imp of [first, second]) {
        // previewed when the cleaner missed its read; else refused or failed with the reason — never stuck
        expect(['previewed', 'failed', 'refused']).toContain(imp.status);
        if (imp.status === 'refused') expect(imp.problems[0]?.en).toMatch(/Cannot read this xlsx file/);
        if (imp.status === 'failed') expect(imp.error).toBeTruthy();
      }
      expect(exported.statusCode).toBe(200);
      expect(exported.rawPayload.subarray(0, 2).toString()).toBe('PK');
    } finally {
      sweeping = false;
      await sweeper;
      process.off('uncaughtException', onUncaught);
    }
    expect(sweeps).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(uncaught).toEqual([]);
    // the server goes on: the next file imports as usual, and its temporary folder is gone after
    const next = await upload('july.xlsx', await monthlyXlsx(48, 2020));
    expect(next.status, JSON.stringify(next.problems.slice(0, 3))).toBe('previewed');
    expect(next.counts).toMatchObject({ good: 48 });
    expect(fs.readdirSync(tempRoot)).toEqual([]);
  });
});

afterAll(() => {
  fs.rmSync(uploads, { recursive: true, force: true });
  fs.rmSync(tempRoot, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});
