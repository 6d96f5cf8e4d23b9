// Workbooks the imports capability hands out: the template of each kind (with a notes sheet), the
// export of each list in that same template (so it imports back unchanged), and the problem report
// with the offending rows marked.
import type { Writable } from 'node:stream';
// ExcelJS (≈ 600 modules) is loaded when a workbook is written, not with the import pipeline (issue 13)
import type ExcelJS from 'exceljs';
const excel = async () => (await import('exceljs')).default;
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { idArray, queryRows } from '../../db/client.ts';
import {
  KINDS,
  FLAG_VALUES,
  LEVEL_VALUES,
  SCALE_VALUES,
  STATUS_VALUES,
  TIER_VALUES,
  templateHeader,
  type ImportKind,
} from '../../domain/imports/columns.ts';
import { describeProblem, type ImportProblem } from '../../domain/imports/problems.ts';
import { enterpriseScopeCondition, type Scope } from '../../server/scope.ts';
import { joinProducts, productsOf } from '../../domain/products.ts';
import type { ExportQuery } from './schemas.ts';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const BAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const ROW_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };

function addNotesSheet(wb: ExcelJS.Workbook | ExcelJS.stream.xlsx.WorkbookWriter, kind: ImportKind) {
  const def = KINDS[kind];
  const ws = wb.addWorksheet('填写说明 Notes');
  ws.columns = [
    { header: '列 Column', width: 26 },
    { header: 'English', width: 28 },
    { header: '必填 Required', width: 14 },
    { header: '单位 Unit', width: 12 },
    { header: '说明', width: 50 },
    { header: 'Notes', width: 60 },
    { header: '示例 Example', width: 24 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const c of def.columns) {
    ws.addRow([
      templateHeader(c),
      c.en,
      c.required ? '是 yes' : '否 no',
      c.unit ?? '',
      c.noteZh,
      c.noteEn,
      c.example,
    ]);
  }
  ws.addRow([]);
  const general: [string, string][] = [
    [
      '数据从第一个工作表的表头下一行开始；表头上方可以有标题行。',
      'Data starts below the header of the first sheet; title rows above the header are fine.',
    ],
    [
      '金额列的表头须注明单位，如“工业总产值(千元)”，导入时换算为万元。',
      'Money headers name their unit, e.g. 工业总产值(千元); values are converted to 万元.',
    ],
    [
      '“—”“-”或空白表示缺失；合计/总计行会被跳过并在报告中列出。',
      '"—", "-" or blank mean missing; 合计/总计 rows are skipped and listed in the report.',
    ],
    [
      '再次导入同一文件不会改变任何数据；更正数据时导入更正后的文件，原值保留在历史中。',
      'Importing the same file again changes nothing; to correct values import a corrected file — the old values stay in history.',
    ],
    ['本工作表（填写说明）在导入时被忽略。', 'This notes sheet is ignored on import.'],
  ];
  for (const [zh, en] of general) ws.addRow(['', '', '', '', zh, en]);
  return ws;
}

function styleHeader(row: ExcelJS.Row) {
  row.font = { bold: true };
  row.eachCell((c) => {
    c.fill = HEADER_FILL;
  });
}

/** Writes a kind's workbook (template when rows is empty, export otherwise) to a stream. */
export async function writeKindWorkbook(
  out: Writable,
  kind: ImportKind,
  rows: AsyncIterable<unknown[]> | Iterable<unknown[]>,
): Promise<number> {
  const def = KINDS[kind];
  const { stream } = await excel();
  const wb = new stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet(sheetName(def.zh));
  ws.columns = def.columns.map((c) => ({
    header: templateHeader(c),
    width: Math.max(14, templateHeader(c).length * 2 + 2),
  }));
  styleHeader(ws.getRow(1));
  ws.getRow(1).commit();
  let n = 0;
  for await (const r of rows as AsyncIterable<unknown[]>) {
    ws.addRow(r as ExcelJS.CellValue[]).commit();
    n++;
  }
  ws.commit();
  addNotesSheet(wb, kind).commit();
  await wb.commit();
  return n;
}

/** Excel refuses * ? : \\ / [ ] in sheet names and more than 31 characters. */
export function sheetName(name: string): string {
  return name.replace(/[*?:\\/[\]]/g, '、').slice(0, 31);
}

const zhOf = (values: readonly { value: string; zh: string }[], v: string | null) =>
  v === null ? null : (values.find((e) => e.value === v)?.zh ?? v);
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * The rows of a list in template column order, scoped like every enterprise-level read, in pages of firms.
 * The firms are walked in USCC order on the registry's unique index, a thousand at a time, and each
 * page's rows read by their firms' keys (the facts' primary key): a page costs what it returns. Pages
 * keyed on the row itself (USCC | month, after the last one) sorted every row of the period again for
 * each page of 10,000 — a province's year of monthly rows (600,000) took 50 s of queries, 10 of them at
 * once starved the server (issue 13 probing).
 */
export async function* exportRows(
  db: Db,
  scope: Scope,
  kind: ImportKind,
  q: ExportQuery,
): AsyncGenerator<unknown[]> {
  const scoped = enterpriseScopeCondition(scope) ?? sql`true`;
  const county = q.county ? sql`and enterprises.region_code = ${q.county}` : sql``;
  const FIRMS = kind === 'enterprises' ? 10_000 : 1_000;
  let after = '';
  for (;;) {
    const firms = await queryRows<{ id: number; uscc: string }>(
      db,
      sql`select enterprises.id, enterprises.uscc from enterprises
          where ${scoped} ${county} and enterprises.uscc > ${after} order by enterprises.uscc limit ${FIRMS}`,
    );
    if (firms.length === 0) return;
    after = firms[firms.length - 1]!.uscc;
    const ids = idArray(firms.map((f) => Number(f.id)));
    const page = await pageOf(db, kind, q, ids);
    const def = KINDS[kind];
    for (const r of page) {
      yield def.columns.map((c) => {
        const v = r[c.key] ?? null;
        if (c.key === 'scale') return zhOf(SCALE_VALUES, v as string | null);
        if (c.key === 'status') return zhOf(STATUS_VALUES, v as string | null);
        if (c.key === 'tier') return zhOf(TIER_VALUES, v as string | null);
        if (c.key === 'level') return zhOf(LEVEL_VALUES, v as string | null);
        if (c.key === 'flag') return zhOf(FLAG_VALUES, v as string | null);
        if (c.spec.type === 'list') return v === null ? null : joinProducts(productsOf(v));
        if (c.spec.type === 'quantity' || c.spec.type === 'year') return num(v);
        return v;
      });
    }
    if (firms.length < FIRMS) return;
  }
}

/** One page's rows: the firms `ids` (already scoped), in USCC order and then the row's own key. */
function pageOf(db: Db, kind: ImportKind, q: ExportQuery, ids: SQL): Promise<Record<string, unknown>[]> {
  const year = (col: SQL) => (q.year ? sql`and ${col} = ${q.year}` : sql``);
  if (kind === 'enterprises')
    return queryRows(
      db,
      sql`select enterprises.uscc, enterprises.name, enterprises.region_code, r.name as region_name, enterprises.industry_code,
            enterprises.scale, enterprises.zone_code, enterprises.founded::text as founded, enterprises.status, enterprises.address,
            enterprises.main_products
          from enterprises left join regions r on r.code = enterprises.region_code
          where enterprises.id = any(${ids}) order by enterprises.uscc`,
    );
  if (kind === 'monthly') {
    const period = q.month
      ? sql`and m.month = ${`${q.month}-01`}::date`
      : q.year
        ? sql`and m.month >= ${`${q.year}-01-01`}::date and m.month < ${`${q.year + 1}-01-01`}::date`
        : sql``;
    return queryRows(
      db,
      sql`select enterprises.uscc, to_char(m.month, 'YYYY-MM') as month, m.output_value, m.revenue, m.profit, m.tax, m.energy_tce,
            m.electricity, m.employees, m.export_value
          from monthly_stats m join enterprises on enterprises.id = m.enterprise_id
          where m.enterprise_id = any(${ids}) ${period} order by enterprises.uscc, m.month`,
    );
  }
  if (kind === 'annual')
    return queryRows(
      db,
      sql`select enterprises.uscc, a.year, a.land_mu, a.tax_paid, a.value_added, a.revenue, a.main_revenue, a.energy_tce, a.electricity,
            a.cod, a.ammonia_nitrogen, a.so2, a.nox, a.rd_expense, a.avg_employees
          from annual_inputs a join enterprises on enterprises.id = a.enterprise_id
          where a.enterprise_id = any(${ids}) ${year(sql`a.year`)} order by enterprises.uscc, a.year`,
    );
  // the text of the flag or tier, then the year, as the old row key (uscc|flag|year) ordered them
  if (kind === 'flags')
    return queryRows(
      db,
      sql`select enterprises.uscc, f.flag, f.year, f.evidence
          from evaluation_flags f join enterprises on enterprises.id = f.enterprise_id
          where f.enterprise_id = any(${ids}) ${year(sql`f.year`)} order by enterprises.uscc, f.flag, f.year::text`,
    );
  return queryRows(
    db,
    sql`select enterprises.uscc, t.tier, t.year, t.level, t.source
        from enterprise_tiers t join enterprises on enterprises.id = t.enterprise_id
        where t.enterprise_id = any(${ids}) ${year(sql`t.year`)} order by enterprises.uscc, t.tier, t.year::text`,
  );
}

export interface ReportInput {
  fileName: string;
  kind: ImportKind;
  problems: (ImportProblem & { cells: unknown[] | null })[];
  headers: Record<string, { row: number; cells: unknown[] }>;
  counts: Record<string, unknown>;
  /** a line under the list: e.g. that the original file is gone and only the stored problems are listed */
  note?: { zh: string; en: string } | null;
}

const SEVERITY = { error: '错误 error', warning: '警告 warning', notice: '提示 notice' } as const;

/** The problem list, and each offending row as read with its bad cells in red, in one xlsx. */
export async function problemReport(input: ReportInput): Promise<Buffer> {
  const { Workbook } = await excel();
  const wb = new Workbook();
  const list = wb.addWorksheet('问题清单 Problems');
  list.columns = [
    { header: '级别 Severity', width: 14 },
    { header: '文件 File', width: 24 },
    { header: '工作表 Sheet', width: 14 },
    { header: '行 Row', width: 8 },
    { header: '列 Column', width: 22 },
    { header: '值 Value', width: 22 },
    { header: '问题', width: 60 },
    { header: 'Problem', width: 60 },
    { header: '代码 Code', width: 22 },
  ];
  styleHeader(list.getRow(1));
  for (const p of input.problems) {
    const row = list.addRow([
      SEVERITY[p.severity],
      p.file,
      p.sheet ?? '',
      p.row ?? '',
      p.column ?? '',
      p.value ?? '',
      p.zh,
      p.en,
      p.code,
    ]);
    if (p.severity === 'error') row.getCell(1).fill = BAD_FILL;
    else if (p.severity === 'warning') row.getCell(1).fill = ROW_FILL;
  }
  const c = input.counts;
  const num0 = (k: string) => (typeof c[k] === 'number' ? (c[k] as number) : 0);
  const found = num0('error') + num0('warning') + num0('notice');
  const listed = input.problems.length;
  list.addRow([]);
  list.addRow([
    '',
    '',
    '',
    '',
    '',
    '',
    `共读取 ${num0('rows')} 行，其中有错误的 ${num0('badRows')} 行；错误 ${num0('error')} 条，警告 ${num0('warning')} 条，提示 ${num0('notice')} 条；` +
      (listed >= found ? `上表列出全部 ${listed} 条` : `上表列出前 ${listed} 条，共 ${found} 条`),
    `${num0('rows')} rows read, ${num0('badRows')} with errors; ${num0('error')} errors, ${num0('warning')} warnings, ${num0('notice')} notices; ` +
      (listed >= found ? `all ${listed} listed above` : `the first ${listed} of ${found} listed above`),
  ]);
  if (input.note) list.addRow(['', '', '', '', '', '', input.note.zh, input.note.en]);

  // The rows themselves, grouped by sheet, with the header as read and the bad cells marked.
  const bySheet = new Map<string, (ImportProblem & { cells: unknown[] | null })[]>();
  for (const p of input.problems) {
    if (p.row === null || !p.cells) continue;
    const key = p.sheet ?? '';
    bySheet.set(key, [...(bySheet.get(key) ?? []), p]);
  }
  let n = 0;
  for (const [sheet, problems] of bySheet) {
    n++;
    const header = input.headers[sheet]?.cells ?? [];
    const ws = wb.addWorksheet(`标记的行 Rows${bySheet.size > 1 ? ` ${n}` : ''}`.slice(0, 31));
    const headerTexts = header.map((h) => (h === null || h === undefined ? '' : String(h)));
    const top = ws.addRow(['原行号 Row', ...headerTexts, '问题 Problems']);
    styleHeader(top);
    const rows = new Map<number, (ImportProblem & { cells: unknown[] | null })[]>();
    for (const p of problems) rows.set(p.row!, [...(rows.get(p.row!) ?? []), p]);
    for (const [rowNumber, ps] of [...rows].sort((a, b) => a[0] - b[0])) {
      const cells = ps[0]!.cells ?? [];
      const width = Math.max(headerTexts.length, cells.length);
      const padded = Array.from({ length: width }, (_, i) => (cells[i] ?? '') as ExcelJS.CellValue);
      const text = ps.map((p) => `${describeProblem(p, 'zh')}\n${describeProblem(p, 'en')}`).join('\n');
      const out = ws.addRow([rowNumber, ...padded, text]);
      const errors = ps.filter((p) => p.severity === 'error');
      out.getCell(1).fill = errors.length ? BAD_FILL : ROW_FILL;
      for (const p of ps) {
        // by the column's index in the row as read; problems stored before it was kept, by header text
        const index =
          typeof p.columnIndex === 'number'
            ? p.columnIndex
            : headerTexts.findIndex((h) => h.replace(/\s+/g, '') === (p.column ?? '').replace(/\s+/g, ''));
        if (index >= 0) out.getCell(index + 2).fill = p.severity === 'error' ? BAD_FILL : ROW_FILL;
      }
      out.getCell(width + 2).alignment = { wrapText: true, vertical: 'top' };
    }
    ws.getColumn(headerTexts.length + 2).width = 80;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
