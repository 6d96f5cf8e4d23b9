// Spreadsheet imports on every test database: messy files imported or refused exactly, all or
// nothing; re-import idempotent; corrections kept in history; rollback; county restriction; the
// four templates round-trip; the CLI's exit codes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { and, eq, sql } from 'drizzle-orm';
import { openDatabase, queryRows, REPO_ROOT, type Database, type Db } from '../../src/db/client.ts';
import {
  auditLog,
  enterpriseClusters,
  enterprises,
  enterpriseTiers,
  importReplacedValues,
  imports,
  monthlyStats,
  annualInputs,
} from '../../src/db/schema.ts';
import { makeUscc } from '../../src/domain/uscc.ts';
import { onFactsChanged, waitForJobs, type FactsChange } from '../../src/modules/imports/service.ts';
import type { ImportDetail, ImportList } from '../../src/modules/imports/schemas.ts';
import type { GoodRow } from '../../src/modules/imports/pipeline.ts';
import { ExistingRows, FactWriter } from '../../src/modules/imports/repo.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, PINGHU, seedFixture, TONGXIANG, type Fixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { multipartFile } from '../helpers/uploads.ts';

type Row = (string | number | Date | null)[];

/** An xlsx file as clerks make them: optional title rows, optional hidden and notes sheets, merges. */
async function xlsx(
  sheets: { name: string; rows: Row[]; hidden?: boolean; merges?: string[] }[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, { state: s.hidden ? 'hidden' : 'visible' });
    for (const r of s.rows) ws.addRow(r);
    for (const m of s.merges ?? []) ws.mergeCells(m);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function csv(rows: Row[], encoding: 'utf8' | 'utf8bom' | 'gbk' = 'utf8'): Buffer {
  const text =
    rows
      .map((r) =>
        r
          .map((v) =>
            v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v),
          )
          .join(','),
      )
      .join('\r\n') + '\r\n';
  if (encoding === 'gbk') return iconv.encode(text, 'gbk');
  return Buffer.from((encoding === 'utf8bom' ? '\uFEFF' : '') + text, 'utf8');
}

async function readXlsx(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as never);
  return wb;
}

const binary = (res: LightMyRequestResponse) => res.rawPayload;

