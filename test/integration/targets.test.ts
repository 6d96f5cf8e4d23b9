// Target responsibility (issue 16) through the API on every database: the ledger, a reported value from a
// county with evidence → 退回 with a reason → corrected → 通过 on the shared work items, with the audit of
// every step; another county cannot see the value or its evidence; county goals entered by the city; the
// xlsx import of reported values, all rows or none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { queryRows, type Database } from '../../src/db/client.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, TONGXIANG, seedFixture } from '../helpers/fixtures.ts';
import { json, loginCookie, testApp } from '../helpers/app.ts';
import { PDF_BASE64 as PDF } from '../helpers/cultivation.ts';
import { countyTargetProgress, reportedTargetsCompletion } from '../../src/modules/targets/index.ts';

const SET = 'five-clusters-2020';
const TARGET = 'brands-global'; // 全球性品牌, reported, split equally over counties

interface Detail {
  id: number;
  status: string;
  value: number;
  revision: number;
  returnReason: string | null;
  actions: string[];
  documents: { id: number; fileName: string }[];
  revisions: { revision: number; value: number }[];
  events: { transition: string | null; reason: string | null; username: string | null }[];
}

async function workbook(rows: (string | number)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('目标填报');
  ws.addRow(['目标体系代码', '目标代码', '目标名称', '地区代码', '年度', '数值', '说明']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe.each(testDatabases())('targets on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  const get = (who: string, url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
  const send = (who: string, method: 'POST' | 'PUT', url: string, payload: object) =>
    app.inject({ method, url, payload, headers: { cookie: cookies[who]! } });
  let reportId = 0;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    const fx = await seedFixture(d);
    // the 桐乡 fibre firm (C2822, 规上) makes 2 亿元 in 2024: the fibre base's whole output that year
    await d.db.execute(
      sql`insert into monthly_stats (enterprise_id, month, output_value) values (${fx.ids.tongxiangTextile}, '2024-03-01', 20000)`,
    );
    app = await testApp(d);
    for (const u of ['fx_admin', 'fx_analyst', 'fx_nanhu', 'fx_tongxiang', 'fx_department', 'fx_enterprise'])
      cookies[u] = await loginCookie(app, u);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d); // on PostgreSQL, drops the scratch database too
  });

  it('lists every target of the set with its units, source, reviewer and measurement', async () => {
    const res = await get('fx_nanhu', `/api/targets/ledger?setCode=${SET}&year=2024`);
    expect(res.statusCode).toBe(200);
    const l = json<{ rows: Record<string, unknown>[] }>(res);
    expect(l.rows.length).toBeGreaterThanOrEqual(50);
    const growth = l.rows.find((r) => r.code === 'investment-growth')!;
    expect(growth).toMatchObject({ measurement: 'computed', lead: ['市经信局'], countySplit: 'same' });
    const fibre = l.rows.find((r) => r.code === 'base-textile-fiber-1000')!;
    expect(fibre.measurement).toBe('computed');
    expect(fibre).toMatchObject({ value: 2, valueSource: 'computed', status: 'at_risk' });
    const brands = l.rows.find((r) => r.code === TARGET)!;
    expect(brands).toMatchObject({
      measurement: 'reported',
      value: null,
      status: 'unreported',
      lead: ['市市场监管局'],
    });
    expect(l.rows.every((r) => r.status !== 'not_measured')).toBe(true);
    expect((await get('fx_enterprise', '/api/targets/ledger')).statusCode).toBe(403);
  });

  it('a county reports with evidence; the city returns it with a reason; corrected; approved; all audited', async () => {
    const noEvidence = await send('fx_nanhu', 'POST', '/api/targets/reports', {
      setCode: SET,
      targetCode: TARGET,
      regionCode: NANHU,
      year: 2024,
      value: 1,
    });
    expect(noEvidence.statusCode).toBe(400);
    const other = await send('fx_nanhu', 'POST', '/api/targets/reports', {
      setCode: SET,
      targetCode: TARGET,
      regionCode: TONGXIANG,
      year: 2024,
      value: 1,
      evidence: [{ fileName: '证明.pdf', contentBase64: PDF }],
    });
    expect(other.statusCode).toBe(403);
    const first = await send('fx_nanhu', 'POST', '/api/targets/reports', {
      setCode: SET,
      targetCode: TARGET,
      regionCode: NANHU,
      year: 2024,
      value: 3,
      note: '三个品牌',
      evidence: [{ fileName: '品牌证明.pdf', contentBase64: PDF }],
    });
    expect(first.statusCode).toBe(200);
    let r = json<Detail>(first);
    reportId = r.id;
    expect(r).toMatchObject({ status: 'pending', revision: 1, value: 3 });
    expect(r.actions).toEqual([]);
    // while it awaits review it cannot be changed
    const busy = await send('fx_nanhu', 'POST', '/api/targets/reports', {
      setCode: SET,
      targetCode: TARGET,
      regionCode: NANHU,
      year: 2024,
      value: 4,
    });
    expect(busy.statusCode).toBe(409);
    // the county cannot review; 退回 needs a reason
    expect(
      (await send('fx_nanhu', 'POST', `/api/targets/reports/${r.id}/review`, { decision: 'approve' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await send('fx_admin', 'POST', `/api/targets/reports/${r.id}/review`, { decision: 'return' }))
        .statusCode,
    ).toBe(400);
    const returned = await send('fx_admin', 'POST', `/api/targets/reports/${r.id}/review`, {
      decision: 'return',
      reason: '佐证材料缺少认定文件',
    });
    expect(returned.statusCode).toBe(200);
    r = json<Detail>(returned);
    expect(r).toMatchObject({ status: 'returned', returnReason: '佐证材料缺少认定文件' });
    const nanhuView = json<Detail>(await get('fx_nanhu', `/api/targets/reports/${r.id}`));
    expect(nanhuView.actions).toEqual(['resubmit']);
    const corrected = await send('fx_nanhu', 'POST', '/api/targets/reports', {
      setCode: SET,
      targetCode: TARGET,
      regionCode: NANHU,
      year: 2024,
      value: 2,
      note: '更正为两个',
      evidence: [{ fileName: '认定文件.pdf', contentBase64: PDF }],
    });
    expect(corrected.statusCode).toBe(200);
    r = json<Detail>(corrected);
    expect(r).toMatchObject({ status: 'pending', revision: 2, value: 2 });
    const approved = json<Detail>(
      await send('fx_admin', 'POST', `/api/targets/reports/${r.id}/review`, { decision: 'approve' }),
    );
    expect(approved.status).toBe('approved');
    expect(approved.revisions.map((x) => x.value)).toEqual([3, 2]);
    expect(approved.documents.map((x) => x.fileName)).toEqual(['品牌证明.pdf', '认定文件.pdf']);
    expect(approved.events.map((e) => e.transition)).toEqual(['submit', 'return', 'resubmit', 'approve']);
    expect(approved.events[1]!.reason).toBe('佐证材料缺少认定文件');

    const audit = await queryRows<{ action: string; username: string }>(
      d.db,
      sql`select action, username from audit_log where (entity = 'target_report' and entity_id = ${String(r.id)})
          or (entity = 'work_item' and entity_id = ${String(
            (
              await queryRows<{ work_item_id: number }>(
                d.db,
                sql`select work_item_id from target_reports where id = ${r.id}`,
              )
            )[0]!.work_item_id,
          )}) order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'workitem.create',
      'target_report.submit',
      'workitem.return',
      'target_report.return',
      'workitem.resubmit',
      'target_report.resubmit',
      'workitem.approve',
      'target_report.approve',
    ]);
    expect(audit.find((a) => a.action === 'target_report.return')!.username).toBe('fx_admin');

    // the ledger now counts the approved county value; the contract reads see it
    const l = json<{
      rows: {
        code: string;
        value: number | null;
        valueSource: string;
        reportedBy: string;
        approvedAt: string;
      }[];
    }>(await get('fx_analyst', `/api/targets/ledger?setCode=${SET}&year=2024`));
    // (with who reported it and when the city approved it, as the cockpit's target table shows)
    expect(l.rows.find((x) => x.code === TARGET)).toMatchObject({
      value: 2,
      valueSource: 'county_sum',
      reportedBy: '1 个县（市、区）',
      approvedAt: new Date().toISOString().slice(0, 10),
    });
    const rows = await countyTargetProgress(d.db, { setCode: SET, year: 2024 });
    const nanhu = rows.find((x) => x.regionCode === NANHU && x.targetCode === TARGET)!;
    const counties = new Set(rows.map((x) => x.regionCode)).size;
    expect(nanhu).toMatchObject({ value: 2, reportStatus: 'approved', measurement: 'reported' });
    expect(nanhu.goal).toBeCloseTo(5 / counties, 9); // 5 global brands split equally
    expect(nanhu.progress).toBeCloseTo(2 / (5 / counties), 9);
    const completion = await reportedTargetsCompletion(d.db, { year: 2024 });
    expect(completion.find((x) => x.regionCode === NANHU)).toMatchObject({ approved: 1, approvedOnTime: 0 });
  });

  it('another county sees neither the value nor its evidence', async () => {
    const detail = json<Detail>(await get('fx_nanhu', `/api/targets/reports/${reportId}`));
    const doc = detail.documents[0]!.id;
    const file = await get('fx_nanhu', `/api/targets/documents/${doc}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    const admin = await get('fx_admin', `/api/targets/documents/${doc}`);
    expect(admin.statusCode).toBe(200);
    expect(Buffer.compare(admin.rawPayload, file.rawPayload)).toBe(0);
    // refused as a file that is not there (status and body): another county learns nothing
    const absent = await get('fx_nanhu', `/api/targets/documents/${doc + 1000}`);
    const refused = await get('fx_tongxiang', `/api/targets/documents/${doc}`);
    expect([refused.statusCode, refused.body]).toEqual([404, absent.body]);
    expect((await get('fx_tongxiang', `/api/targets/reports/${reportId}`)).statusCode).toBe(404);
    expect(json<{ items: unknown[] }>(await get('fx_tongxiang', '/api/targets/reports')).items).toHaveLength(
      0,
    );
    expect((await get('fx_department', `/api/targets/documents/${doc}`)).statusCode).toBe(404);
  });

  it('the city enters county goals that win over the split, audited', async () => {
    const put = await send('fx_admin', 'PUT', '/api/targets/county-goals', {
      setCode: SET,
      targetCode: TARGET,
      goals: [{ regionCode: NANHU, goal: 4 }],
    });
    expect(put.statusCode).toBe(200);
    expect(
      (
        await send('fx_nanhu', 'PUT', '/api/targets/county-goals', {
          setCode: SET,
          targetCode: TARGET,
          goals: [],
        })
      ).statusCode,
    ).toBe(403);
    const b = json<{ rows: { regionCode: string; goal: number; goalEntered: boolean; progress: number }[] }>(
      await get('fx_nanhu', `/api/targets/breakdown?setCode=${SET}&targetCode=${TARGET}&year=2024`),
    );
    const n = b.rows.find((x) => x.regionCode === NANHU)!;
    expect(n).toMatchObject({ goal: 4, goalEntered: true, progress: 0.5 });
    const others = b.rows.filter((x) => x.regionCode !== NANHU);
    expect(others.reduce((s, x) => s + x.goal, 0)).toBeCloseTo(1, 9); // 5 − 4 shared out equally
    const [a] = await queryRows<{ action: string }>(
      d.db,
      sql`select action from audit_log where entity = 'target' and entity_id = ${`${SET}/${TARGET}`}`,
    );
    expect(a!.action).toBe('target.county_goals');
  });

  it('imports reported values all or nothing, naming file, row, column and reason', async () => {
    const bad = await workbook([
      [SET, 'opening-multinationals', '', TONGXIANG, 2024, 2, ''],
      [SET, 'brands-intl-national-standards', '', TONGXIANG, 2024, 'abc', ''],
      [SET, 'output-textile', '', TONGXIANG, 2024, 5, ''],
    ]);
    const refused = json<{
      imported: number;
      problems: { file: string; row: number; column: string; reason: string }[];
    }>(
      await send('fx_tongxiang', 'POST', '/api/targets/reports/import', {
        file: { fileName: '桐乡填报.xlsx', contentBase64: bad },
      }),
    );
    expect(refused.imported).toBe(0);
    expect(refused.problems).toEqual([
      {
        file: '桐乡填报.xlsx',
        row: 3,
        column: '数值',
        reason: '数值“abc”不是数字',
        zh: '数值“abc”不是数字',
        en: 'The value "abc" is not a number',
      },
      expect.objectContaining({ file: '桐乡填报.xlsx', row: 4, column: '目标代码' }),
    ]);
    const none = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from target_reports where region_code = ${TONGXIANG}`,
    );
    expect(none[0]!.n).toBe(0);
    const good = await workbook([
      [SET, 'opening-multinationals', '', TONGXIANG, 2024, 2, '导入'],
      [SET, 'brands-intl-national-standards', '', TONGXIANG, 2024, 3, ''],
    ]);
    const ok = json<{ imported: number }>(
      await send('fx_tongxiang', 'POST', '/api/targets/reports/import', {
        file: { fileName: '桐乡填报.xlsx', contentBase64: good },
      }),
    );
    expect(ok.imported).toBe(2);
    const items = json<{ items: { status: string; source: string; regionCode: string }[] }>(
      await get('fx_tongxiang', '/api/targets/reports?year=2024'),
    ).items;
    expect(items.filter((x) => x.regionCode === TONGXIANG).map((x) => [x.status, x.source])).toEqual([
      ['pending', 'import'],
      ['pending', 'import'],
    ]);
    const [imp] = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from audit_log where action = 'target_report.import'`,
    );
    expect(imp!.n).toBe(1);
    // a county may not import another county's values
    const foreign = json<{ imported: number; problems: { column: string }[] }>(
      await send('fx_nanhu', 'POST', '/api/targets/reports/import', {
        file: { fileName: 'x.xlsx', contentBase64: good },
      }),
    );
    expect(foreign.imported).toBe(0);
    expect(foreign.problems.some((p) => p.column === '地区代码')).toBe(true);
  });

  it('gives every problem of the import in Chinese and English, as the other imports do, keeping reason', async () => {
    type Problem = {
      file: string;
      row: number | null;
      column: string | null;
      reason: string;
      zh: string;
      en: string;
    };
    const importing = async (contentBase64: string) =>
      json<{ imported: number; problems: Problem[] }>(
        await send('fx_tongxiang', 'POST', '/api/targets/reports/import', {
          file: { fileName: '填报.xlsx', contentBase64 },
        }),
      );
    const out = await importing(
      await workbook([
        [SET, 'opening-multinationals', '', TONGXIANG, 2024, 7, ''], // awaiting review (the import above)
        [SET, 'no-such-target', '', TONGXIANG, 2025, 1, ''],
        [SET, TARGET, '', NANHU, 2025, 1, ''], // another county's
        [SET, TARGET, '', TONGXIANG, 1999, 1, ''],
        [SET, TARGET, '', TONGXIANG, 2025, 'abc', ''],
        [SET, TARGET, '', TONGXIANG, 2026, 1, ''],
        [SET, TARGET, '', TONGXIANG, 2026, 2, ''],
      ]),
    );
    expect(out.imported).toBe(0);
    const at = (row: number, column: string) =>
      out.problems.find((p) => p.row === row && p.column === column);
    expect(out.problems.map((p) => [p.row, p.column])).toEqual([
      [2, '数值'],
      [3, '目标代码'],
      [4, '地区代码'],
      [5, '年度'],
      [6, '数值'],
      [8, '目标代码'],
    ]);
    expect(at(2, '数值')).toEqual({
      file: '填报.xlsx',
      row: 2,
      column: '数值',
      reason: '该目标该年度的填报正在审核中，不能覆盖',
      zh: '该目标该年度的填报正在审核中，不能覆盖',
      en: 'A report of this target for this year is awaiting review and cannot be replaced',
    });
    expect(at(5, '年度')).toMatchObject({
      reason: '年度“1999”不是有效年份',
      en: 'The year "1999" is not a valid year (2000–2100)',
    });
    expect(at(6, '数值')).toMatchObject({
      reason: '数值“abc”不是数字',
      en: 'The value "abc" is not a number',
    });
    expect(at(8, '目标代码')).toMatchObject({
      reason: '同一目标、地区和年度在文件中出现了两次',
      en: 'The same target, region and year appear twice in the file',
    });
    for (const p of out.problems) {
      expect(p.zh).toBe(p.reason);
      expect(p.zh).toMatch(/^[\u4e00-\u9fff]/);
      // the English reason (the unknown target's and the foreign region's come from the refusal itself)
      expect(p.en, p.zh).toMatch(/^[A-Z][\x20-\x7e–]+$/);
    }
    const noValue = await importing(
      Buffer.from(
        await (async () => {
          const wb = new ExcelJS.Workbook();
          wb.addWorksheet('目标填报').addRow(['目标体系代码', '目标代码', '地区代码', '年度']);
          return wb.xlsx.writeBuffer();
        })(),
      ).toString('base64'),
    );
    expect(noValue.problems).toEqual([
      {
        file: '填报.xlsx',
        row: 1,
        column: '数值',
        reason: '缺少该列',
        zh: '缺少该列',
        en: 'The column "数值" is missing',
      },
    ]);
  });
});
