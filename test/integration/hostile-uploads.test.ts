// No crash from one file (issue 13): hostile files and malformed uploads sent through the real HTTP routes
// of imports and import batches. Each file ends refused (or previewed) with a problem naming the file, row,
// column and reason in Chinese first, never failed with a parser's raw English message nor left
// "previewing"; a malformed or cut-off multipart body is a 400, not a 500; nothing is left behind in
// the uploads folder by a request that was refused; the database is unchanged and the server answers.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import type { ImportBatch, ImportDetail } from '../../src/modules/imports/schemas.ts';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../src/server/csrf.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, seedFixture, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFile, multipartFiles } from '../helpers/uploads.ts';
import { zipFromParts, zipParts } from '../helpers/zip-parts.ts';

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-hostile-uploads-'));
process.env.CLUSTERSCOPE_UPLOADS = uploads;
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));

const U1 = fixtureUscc(1);
const HEAD = '统一社会信用代码,统计月份,工业总产值(万元),营业收入(万元)';

/** The files of the uploads folder, finished and half-written. */
const uploaded = () => fs.readdirSync(uploads).sort();

describe.each(testDatabases())('hostile uploads on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  let cookie = '';
  let factsBefore = '';
  const facts = async () =>
    JSON.stringify(
      await queryRows(
        d.db,
        sql`select (select count(*) from monthly_stats)::int as monthly, (select count(*) from enterprises)::int as firms`,
      ),
    );

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    app = await testApp(d);
    cookie = await loginCookie(app, fx.users.admin!.username);
    factsBefore = await facts();
  });
  afterAll(async () => {
    await waitForJobs();
    await app?.close();
    if (d) await t.dispose(d);
  });

  const get = async <T>(url: string) =>
    json<T>(await app.inject({ method: 'GET', url, headers: { cookie } }));
  const post = (url: string, m: { payload: Buffer; headers: Record<string, string> }) =>
    app.inject({ method: 'POST', url, headers: { ...m.headers, cookie }, payload: m.payload });

  async function upload(fileName: string, content: Buffer | string): Promise<ImportDetail> {
    const res = await post('/api/imports?kind=monthly', multipartFile(fileName, content));
    expect(res.statusCode, res.body).toBe(202);
    const { id } = json<ImportDetail>(res);
    await waitForJobs(id);
    return get<ImportDetail>(`/api/imports/${id}`);
  }
  const firstError = (up: ImportDetail) => up.problems.find((p) => p.severity === 'error')!;

  it('refuses an old .xls file with its reason in Chinese (not failed with an English message)', async () => {
    const xls = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(600),
    ]);
    const up = await upload('旧表.xls', xls);
    expect(up.status).toBe('refused');
    const p = firstError(up);
    expect(p.file).toBe('旧表.xls');
    expect(p.zh).toContain('旧版 Excel');
  });

  it('refuses a csv whose quote is never closed, naming the row it opens on', async () => {
    const up = await upload(
      '引号.csv',
      `${HEAD}\n${U1},2024-01,1,2\n${U1},2024-02,"100,2\n${U1},2024-03,1,2\n`,
    );
    expect(up.status).toBe('refused');
    const p = firstError(up);
    expect(p.file).toBe('引号.csv');
    expect(p.row).toBe(3);
    expect(p.zh).toMatch(/^第3行.*引号/);
  });

  it('refuses a csv with NUL bytes, naming the row and column, instead of a job that never ends', async () => {
    const up = await upload('nul.csv', `${HEAD}\n${U1},2024-01,1,2\n${U1},2024-02,1\u00000,2\n`);
    expect(up.status).toBe('refused');
    const p = firstError(up);
    expect(p.file).toBe('nul.csv');
    expect(p.row).toBe(3);
    expect(p.column).toBe('工业总产值(万元)');
    expect(p.zh).toMatch(/^第3行第3列.*空字符/);
  });

  it('says a UTF-8 file with a stray byte has a bad byte in its row, rather than that it has no header', async () => {
    const bad = Buffer.concat([
      Buffer.from(`${HEAD}\n${U1},2024-01,1,2\n${U1},2024-02,`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(',2\n'),
    ]);
    const up = await upload('混合编码.csv', bad);
    expect(up.status).toBe('refused');
    const p = firstError(up);
    expect(p.zh).toMatch(/^第3行.*UTF-8/);
  });

  it('refuses a line of megabytes without a newline at once, and quotes a huge cell shortened', async () => {
    const started = Date.now();
    const up = await upload('one-line.csv', 'a,'.repeat(4 * 1024 * 1024));
    expect(up.status).toBe('refused');
    expect(firstError(up).zh).toMatch(/^第1行超过/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const huge = await upload('huge-cell.csv', `${HEAD}\n${U1},2024-01,${'9'.repeat(100_000)},1\n`);
    const p = firstError(huge);
    expect([p.row, p.column, p.code]).toEqual([2, '工业总产值(万元)', 'number.invalid']);
    expect(p.zh.length).toBeLessThan(100);
    expect(p.zh).toMatch(/^“9{57}…”超出数值范围$/);
  });

  it('names the right file of a batch: each hostile file refused with its own reason', async () => {
    const res = await post(
      '/api/imports/batches',
      multipartFiles([
        { field: 'monthly', fileName: 'nul.csv', content: `${HEAD}\n${U1},2024-01,\u0000,2\n` },
        { field: 'annual', fileName: 'quote.csv', content: `统一社会信用代码,年度\n"${U1},2024\n` },
        { field: 'tiers', fileName: 'old.xls', content: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]) },
      ]),
    );
    expect(res.statusCode, res.body).toBe(202);
    await waitForJobs();
    const batch = await get<ImportBatch>(`/api/imports/batches/${json<ImportBatch>(res).id}`);
    expect(batch.status).toBe('refused');
    const byName = new Map(batch.files.map((f) => [f.fileName, f]));
    expect(byName.get('nul.csv')!.problems[0]!.zh).toContain('空字符');
    expect(byName.get('quote.csv')!.problems[0]!.zh).toContain('引号');
    expect(byName.get('old.xls')!.problems[0]!.zh).toContain('旧版 Excel');
  });

  it('answers a malformed multipart body with 400 (not 500) and keeps no file of it', async () => {
    const before = uploaded();
    const m = multipartFile('x.csv', `${HEAD}\n${U1},2024-01,1,2\n`);
    const noBoundary = await post('/api/imports?kind=monthly', {
      payload: m.payload,
      headers: { 'content-type': 'multipart/form-data' },
    });
    expect(noBoundary.statusCode, noBoundary.body).toBe(400);
    expect(json<{ detailZh: string }>(noBoundary).detailZh).toMatch(/上传/);
    const cut = await post('/api/imports?kind=monthly', { ...m, payload: m.payload.subarray(0, -20) });
    expect(cut.statusCode, cut.body).toBe(400);
    const cutBatch = await post('/api/imports/batches', {
      ...multipartFiles([{ field: 'monthly', fileName: 'm.csv', content: `${HEAD}\n` }]),
      payload: m.payload.subarray(0, -20),
    });
    expect(cutBatch.statusCode, cutBatch.body).toBe(400);
    expect(uploaded()).toEqual(before);
  });

  it('keeps no file of a batch refused while it is read (a field naming no kind, two registry files)', async () => {
    const before = uploaded();
    const good = `${HEAD}\n${U1},2024-01,1,2\n`;
    const bogus = await post(
      '/api/imports/batches',
      multipartFiles([
        { field: 'monthly', fileName: 'm.csv', content: good },
        { field: 'bogus', fileName: 'x.csv', content: good },
      ]),
    );
    expect(bogus.statusCode, bogus.body).toBe(400);
    const twoRegistries = await post(
      '/api/imports/batches',
      multipartFiles([
        { field: 'enterprises', fileName: 'e1.csv', content: 'a' },
        { field: 'enterprises', fileName: 'e2.csv', content: 'b' },
      ]),
    );
    expect(twoRegistries.statusCode, twoRegistries.body).toBe(400);
    expect(uploaded()).toEqual(before);
  });

  it('keeps no half-written file of an upload whose connection drops mid-file', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as net.AddressInfo).port;
    const before = uploaded();
    for (const url of ['/api/imports?kind=monthly', '/api/imports/batches']) {
      const m = multipartFiles([
        {
          field: url.includes('batches') ? 'monthly' : 'file',
          fileName: 'cut.csv',
          content: Buffer.alloc(2_000_000, 0x31),
        },
      ]);
      await new Promise<void>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.write(
            `POST ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n${CSRF_HEADER}: ${CSRF_HEADER_VALUE}\r\n` +
              `Content-Type: ${m.headers['content-type']}\r\nContent-Length: ${m.payload.length}\r\n\r\n`,
          );
          s.write(m.payload.subarray(0, m.payload.length / 2), () =>
            setTimeout(() => (s.destroy(), resolve()), 200),
          );
        });
        s.on('error', reject);
      });
    }
    // the server notices the closed connection and removes the part it wrote
    for (let i = 0; i < 50 && uploaded().join() !== before.join(); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(uploaded()).toEqual(before);
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
  });

  /** A sound monthly workbook written by ExcelJS, one row per [month, 工业总产值] pair (营业收入 2). */
  async function monthlyWorkbook(rows: [string, number | string][]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('月度');
    ws.addRow(HEAD.split(','));
    for (const [month, output] of rows) ws.addRow([U1, month, output, 2]);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  /** The zip again with a part changed (text replaced) or left out (null). */
  function damaged(xlsx: Buffer, name: string, change: ((xml: string) => string) | null): Buffer {
    const parts = zipParts(xlsx);
    expect(parts.has(name), name).toBe(true);
    if (change) parts.set(name, Buffer.from(change(parts.get(name)!.toString('utf8'))));
    else parts.delete(name);
    return zipFromParts(parts);
  }

  it('refuses a number that would read as 0 or Infinity, naming its row and column, in csv and xlsx', async () => {
    const col = '工业总产值(万元)';
    const expectOutOfRange = (up: ImportDetail, fileName: string) => {
      expect(up.status).toBe('refused');
      const errors = up.problems.filter((p) => p.severity === 'error');
      expect(errors.map((p) => [p.file, p.row, p.column, p.code])).toEqual([
        [fileName, 2, col, 'number.invalid'],
        [fileName, 3, col, 'number.invalid'],
        [fileName, 4, col, 'number.invalid'],
      ]);
      expect(errors[0]!.zh).toBe('“1e-400”超出数值范围（不为零，但小到只能读作 0）');
      expect(errors[0]!.en).toMatch(/^"1e-400" is out of numeric range/);
      expect(errors[1]!.zh).toBe('“-2.5E-999”超出数值范围（不为零，但小到只能读作 0）');
      expect(errors[2]!.zh).toBe('“1e400”超出数值范围');
    };
    const csv = await upload(
      'tiny-huge.csv',
      `${HEAD}\n${U1},2024-01,1e-400,2\n${U1},2024-02,-2.5E-999,2\n${U1},2024-03,1e400,2\n${U1},2024-04,0e-400,2\n`,
    );
    expectOutOfRange(csv, 'tiny-huge.csv');
    // xlsx: number cells ExcelJS cannot write (no double holds them), put in its sheet's XML by hand; a zero
    // written as 0e-400 stays a zero
    const sound = await monthlyWorkbook([
      ['2024-01', 111.25],
      ['2024-02', 222.25],
      ['2024-03', 333.25],
      ['2024-04', 444.25],
    ]);
    const xlsx = damaged(sound, 'xl/worksheets/sheet1.xml', (xml) =>
      xml
        .replace('<v>111.25</v>', '<v>1e-400</v>')
        .replace('<v>222.25</v>', '<v>-2.5E-999</v>')
        .replace('<v>333.25</v>', '<v>1e400</v>')
        .replace('<v>444.25</v>', '<v>0e-400</v>'),
    );
    expectOutOfRange(await upload('tiny-huge.xlsx', xlsx), 'tiny-huge.xlsx');
  });

  it('says a workbook whose shared strings are missing is damaged, rather than that it has no header', async () => {
    const sound = await monthlyWorkbook([['2024-01', 1]]);
    expect((await upload('sound.xlsx', sound)).status).toBe('previewed');
    const up = await upload('no-strings.xlsx', damaged(sound, 'xl/sharedStrings.xml', null));
    expect(up.status).toBe('refused');
    const errors = up.problems.filter((p) => p.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.file).toBe('no-strings.xlsx');
    expect(errors[0]!.zh).toMatch(
      /^无法读取该 xlsx 文件（工作簿已损坏：缺少共享字符串（xl\/sharedStrings\.xml）/,
    );
    expect(errors[0]!.en).toMatch(
      /the workbook is damaged: its shared strings \(xl\/sharedStrings\.xml\) are missing/,
    );
    for (const p of up.problems) expect(`${p.zh} ${p.en}`).not.toMatch(/表头|header/i);
    // a shared string cut short: the cell naming the entry that is not there
    const cut = damaged(sound, 'xl/sharedStrings.xml', (xml) =>
      xml.replace(/<si>(?:(?!<\/si>).)*<\/si>(?=<\/sst>)/s, ''),
    );
    const short = firstError(await upload('short-strings.xlsx', cut));
    expect(short.zh).toMatch(/工作簿已损坏：单元格 [A-Z]+\d+ 引用的共享字符串第 \d+ 项不存在/);
  });

  it('refuses two files sent to the one-file upload, keeping neither; a batch still takes several', async () => {
    const before = uploaded();
    const importsBefore = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from imports`);
    const two = await post(
      '/api/imports?kind=monthly',
      multipartFiles([
        { field: 'file', fileName: 'a.csv', content: `${HEAD}\n${U1},2024-06,1,2\n` },
        { field: 'file', fileName: 'b.csv', content: `${HEAD}\n${U1},2024-07,1,2\n` },
      ]),
    );
    expect(two.statusCode, two.body).toBe(400);
    const body = json<{ detail: string; detailZh: string }>(two);
    expect(body.detailZh).toBe('一次只能上传一个文件；多个文件请用批量导入。');
    expect(body.detail).toMatch(/^One file per upload; use a batch import/);
    expect(uploaded()).toEqual(before);
    expect(await queryRows(d.db, sql`select count(*)::int as n from imports`)).toEqual(importsBefore);
    const batch = await post(
      '/api/imports/batches',
      multipartFiles([
        { field: 'monthly', fileName: 'm1.csv', content: `${HEAD}\n${U1},2024-09,1,2\n` },
        { field: 'annual', fileName: 'a1.csv', content: `统一社会信用代码,年度\n${U1},2024\n` },
      ]),
    );
    expect(batch.statusCode, batch.body).toBe(202);
    await waitForJobs();
  });

  it('writes a firm name that starts with "=" into an export as text, never as a formula', async () => {
    const name = '=HYPERLINK("http://example.invalid","点击")';
    await d.db.execute(sql`update enterprises set name = ${name} where id = ${fx.ids.pinghuChem}`);
    const res = await app.inject({
      method: 'GET',
      url: '/api/imports/export/enterprises',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    const xlsx = res.rawPayload;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const cells: ExcelJS.Cell[] = [];
    wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => void (c.text === name && cells.push(c))));
    expect(cells).toHaveLength(1);
    expect(cells[0]!.type).toBe(ExcelJS.ValueType.String);
    expect(cells[0]!.formula).toBeUndefined();
    const sheets = [...zipParts(xlsx)].filter(([n]) => n.startsWith('xl/worksheets/'));
    expect(sheets.length).toBeGreaterThan(0);
    for (const [, xml] of sheets) expect(xml.toString('utf8')).not.toMatch(/<f[ >]/);
    await d.db.execute(
      sql`update enterprises set name = '平湖示例新材料科技有限公司' where id = ${fx.ids.pinghuChem}`,
    );
  });

  it('left every import in an end state, the facts unchanged, and still imports a good file', async () => {
    const rows = await queryRows<{ status: string }>(d.db, sql`select distinct status from imports`);
    expect(rows.map((r) => r.status).sort()).not.toContain('previewing');
    expect(rows.map((r) => r.status)).not.toContain('failed');
    expect(await facts()).toBe(factsBefore);
    const ok = await upload('good.csv', `${HEAD}\n${U1},2024-05,1,2\n`);
    expect(ok.status).toBe('previewed');
  });
});