describe.each(testDatabases())('imports on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const cookies: Record<string, string> = {};
  const U = {
    nanhuTextile: fixtureUscc(1),
    nanhuOther: fixtureUscc(2),
    tongxiang: fixtureUscc(3, TONGXIANG),
    pinghu: fixtureUscc(4, PINGHU),
  };

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
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

  /** Uploads, waits for the preview, and answers the import. */
  async function upload(
    kind: string,
    fileName: string,
    content: Buffer,
    who = 'admin',
  ): Promise<ImportDetail & { statusCode: number }> {
    const m = multipartFile(fileName, content);
    const res = await app.inject({
      method: 'POST',
      url: `/api/imports?kind=${kind}`,
      headers: { ...m.headers, cookie: cookies[who]! },
      payload: m.payload,
    });
    if (res.statusCode >= 300) return { statusCode: res.statusCode, ...(json<object>(res) as ImportDetail) };
    const body = json<ImportDetail>(res);
    await waitForJobs(body.id);
    const after = json<ImportDetail>(await get(`/api/imports/${body.id}`, who));
    return { ...after, duplicateOf: body.duplicateOf, statusCode: res.statusCode };
  }
  async function commit(id: number, who = 'admin'): Promise<ImportDetail & { statusCode: number }> {
    const res = await post(`/api/imports/${id}/commit`, who);
    if (res.statusCode !== 202) return { statusCode: res.statusCode, ...(json<object>(res) as ImportDetail) };
    await waitForJobs(id);
    return { ...json<ImportDetail>(await get(`/api/imports/${id}`, who)), statusCode: res.statusCode };
  }
  async function importFile(kind: string, fileName: string, content: Buffer, who = 'admin') {
    const up = await upload(kind, fileName, content, who);
    expect(up.status, JSON.stringify(up.problems?.filter((p) => p.severity === 'error').slice(0, 5))).toBe(
      'previewed',
    );
    const done = await commit(up.id, who);
    expect(done.status, JSON.stringify(done.problems?.slice(0, 5))).toBe('committed');
    return done;
  }
  const monthlyCount = async () =>
    (await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from monthly_stats`))[0]!.n;
  const monthOf = async (uscc: string, month: string) => {
    const [e] = await d.db.select({ id: enterprises.id }).from(enterprises).where(eq(enterprises.uscc, uscc));
    const [m] = await d.db
      .select()
      .from(monthlyStats)
      .where(and(eq(monthlyStats.enterpriseId, e!.id), eq(monthlyStats.month, `${month}-01`)));
    return m;
  };
  const auditFor = (action: string, id: number) =>
    d.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(id))));

  let messyId = 0;
  let messyFile: Buffer = Buffer.alloc(0);

  it('imports a messy xlsx: title rows, a merged two-row header, 千元, full-width digits, a 合计 row, hidden and notes sheets', async () => {
    const file = await xlsx([
      {
        name: '月报',
        rows: [
          ['2024年5月 规上工业企业主要经济指标', null, null, null, null],
          ['填报单位：市经信局', null, null, null, null],
          ['统一社会信用代码', '统计月份', '工业总产值', '利润总额', '从业人员'],
          [null, null, '（千元）', '(万元)', null],
          [` ${U.nanhuTextile.toLowerCase()}`, '2024年5月', '１２，３４５．６', '-12.5', '１２０'],
          [U.tongxiang, new Date(Date.UTC(2024, 4, 1)), 8000, '—', 300],
          ['合计', null, 20345.6, null, 420],
          ['注：本表为快报数', null, null, null, null],
        ],
        merges: ['A1:E1', 'A3:A4', 'B3:B4', 'E3:E4'],
      },
      {
        name: 'junk',
        hidden: true,
        rows: [
          ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
          ['bad', 'bad', 'bad'],
        ],
      },
      { name: '填写说明', rows: [['说明'], ['金额单位为千元']] },
    ]);
    messyFile = file;
    const up = await upload('monthly', 'may-report.xlsx', file);
    expect(up.statusCode).toBe(202);
    expect(up.status).toBe('previewed');
    expect(up.counts).toMatchObject({ rows: 2, good: 2, error: 0, skipped: 2 });
    expect(up.problems.map((p) => p.code).sort()).toEqual([
      'row.footnote',
      'row.total',
      'sheet.hidden',
      'sheet.skipped',
    ]);
    const total = up.problems.find((p) => p.code === 'row.total')!;
    expect(total).toMatchObject({ file: 'may-report.xlsx', sheet: '月报', row: 7, severity: 'notice' });
    expect(await monthOf(U.nanhuTextile, '2024-05')).toBeUndefined(); // a preview writes nothing

    const done = await commit(up.id);
    // (the error and first problems say why, should it ever be refused)
    expect(done.status, JSON.stringify({ error: done.error, problems: done.problems?.slice(0, 5) })).toBe(
      'committed',
    );
    expect(done.counts).toMatchObject({ inserted: 2, replaced: 0 });
    expect(await monthOf(U.nanhuTextile, '2024-05')).toMatchObject({
      outputValue: 1234.56,
      profit: -12.5,
      employees: 120,
      revenue: null,
      importId: up.id,
    });
    expect(await monthOf(U.tongxiang, '2024-05')).toMatchObject({
      outputValue: 800,
      profit: null,
      employees: 300,
      importId: up.id,
    });
    expect((await auditFor('import.upload', up.id)).length).toBe(1);
    expect((await auditFor('import.commit', up.id)).length).toBe(1);
    messyId = up.id;
  });

  it('changes nothing when the same file is imported again (sha256)', async () => {
    const before = await monthlyCount();
    const count = (await d.db.select().from(imports)).length;
    const dup = await upload('monthly', 'may-report-copy.xlsx', messyFile);
    expect(dup.statusCode).toBe(200);
    expect(dup.duplicateOf).toBe(messyId);
    expect((await d.db.select().from(imports)).length).toBe(count);
    expect(await monthlyCount()).toBe(before);
  });

  let refusedId = 0;
  it('refuses a GBK csv with bad USCCs, unknown enterprises, duplicates, bad numbers and periods — writing nothing', async () => {
    const before = await monthlyCount();
    const file = csv(
      [
        ['统一社会信用代码', '统计月份', '工业总产值(元)', '营业收入(万元)', '税金(万元)'],
        [U.nanhuTextile, '2024-06', '1,234,567', '100', '-3'],
        [U.nanhuOther.slice(0, 17) + (U.nanhuOther.endsWith('1') ? '2' : '1'), '2024-06', '1', '1', '1'],
        [makeUscc('91330402999999999'), '2024-06', '1', '1', '1'],
        [U.nanhuTextile, '2024/6', '5', '5', '5'],
        [U.tongxiang, '2024年6月', 'abc', '1', '1'],
        [U.pinghu, '2031-01', '1', '1', '1'],
        ['总计', null, '1234573', '107', '3'],
      ],
      'gbk',
    );
    const up = await upload('monthly', '六月.csv', file);
    expect(up.status).toBe('refused');
    const errors = up.problems.filter((p) => p.severity === 'error').map((p) => [p.row, p.code]);
    expect(errors).toEqual([
      [3, 'uscc.checksum'],
      [4, 'enterprise.unknown'],
      [5, 'row.duplicate'],
      [6, 'number.invalid'],
      [7, 'period.outOfRange'],
    ]);
    const bad = up.problems.find((p) => p.code === 'number.invalid')!;
    expect(bad).toMatchObject({
      file: '六月.csv',
      sheet: null,
      row: 6,
      column: '工业总产值(元)',
      value: 'abc',
    });
    expect(bad.zh).toContain('不是有效数字');
    expect(bad.en).toContain('not a valid number');
    expect(up.problems.some((p) => p.code === 'row.total' && p.row === 8)).toBe(true);
    expect((await post(`/api/imports/${up.id}/commit`)).statusCode).toBe(409);
    expect(await monthlyCount()).toBe(before);
    refusedId = up.id;
  });

  it('downloads the problem report as xlsx with the offending rows marked', async () => {
    const res = await get(`/api/imports/${refusedId}/report`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = await readXlsx(binary(res));
    const list = wb.getWorksheet('问题清单 Problems')!;
    expect(list.getRow(2).getCell(7).value).toBeTruthy();
    const rows = wb.getWorksheet('标记的行 Rows')!;
    expect(rows.getRow(1).values).toContain('工业总产值(元)');
    const marked: number[] = [];
    rows.eachRow((r, n) => {
      if (n > 1 && typeof r.getCell(1).value === 'number') marked.push(r.getCell(1).value as number);
    });
    expect(marked).toEqual([3, 4, 5, 6, 7, 8]);
    const row6 = [...Array(rows.rowCount).keys()]
      .map((i) => rows.getRow(i + 1))
      .find((r) => r.getCell(1).value === 6)!;
    expect((row6.getCell(4).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE'); // 工业总产值 cell in red
  });

  it('refuses a registry file with unknown codes, then imports the fixed one: new firms, a corrected firm with history, cluster membership', async () => {
    const A = makeUscc('91330402MA0000001');
    const B = makeUscc('91330483MA0000002');
    const header = ['统一社会信用代码', '企业名称', '区县代码', '行业代码', '规模', '所属园区', '成立日期'];
    const bad = await upload(
      'enterprises',
      'registry.xlsx',
      await xlsx([
        {
          name: '名录',
          rows: [
            header,
            [A, '嘉兴新示例纺织有限公司', '330402', '1711', '规上', '经开区', '2019-05-20'],
            [B, '桐乡新示例科技有限公司', '999999', '9999', '中型', null, null],
          ],
        },
      ]),
    );
    expect(bad.status).toBe('refused');
    expect(bad.problems.filter((p) => p.severity === 'error').map((p) => [p.row, p.code])).toEqual([
      [3, 'reference.county'],
      [3, 'reference.industry'],
      [3, 'enum.unknown'],
    ]);
    expect((await d.db.select().from(enterprises).where(eq(enterprises.uscc, A))).length).toBe(0);

    const good = await importFile(
      'enterprises',
      'registry-fixed.xlsx',
      await xlsx([
        {
          name: '名录',
          rows: [
            header,
            [A, '嘉兴新示例纺织有限公司', '330402', '1711', '规上', '经开区', '2019-05-20'],
            [B, '桐乡新示例科技有限公司', '桐乡市', '3825', '规下', null, 43466],
            [U.nanhuOther, '嘉兴市南湖示例食品股份有限公司', '330402', '1391', '规上', null, null],
          ],
        },
      ]),
    );
    expect(good.counts).toMatchObject({ inserted: 2, replaced: 1, unchanged: 0 });
    const [a] = await d.db.select().from(enterprises).where(eq(enterprises.uscc, A));
    expect(a).toMatchObject({
      regionCode: NANHU,
      zoneCode: 'Z-JXETDZ',
      industryCode: '1711',
      scale: 'above',
      founded: '2019-05-20',
      status: 'operating',
      importId: good.id,
    });
    const [b] = await d.db.select().from(enterprises).where(eq(enterprises.uscc, B));
    expect(b).toMatchObject({ regionCode: TONGXIANG, founded: '2019-01-01', scale: 'below' });
    expect(
      (await d.db.select().from(enterpriseClusters).where(eq(enterpriseClusters.enterpriseId, a!.id))).map(
        (c) => c.clusterCode,
      ),
    ).toEqual(['textile']);
    const [other] = await d.db.select().from(enterprises).where(eq(enterprises.uscc, U.nanhuOther));
    expect(other).toMatchObject({
      name: '嘉兴市南湖示例食品股份有限公司',
      scale: 'above',
      importId: good.id,
    });
    const [hist] = await d.db
      .select()
      .from(importReplacedValues)
      .where(eq(importReplacedValues.importId, good.id));
    expect(hist).toMatchObject({ kind: 'enterprises', enterpriseId: fx.ids.nanhuOther, oldImportId: null });
    expect((hist!.oldValues as { name: string; scale: string }).name).toBe('嘉兴市南湖示例食品有限公司');
  });

  let correctionId = 0;
  it('a correction import replaces values, keeps the replaced ones in history and shows the lineage', async () => {
    const corr = await importFile(
      'monthly',
      'may-correction.csv',
      csv(
        [
          ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
          [U.nanhuTextile, '2024-05', '2000'],
          [U.tongxiang, '2024-05', '800'],
        ],
        'utf8bom',
      ),
    );
    expect(corr.counts).toMatchObject({ inserted: 0, replaced: 1, unchanged: 1 });
    // the corrected column changed; columns the file did not have kept their values
    expect(await monthOf(U.nanhuTextile, '2024-05')).toMatchObject({
      outputValue: 2000,
      profit: -12.5,
      employees: 120,
      importId: corr.id,
    });
    expect(await monthOf(U.tongxiang, '2024-05')).toMatchObject({ outputValue: 800, importId: messyId });
    const hist = await d.db
      .select()
      .from(importReplacedValues)
      .where(eq(importReplacedValues.importId, corr.id));
    expect(hist).toHaveLength(1);
    expect(hist[0]).toMatchObject({ kind: 'monthly', period: '2024-05', oldImportId: messyId });
    expect((hist[0]!.oldValues as { output_value: number }).output_value).toBe(1234.56);
    expect(corr.lineage.replaced).toEqual([{ importId: messyId, rows: 1 }]);
    const first = json<ImportDetail>(await get(`/api/imports/${messyId}`));
    expect(first.lineage.replacedBy).toEqual([{ importId: corr.id, rows: 1 }]);
    correctionId = corr.id;
  });

  it('rolls back imports newest first, restoring replaced values (administrators only, audited)', async () => {
    const blocked = await post(`/api/imports/${messyId}/rollback`);
    expect(blocked.statusCode).toBe(409);
    expect(json<{ detail: string }>(blocked).detail).toContain(String(correctionId));
    expect((await post(`/api/imports/${correctionId}/rollback`, 'nanhu')).statusCode).toBe(403);
    const undo = await post(`/api/imports/${correctionId}/rollback`);
    expect(undo.statusCode).toBe(200);
    expect(json<ImportDetail>(undo).status).toBe('rolled_back');
    expect(await monthOf(U.nanhuTextile, '2024-05')).toMatchObject({
      outputValue: 1234.56,
      profit: -12.5,
      importId: messyId,
    });
    expect((await post(`/api/imports/${messyId}/rollback`)).statusCode).toBe(200);
    expect(await monthOf(U.nanhuTextile, '2024-05')).toBeUndefined();
    expect(await monthOf(U.tongxiang, '2024-05')).toBeUndefined();
    expect((await auditFor('import.rollback', correctionId)).length).toBe(1);
    expect((await auditFor('import.rollback', messyId)).length).toBe(1);
    // a rolled-back file may be imported again
    const again = await upload('monthly', 'may-report.xlsx', messyFile);
    expect(again.status).toBe('previewed');
  });

  it('lets a county officer import only rows of their county, and see only their county’s imports', async () => {
    const rows: Row[] = [
      ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
      [U.nanhuTextile, '2024-07', 10],
      [U.tongxiang, '2024-07', 20],
    ];
    const mixed = await upload('monthly', 'july.csv', csv(rows), 'nanhu');
    expect(mixed.status).toBe('refused');
    expect(mixed.problems.filter((p) => p.severity === 'error').map((p) => [p.row, p.code])).toEqual([
      [3, 'scope.otherCounty'],
    ]);
    const own = await importFile('monthly', 'july-nanhu.csv', csv(rows.slice(0, 2)), 'nanhu');
    expect(own.regionCode).toBe(NANHU);
    expect(await monthOf(U.nanhuTextile, '2024-07')).toMatchObject({ outputValue: 10 });
    const txUp = await upload('monthly', 'july-tongxiang.csv', csv([rows[0]!, rows[2]!]), 'tongxiang');
    expect(txUp.status).toBe('previewed');
    expect((await get(`/api/imports/${txUp.id}`, 'nanhu')).statusCode).toBe(404);
    const list = json<ImportList>(await get('/api/imports?pageSize=200', 'nanhu'));
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((i) => i.regionCode === NANHU)).toBe(true);
    expect(json<ImportList>(await get('/api/imports?pageSize=200', 'analyst')).total).toBeGreaterThan(
      list.total,
    );
    const m = multipartFile('x.csv', csv(rows));
    const refused = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=monthly',
      headers: { ...m.headers, cookie: cookies.analyst! },
      payload: m.payload,
    });
    expect(refused.statusCode).toBe(403);
  });

  it('runs registered hooks inside the import transaction; a failing hook leaves nothing written', async () => {
    const seen: FactsChange[] = [];
    const off = onFactsChanged(async (tx, change) => {
      const [row] = await queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from monthly_stats where month = '2024-08-01'`,
      );
      seen.push({ ...change, enterpriseIds: [row!.n] });
    });
    try {
      await importFile(
        'monthly',
        'aug.csv',
        csv([
          ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
          [U.nanhuTextile, '2024-08', 1],
        ]),
      );
      expect(seen).toEqual([
        expect.objectContaining({
          kind: 'monthly',
          months: ['2024-08'],
          action: 'commit',
          enterpriseIds: [1],
        }),
      ]);
    } finally {
      off();
    }
    const offBad = onFactsChanged(async () => {
      throw new Error('rollup failed');
    });
    try {
      const up = await upload(
        'monthly',
        'sep.csv',
        csv([
          ['统一社会信用代码', '统计月份', '工业总产值(万元)'],
          [U.nanhuTextile, '2024-09', 1],
        ]),
      );
      const done = await commit(up.id);
      expect(done.status).toBe('failed');
      expect(done.error).toContain('rollup failed');
      expect(await monthOf(U.nanhuTextile, '2024-09')).toBeUndefined();
    } finally {
      offBad();
    }
  });

  it('keeps an open import transaction to itself: other requests neither see its rows nor share its fate', async () => {
    const header = ['统一社会信用代码', '统计月份', '工业总产值(万元)'];
    const probeKey = 'test.isolation-probe';
    const cleanups: (() => void)[] = [];
    /** Commits an upload with a hook that holds the transaction open (after the rows are written) until released. */
    const held = async (fileName: string, month: string, fail: boolean) => {
      const up = await upload('monthly', fileName, csv([header, [U.nanhuTextile, month, 7]]));
      expect(up.status).toBe('previewed');
      let entered!: () => void;
      let release!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      const off = onFactsChanged(async (_tx, change) => {
        if (change.importId !== up.id) return;
        entered();
        await gate;
        if (fail) throw new Error('held import fails');
      });
      cleanups.push(() => {
        release();
        off();
      });
      expect((await post(`/api/imports/${up.id}/commit`)).statusCode).toBe(202);
      await inside;
      return {
        release,
        async done() {
          await waitForJobs(up.id);
          return json<ImportDetail>(await get(`/api/imports/${up.id}`));
        },
      };
    };
    const pending = Symbol('pending');
    const settledWithin = <T>(p: Promise<T>, ms: number) =>
      Promise.race([p, new Promise<typeof pending>((resolve) => setTimeout(() => resolve(pending), ms))]);

    try {
      // 1. a read through the normal handle while the import's rows are written but not committed
      const a = await held('oct.csv', '2024-10', false);
      const read = monthOf(U.nanhuTextile, '2024-10');
      if (t.kind === 'postgres') {
        expect(await read).toBeUndefined(); // its own connection: the state before the import
      } else {
        // PGlite has one session: the read waits for the import's transaction instead of joining it
        expect(await settledWithin(read, 500)).toBe(pending);
      }
      a.release();
      expect((await a.done()).status).toBe('committed');
      // PGlite answers the waiting read after the commit; PostgreSQL answered it before (above)
      if (t.kind === 'pglite') expect(await read).toMatchObject({ outputValue: 7 });
      expect(await monthOf(U.nanhuTextile, '2024-10')).toMatchObject({ outputValue: 7 });

      // 2. a write through the normal handle while an import that will fail is open survives its rollback
      const b = await held('nov.csv', '2024-11', true);
      // (a Drizzle query runs each time it is awaited: start it once, as a plain promise)
      const write = (async () =>
        d.db.execute(sql`insert into meta (key, value) values (${probeKey}, '{"ok":true}'::jsonb)`))();
      if (t.kind === 'postgres') await write;
      else expect(await settledWithin(write, 500)).toBe(pending);
      b.release();
      const failed = await b.done();
      expect(failed.status).toBe('failed');
      expect(failed.error).toContain('held import fails');
      await write;
      expect(await monthOf(U.nanhuTextile, '2024-11')).toBeUndefined();
      expect(
        await queryRows<{ key: string }>(d.db, sql`select key from meta where key = ${probeKey}`),
      ).toEqual([{ key: probeKey }]);
      await d.db.execute(sql`delete from meta where key = ${probeKey}`);
    } finally {
      for (const cleanup of cleanups) cleanup(); // a failed expectation must not leave an import hanging
    }
  });

  it('streams rows into COPY in chunks; an abandoned or failed COPY leaves the transaction usable', async () => {
    const [firm] = await d.db
      .select({ id: enterprises.id })
      .from(enterprises)
      .where(eq(enterprises.uscc, U.nanhuOther));
    const rows = (year: number): GoodRow[] =>
      Array.from({ length: 12 }, (_, i) => ({
        sheet: '',
        row: i + 2,
        values: {
          uscc: U.nanhuOther,
          month: `${year}-${String(i + 1).padStart(2, '0')}`,
          output_value: i + 0.5,
        },
        enterpriseId: firm!.id,
        cells: [],
        columns: [],
        exact: 0,
      }));
    const present = ['uscc', 'month', 'output_value'];
    const countOf = async (db: Db, year: number) =>
      (
        await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from monthly_stats where enterprise_id = ${firm!.id} and month between ${`${year}-01-01`} and ${`${year}-12-31`}`,
        )
      )[0]!.n;
    // a chunk of 16 bytes: every row goes to the database on its own
    const writer = (tx: Db, mode: 'direct' | 'staging') =>
      new FactWriter(d, tx, 'monthly', present, 0, mode, 16);

    // written in chunks, then abandoned (a refused file): nothing kept
    await d.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      const w = writer(tx, 'direct');
      await w.begin();
      for (const r of rows(2019)) await w.add(r);
      await w.abort();
      // the connection is out of COPY and answers (on PostgreSQL, once the failed COPY is rolled back)
      await tx.execute(sql`rollback to savepoint import_direct`);
      expect(await countOf(tx, 2019)).toBe(0);
    });

    // a direct COPY meeting a row on record fails as ExistingRows; abandon() undoes it, staging merges
    await d.db.execute(
      sql`insert into monthly_stats (enterprise_id, month, output_value) values (${firm!.id}, '2018-06-01', 1)`,
    );
    const outcome = await d.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      const direct = writer(tx, 'direct');
      await direct.begin();
      await expect(
        (async () => {
          for (const r of rows(2018)) await direct.add(r);
          return direct.finish();
        })(),
      ).rejects.toBeInstanceOf(ExistingRows);
      await direct.abandon();
      const staged = writer(tx, 'staging');
      await staged.begin();
      for (const r of rows(2018)) await staged.add(r);
      return staged.finish();
    });
    expect(outcome).toEqual({ inserted: 11, replaced: 1, unchanged: 0 });
    expect(await countOf(d.db, 2018)).toBe(12);
    await d.db.execute(
      sql`delete from monthly_stats where enterprise_id = ${firm!.id} and month between '2018-01-01' and '2018-12-31'`,
    );
    await d.db.execute(sql`delete from import_replaced_values where import_id = 0`);
  });

  it('round-trips the four templates: download, fill, import, export, identical values', async () => {
    const NEW1 = makeUscc('91330402MA0000011');
    const NEW2 = makeUscc('91330482MA0000012');
    const filled: Record<string, Row[]> = {
      enterprises: [
        [
          NEW1,
          '嘉兴模板示例一有限公司',
          '330402',
          '南湖区',
          '1711',
          '规上',
          'Z-JXETDZ',
          '2010-01-02',
          '在营',
          '南湖区模板路1号',
          '光伏组件、逆变器',
        ],
        [NEW2, '平湖模板示例二有限公司', '330482', '平湖市', '2651', '规下', null, null, '停业', null, null],
      ],
      monthly: [
        [U.nanhuOther, '2023-01', 1234.5, 1100.25, -20, 30.5, 356.2, 120.8, 88, 0],
        [U.nanhuOther, '2023-02', 1000, 900, 10, null, 300, 100, 87, 12.3],
      ],
      annual: [
        [U.nanhuOther, 2023, 50.5, 480.25, 3000, 11000, 10500, 5000, 800, 1.25, 0.1, 0.5, 0.75, 120, 88],
      ],
      tiers: [
        [U.nanhuOther, '专精特新', 2023, '省级', '浙经信企业〔2023〕1号'],
        [U.nanhuOther, '雏鹰', 2023, null, null],
      ],
    };
    const exportQuery: Record<string, string> = {
      enterprises: '',
      monthly: '?year=2023',
      annual: '?year=2023',
      tiers: '?year=2023',
    };
    for (const kind of ['enterprises', 'monthly', 'annual', 'tiers']) {
      const tpl = await get(`/api/imports/templates/${kind}`);
      expect(tpl.statusCode).toBe(200);
      const wb = await readXlsx(binary(tpl));
      expect(wb.worksheets.map((w) => w.name)[1]).toBe('填写说明 Notes');
      const ws = wb.worksheets[0]!;
      for (const r of filled[kind]!) ws.addRow(r);
      const file = Buffer.from(await wb.xlsx.writeBuffer());
      const done = await importFile(kind, `${kind}-filled.xlsx`, file);
      expect(done.counts.good).toBe(filled[kind]!.length);

      const exp = await get(`/api/imports/export/${kind}${exportQuery[kind]}`);
      expect(exp.statusCode).toBe(200);
      const out = (await readXlsx(binary(exp))).worksheets[0]!;
      expect(out.getRow(1).values).toEqual(ws.getRow(1).values);
      const exported: Row[] = [];
      out.eachRow((r, n) => {
        if (n > 1)
          exported.push((r.values as unknown[]).slice(1).map((v) => (v === undefined ? null : v)) as Row);
      });
      const width = ws.columnCount;
      const norm = (r: Row) => Array.from({ length: width }, (_, i) => r[i] ?? null);
      for (const r of filled[kind]!) expect(exported.map(norm)).toContainEqual(norm(r));

      // the export imports back unchanged
      const back = await importFile(kind, `${kind}-export.xlsx`, binary(exp));
      expect(back.counts).toMatchObject({ inserted: 0, replaced: 0 });
    }
    const [tier] = await d.db
      .select()
      .from(enterpriseTiers)
      .where(
        and(eq(enterpriseTiers.enterpriseId, fx.ids.nanhuOther), eq(enterpriseTiers.tier, 'zhuanjingtexin')),
      );
    expect(tier).toMatchObject({ year: 2023, level: 'provincial' });
    const [annual] = await d.db
      .select()
      .from(annualInputs)
      .where(and(eq(annualInputs.enterpriseId, fx.ids.nanhuOther), eq(annualInputs.year, 2023)));
    expect(annual).toMatchObject({ landMu: 50.5, taxPaid: 480.25, avgEmployees: 88 });
    // 主要产品 is a column of the registry template: kept as a list, exported joined by 、
    const [one] = await d.db.select().from(enterprises).where(eq(enterprises.uscc, NEW1));
    expect(one!.mainProducts).toEqual(['光伏组件', '逆变器']);
    const [two] = await d.db.select().from(enterprises).where(eq(enterprises.uscc, NEW2));
    expect(two!.mainProducts).toBeNull();
  });
});

describe('clusterscope import (CLI)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-import-cli-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-import-files-'));
  const run = (...args: string[]) => {
    const { DATABASE_URL: _omit, ...env } = process.env;
    return spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'clusterscope.js'), ...args], {
      env: { ...env, CLUSTERSCOPE_DATA: dataDir },
      encoding: 'utf8',
      timeout: 120_000,
    });
  };
  const A = makeUscc('91330402MA0000021');
  const registry = path.join(work, 'registry.csv');
  const monthlyBad = path.join(work, 'monthly-bad.csv');
  const monthlyGood = path.join(work, 'monthly-good.csv');

  beforeAll(() => {
    fs.writeFileSync(
      registry,
      csv(
        [
          ['统一社会信用代码', '企业名称', '所属区县', '行业代码', '规模'],
          [A, 'CLI示例有限公司', '南湖区', '1711', '规上'],
        ],
        'gbk',
      ),
    );
    fs.writeFileSync(
      monthlyBad,
      csv([
        ['统一社会信用代码', '统计月份', '工业总产值(千元)'],
        [A, '2024-05', 'x'],
        [A, '2024-05', '1'],
      ]),
    );
    fs.writeFileSync(
      monthlyGood,
      csv([
        ['统一社会信用代码', '统计月份', '工业总产值(千元)'],
        [A, '2024-05', '１２３４'],
        ['合计', null, '1234'],
      ]),
    );
    const res = run('migrate');
    expect(res.status, res.stderr).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('exits 2 on usage errors', { timeout: 120_000 }, () => {
    expect(run('import', 'payroll', registry).status).toBe(2);
    const missing = run('import', 'monthly', path.join(work, 'nope.csv'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.csv');
    expect(run('import', 'monthly').status).toBe(2);
  });

  it(
    'exits 1 when refused, printing a summary and writing the problem report; 0 when imported; 0 and no change on a repeat',
    { timeout: 300_000 },
    async () => {
      const early = run('import', 'monthly', monthlyGood, '--dry-run');
      expect(early.status).toBe(1); // the enterprise is not registered yet
      expect(early.stdout).toContain('enterprise');
      const reg = run('import', 'enterprises', registry);
      expect(reg.status, reg.stdout + reg.stderr).toBe(0);
      const report = path.join(work, 'report.xlsx');
      const bad = run('import', 'monthly', monthlyBad, '--report', report);
      expect(bad.status).toBe(1);
      expect(bad.stdout).toMatch(/refused/);
      expect(bad.stdout).toContain('第2行');
      expect(fs.existsSync(report)).toBe(true);
      expect(run('import', 'monthly', monthlyGood, '--dry-run').status).toBe(0);
      const good = run('import', 'monthly', monthlyGood);
      expect(good.status, good.stdout + good.stderr).toBe(0);
      expect(good.stdout).toContain('committed');
      const again = run('import', 'monthly', monthlyGood);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('nothing changed');

      const d = await openDatabase({ url: '', dataDir });
      try {
        const rows = await queryRows<{ output_value: number; status: string }>(
          d.db,
          sql`select m.output_value, i.status from monthly_stats m join imports i on i.id = m.import_id`,
        );
        expect(rows).toEqual([{ output_value: 123.4, status: 'committed' }]);
        const refused = await d.db.select().from(imports).where(eq(imports.status, 'refused'));
        expect(refused).toHaveLength(1);
      } finally {
        await d.close();
      }
    },
  );
});
