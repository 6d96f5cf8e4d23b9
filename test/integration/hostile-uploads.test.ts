// No crash from one file (issue 13): hostile files and malformed uploads sent through the real HTTP routes
// of imports and import batches. Each file ends refused (or previewed) with a problem naming the file, row,
// column and reason in Chinese first, never failed with a parser's raw English message nor left
// "previewing"; a malformed or cut-off multipart body is a 400, not a 500; nothing is left behind in
// the uploads folder by a request that was refused; the database is unchanged and the server answers.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
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

  it('left every import in an end state, the facts unchanged, and still imports a good file', async () => {
    const rows = await queryRows<{ status: string }>(d.db, sql`select distinct status from imports`);
    expect(rows.map((r) => r.status).sort()).not.toContain('previewing');
    expect(rows.map((r) => r.status)).not.toContain('failed');
    expect(await facts()).toBe(factsBefore);
    const ok = await upload('good.csv', `${HEAD}\n${U1},2024-05,1,2\n`);
    expect(ok.status).toBe('previewed');
  });
});
