// Hostile files sent to the platform's other spreadsheet imports (project progress, platforms, reported
// target values) and hostile requests to their routes and to the batch upload. Those imports read their
// workbook through the imports' own scanner: a number no double holds ("1e-400", 1e400) is refused on its
// row and column with the reason the main imports give (never read as 0 or Infinity), and a workbook
// whose shared strings are missing is refused as damaged (never read with empty text cells as "no
// header"). A request beyond a route's limits is a 4xx with its reason in Chinese first, never a 500, and
// leaves nothing behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { waitForJobs } from '../../src/modules/imports/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, seedFixture, TONGXIANG } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFiles } from '../helpers/uploads.ts';
import { withPart } from '../helpers/zip-parts.ts';

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-hostile-others-'));
process.env.CLUSTERSCOPE_UPLOADS = uploads;
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));
const uploaded = () => fs.readdirSync(uploads).sort();

const SHEET = 'xl/worksheets/sheet1.xml';
const STRINGS = 'xl/sharedStrings.xml';
const TINY = '“1e-400”超出数值范围（不为零，但小到只能读作 0）';
const TINY_EN = /^"1e-400" is out of numeric range \(not zero/;
const HUGE = '“1e400”超出数值范围';
const DAMAGED = /工作簿已损坏：缺少共享字符串（xl\/sharedStrings\.xml）/;

/** A workbook of one sheet written by ExcelJS. */
async function book(name: string, rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(name);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
/** Number cells no spreadsheet program writes (no double holds them), put into the sheet's XML by hand. */
const withValues = (xlsx: Buffer, values: Record<string, string>) =>
  withPart(xlsx, SHEET, (xml) =>
    Object.entries(values).reduce((x, [from, to]) => {
      expect(x).toContain(`<v>${from}</v>`);
      return x.replace(`<v>${from}</v>`, `<v>${to}</v>`);
    }, xml),
  );
const b64 = (b: Buffer) => b.toString('base64');

interface ProgressIssue {
  row: number | null;
  column: string | null;
  value: unknown;
  message: string;
  messageZh: string;
}
interface PlatformProblem {
  row: number | null;
  column: string | null;
  value?: unknown;
  zh: string;
  en: string;
}

describe.each(testDatabases())('hostile uploads to the other imports on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  let before = '';
  const state = async () =>
    JSON.stringify(
      await queryRows(
        d.db,
        sql`select (select count(*) from platforms)::int as platforms, (select count(*) from project_imports)::int as progress,
          (select count(*) from project_progress)::int as reports, (select count(*) from target_reports)::int as targets,
          (select count(*) from imports)::int as imports`,
      ),
    );

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await seedFixture(d);
    app = await testApp(d);
    for (const u of ['fx_admin', 'fx_nanhu', 'fx_tongxiang']) cookies[u] = await loginCookie(app, u);
    before = await state();
  });
  afterAll(async () => {
    await waitForJobs();
    await app?.close();
    if (d) await t.dispose(d);
  });

  const post = (who: string, url: string, payload: object) =>
    app.inject({ method: 'POST', url, payload, headers: { cookie: cookies[who]! } });

  const progress = async (xlsx: Buffer) => {
    const res = await post('fx_nanhu', '/api/projects/progress-import', {
      fileName: '进度.xlsx',
      contentBase64: b64(xlsx),
      dryRun: true, // (a refusal is recorded otherwise)
    });
    expect(res.statusCode, res.body).toBe(200);
    return json<{ status: string; issues: ProgressIssue[] }>(res);
  };
  const progressBook = (rows: unknown[][]) =>
    book('进度', [
      ['南湖区重大项目月度进度表'],
      ['项目编号', '月份', '本月完成投资（万元）', '累计完成投资（亿元）'],
      ...rows,
    ]);

  it('refuses a progress report whose amount no double holds, on its row and column', async () => {
    const xlsx = withValues(
      await progressBook([
        ['XM-1', '2024-01', 111.25, 1],
        ['XM-2', '2024-01', 222.25, 2],
        ['XM-3', '2024-01', 333.25, 3],
        ['XM-4', '2024-01', 4, 1e305],
      ]),
      { '111.25': '1e-400', '222.25': '-2.5E-999', '333.25': '1e400' },
    );
    const out = await progress(xlsx);
    expect(out.status).toBe('refused');
    const numbers = out.issues
      .filter((i) => i.column !== '项目编号')
      .map((i) => [i.row, i.column, i.value, i.messageZh]);
    expect(numbers).toEqual([
      [3, '本月完成投资（万元）', '1e-400', TINY],
      [4, '本月完成投资（万元）', '-2.5E-999', '“-2.5E-999”超出数值范围（不为零，但小到只能读作 0）'],
      [5, '本月完成投资（万元）', '1e400', HUGE],
      // 1e305 亿元 is past a double's range in 万元
      [6, '累计完成投资（亿元）', '1e+305', '“1e+305”换算单位后超出数值范围'],
    ]);
    expect(out.issues[0]!.message).toMatch(TINY_EN);
  });

  it('says a progress report whose shared strings are missing is damaged, not that it has no header', async () => {
    const sound = await progressBook([['XM-1', '2024-01', 1, 1]]);
    const out = await progress(withPart(sound, STRINGS, null));
    expect(out.status).toBe('refused');
    expect(out.issues).toHaveLength(1);
    expect(out.issues[0]!.messageZh).toMatch(DAMAGED);
    expect(out.issues[0]!.message).toMatch(/the workbook is damaged/);
    expect(`${out.issues[0]!.messageZh} ${out.issues[0]!.message}`).not.toMatch(/表头|header/i);
  });

  const platforms = async (xlsx: Buffer) => {
    const res = await post('fx_nanhu', '/api/platforms/import', {
      fileName: '平台.xlsx',
      contentBase64: b64(xlsx),
    });
    expect(res.statusCode, res.body).toBe(200);
    return json<{ ok: boolean; problems: PlatformProblem[] }>(res);
  };
  const platformBook = (rows: unknown[][]) =>
    book('平台', [['名称', '类型', '级别', '县（市、区）', '认定年份', '来源'], ...rows]);

  it('refuses a platform whose year no double holds, on its row and column, rather than reading 0', async () => {
    const xlsx = withValues(
      await platformBook([
        ['南湖甲园', '小微企业园', '市级', '南湖区', 2021, '认定文件A'],
        ['南湖乙园', '小微企业园', '市级', '南湖区', 2022, '认定文件B'],
      ]),
      { '2021': '1e-400', '2022': '1e400' },
    );
    const out = await platforms(xlsx);
    expect(out.ok).toBe(false);
    expect(out.problems.map((p) => [p.row, p.column, p.value, p.zh])).toEqual([
      [2, '认定年份', '1e-400', TINY],
      [3, '认定年份', '1e400', HUGE],
    ]);
    expect(out.problems[0]!.en).toMatch(TINY_EN);
  });

  it('says a platforms workbook whose shared strings are missing is damaged, not that columns are missing', async () => {
    const sound = await platformBook([['南湖甲园', '小微企业园', '市级', '南湖区', 2021, '认定文件A']]);
    const out = await platforms(withPart(sound, STRINGS, null));
    expect(out.ok).toBe(false);
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]!.zh).toMatch(DAMAGED);
    expect(out.problems[0]!.en).toMatch(/the workbook is damaged/);
  });

  const SET = 'five-clusters-2020';
  const targets = async (xlsx: Buffer) => {
    const res = await post('fx_tongxiang', '/api/targets/reports/import', {
      file: { fileName: '填报.xlsx', contentBase64: b64(xlsx) },
    });
    expect(res.statusCode, res.body).toBe(200);
    return json<{
      imported: number;
      problems: { row: number | null; column: string | null; reason: string; zh: string; en: string }[];
    }>(res);
  };
  const targetBook = (rows: unknown[][]) =>
    book('目标填报', [['目标体系代码', '目标代码', '目标名称', '地区代码', '年度', '数值', '说明'], ...rows]);

  it('refuses a reported target value no double holds (1e-400 was imported as 0), on its row and column', async () => {
    const xlsx = withValues(
      await targetBook([
        [SET, 'opening-multinationals', '', TONGXIANG, 2024, 111.25, ''],
        [SET, 'brands-intl-national-standards', '', TONGXIANG, 2024, 222.25, ''],
      ]),
      { '111.25': '1e-400', '222.25': '1e400' },
    );
    const out = await targets(xlsx);
    expect(out.imported).toBe(0);
    expect(out.problems.map((p) => [p.row, p.column, p.reason])).toEqual([
      [2, '数值', TINY],
      [3, '数值', HUGE],
    ]);
    // in English too, as the main imports give it
    expect(out.problems.map((p) => [p.zh, p.en])).toEqual([
      [TINY, expect.stringMatching(TINY_EN)],
      [HUGE, expect.stringMatching(/^"1e400" is out of numeric range/)],
    ]);
    const damaged = await targets(
      withPart(
        await targetBook([[SET, 'opening-multinationals', '', TONGXIANG, 2024, 1, '']]),
        STRINGS,
        null,
      ),
    );
    expect(damaged.imported).toBe(0);
    expect(damaged.problems.map((p) => p.reason)).toEqual([expect.stringMatching(DAMAGED)]);
    expect(damaged.problems.map((p) => p.en)).toEqual([expect.stringMatching(/the workbook is damaged/)]);
  });

  it('refuses a reported-values workbook past 5 MB with 413 naming the limit, as the other imports do', async () => {
    // (it said only "文件超过 5 MB。", the platforms and progress imports name whose limit it is)
    const big = await post('fx_tongxiang', '/api/targets/reports/import', {
      file: { fileName: '填报.xlsx', contentBase64: b64(Buffer.alloc(5 * 1024 * 1024 + 1, 1)) },
    });
    expect(big.statusCode, big.body).toBe(413);
    const refused = json<{ detailZh: string; detail: string; errors: { field: string }[] }>(big);
    expect(refused.detailZh).toBe('文件超过 5 MB（目标填报表的上限）。');
    expect(refused.detail).toBe('The file is larger than 5 MB (the limit of a reported-values workbook).');
    expect(refused.errors.map((e) => e.field)).toEqual(['contentBase64']);
    // at the cap it is read (and refused as no workbook, a problem of the file, not of its size)
    const atCap = await post('fx_tongxiang', '/api/targets/reports/import', {
      file: { fileName: '填报.xlsx', contentBase64: b64(Buffer.alloc(5 * 1024 * 1024, 1)) },
    });
    expect(atCap.statusCode, atCap.body).toBe(200);
    expect(json<{ imported: number }>(atCap).imported).toBe(0);
  });

  it('answers a batch of more files than it takes with 413 naming the limit in Chinese, keeping none', async () => {
    const kept = uploaded();
    const files = Array.from({ length: 21 }, (_, i) => ({
      field: 'monthly',
      fileName: `m${i}.csv`,
      content: `统一社会信用代码,统计月份,工业总产值(万元)\n${fixtureUscc(1)},2024-01,${i}\n`,
    }));
    const m = multipartFiles(files);
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports/batches',
      headers: { ...m.headers, cookie: cookies.fx_admin! },
      payload: m.payload,
    });
    expect(res.statusCode, res.body).toBe(413);
    const body = json<{ detail: string; detailZh: string }>(res);
    expect(body.detailZh).toBe('文件过多：一次最多上传 20 个文件，其余文件请另行上传。');
    expect(body.detail).toBe('Too many files: at most 20 per upload; send the rest in another upload.');
    expect(uploaded()).toEqual(kept);
  });

  it('answers hostile requests to the platforms and progress imports with a Chinese 4xx, never a 500', async () => {
    const kept = uploaded();
    const sound = b64(await platformBook([['南湖甲园', '小微企业园', '市级', '南湖区', 2021, '认定文件A']]));
    for (const url of ['/api/platforms/import', '/api/projects/progress-import']) {
      const body = JSON.stringify({ fileName: 'x.xlsx', contentBase64: sound });
      const two = multipartFiles([
        { field: 'file', fileName: 'a.xlsx', content: 'a' },
        { field: 'file', fileName: 'b.xlsx', content: 'b' },
      ]);
      const answers = [
        // a body cut off mid-way
        await app.inject({
          method: 'POST',
          url,
          headers: { cookie: cookies.fx_nanhu!, 'content-type': 'application/json' },
          payload: body.slice(0, body.length / 2),
        }),
        // files sent as multipart (these routes take one file as base64 in JSON)
        await app.inject({
          method: 'POST',
          url,
          headers: { ...two.headers, cookie: cookies.fx_nanhu! },
          payload: two.payload,
        }),
        // a body past the server's limit (50 MB)
        await app.inject({
          method: 'POST',
          url,
          headers: { cookie: cookies.fx_nanhu!, 'content-type': 'application/json' },
          payload: JSON.stringify({ fileName: 'x.xlsx', contentBase64: 'A'.repeat(51 * 1024 * 1024) }),
        }),
      ];
      for (const res of answers) {
        expect(res.statusCode, `${url} ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${url} ${res.body}`).toBeLessThan(500);
        expect(json<{ detailZh: string }>(res).detailZh).toMatch(/^[\u4e00-\u9fff]/);
      }
      expect(answers.map((r) => r.statusCode)).toEqual([400, 415, 413]);
    }
    // the platforms import refuses a workbook over the imports' 5 MB with one sentence naming its limit
    // (it read "文件超过 5 MB表格超过 5 MB。。": its own sentence was put where decodeUpload names the limit)
    const big = await post('fx_nanhu', '/api/platforms/import', {
      fileName: 'big.xlsx',
      contentBase64: b64(Buffer.alloc(5 * 1024 * 1024 + 1, 1)),
    });
    expect(big.statusCode, big.body).toBe(413);
    const refused = json<{ detailZh: string; detail: string; errors: { field: string }[] }>(big);
    expect(refused.detailZh).toBe('文件超过 5 MB（平台载体表的上限）。');
    expect(refused.detail).toBe('The file is larger than 5 MB (the limit of a platforms workbook).');
    expect(refused.errors.map((e) => e.field)).toEqual(['contentBase64']);
    expect(uploaded()).toEqual(kept);
  });

  it('refuses a progress upload that is not base64 (400 naming the field) or past 5 MB (413 naming the limit)', async () => {
    const sound = b64(await progressBook([['XM-NONE', '2024-01', 1, 1]]));
    const send = (contentBase64: string) =>
      post('fx_nanhu', '/api/projects/progress-import', {
        fileName: '进度.xlsx',
        contentBase64,
        dryRun: true,
      });
    const half = Math.floor(sound.length / 8) * 4;
    // characters outside the alphabet, which Buffer.from skipped (decoding what was left around them)
    for (const junk of [
      `${sound.slice(0, half)}*${sound.slice(half)}`,
      `${sound}!!`,
      `%${sound}`,
      `${sound.slice(0, half)}-_${sound.slice(half + 2)}`, // base64url
      sound.slice(0, -1), // cut short
    ]) {
      const res = await send(junk);
      expect(res.statusCode, res.body).toBe(400);
      const body = json<{ detailZh: string; detail: string; errors: { field: string }[] }>(res);
      expect(body.detailZh).toBe('文件内容不是有效的 base64 编码。');
      expect(body.errors.map((e) => e.field)).toEqual(['contentBase64']);
    }
    // line breaks (MIME-wrapped base64) are still read
    const wrapped = await send(sound.replace(/(.{76})/g, '$1\r\n'));
    expect(wrapped.statusCode, wrapped.body).toBe(200);
    expect(json<{ issues: { column: string }[] }>(wrapped).issues.map((i) => i.column)).toEqual(['项目编号']);
    // the cap of the platforms and reported-target imports, named in the answer
    const big = await send(b64(Buffer.alloc(5 * 1024 * 1024 + 1, 1)));
    expect(big.statusCode, big.body).toBe(413);
    expect(json<{ detailZh: string }>(big).detailZh).toBe('文件超过 5 MB（进度表的上限）。');
    const atCap = await send(b64(Buffer.alloc(5 * 1024 * 1024, 1)));
    expect(atCap.statusCode, atCap.body).toBe(200); // read, and refused as no workbook
    expect(json<{ status: string }>(atCap).status).toBe('refused');
  });

  it('wrote nothing and still imports a sound progress report', async () => {
    expect(await state()).toBe(before);
    const out = await progress(await progressBook([['XM-NONE', '2024-01', 1, 1]]));
    expect(out.issues.map((i) => i.column)).toEqual(['项目编号']); // read, only the code unknown
  });
});
