// Import of reported target values from the xlsx template (issue 16 item 2): every row is checked first
// (target known and reported, region the importer may report for, year, a number, nothing awaiting review),
// and only a file without a single problem is written — all its rows in one transaction, each as a
// submission of its own (revision, review work item, audit), or none. Problems name file, row, column and
// reason in Chinese and English, as every other import's do (`reason` keeps the Chinese text it always
// carried; `zh` and `en` are the pair the other imports name). The workbook passes the zip guard first.
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { cellText, type Cell } from '../../domain/imports/cells.ts';
import { parseNumber, type Bilingual } from '../../domain/units.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { AppError } from '../../server/errors.ts';
import { assertAllowed } from '../../server/policy.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { decodeUpload, MAX_IMPORT_WORKBOOK_BYTES } from '../../server/uploads.ts';
import type { DocumentFile } from '../documents/index.ts';
import { readWorkbook } from '../imports/index.ts';
import { cityConfig } from '../monitoring/index.ts';
import { assertMayReportFor, cityCode, reportedTarget } from './access.ts';
import { measurementOf } from './progress.ts';
import { submitReport } from './reports.ts';
import type { ImportResult } from './schemas.ts';

const XLSX = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

const COLUMNS = [
  { key: 'setCode', zh: '目标体系代码' },
  { key: 'targetCode', zh: '目标代码' },
  { key: 'targetName', zh: '目标名称' },
  { key: 'regionCode', zh: '地区代码' },
  { key: 'year', zh: '年度' },
  { key: 'value', zh: '数值' },
  { key: 'note', zh: '说明' },
] as const;
type Key = (typeof COLUMNS)[number]['key'];
const REQUIRED: Key[] = ['setCode', 'targetCode', 'regionCode', 'year', 'value'];

/** The template: one row per reported target of every set, region and year left for the reporter. */
export async function reportTemplate(): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  const config = await cityConfig();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('目标填报');
  ws.addRow(COLUMNS.map((c) => c.zh));
  for (const s of config.targetSets)
    for (const t of s.targets)
      if (measurementOf(t) === 'reported')
        ws.addRow([s.code, t.code, `${t.name}（${t.unit}）`, '', '', '', '']);
  ws.columns.forEach((c, i) => (c.width = i === 2 ? 48 : 18));
  return {
    fileName: '目标填报导入模板.xlsx',
    contentType: XLSX.xlsx,
    content: Buffer.from(await wb.xlsx.writeBuffer()),
  };
}

/** A cell's text as written (trimmed); a number as its digits. */
const text = (cell: Cell | undefined): string =>
  typeof cell === 'string' ? cell.trim() : cellText(cell ?? null);

interface Row {
  row: number;
  setCode: string;
  targetCode: string;
  regionCode: string;
  year: number;
  value: number;
  note?: string;
}

export async function importReports(
  db: Db,
  user: AuthedUser,
  file: DocumentFile,
  actor: Actor,
): Promise<ImportResult> {
  assertAllowed(user, 'targets.report', 'import');
  const name = file.fileName;
  const problems: ImportResult['problems'] = [];
  const fail = (row: number | null, column: string | null, { zh, en }: Bilingual) =>
    problems.push({ file: name, row, column, reason: zh, zh, en });
  /** an AppError's reason (target unknown, region not the reporter's), else the fallback */
  const why = (e: unknown, fallback: Bilingual): Bilingual =>
    e instanceof AppError ? { zh: e.detailZh, en: e.detail } : fallback;
  const done = (imported: number): ImportResult => ({ fileName: name, imported, problems });
  // (the limit named as the other imports name theirs: "文件超过 5 MB（…的上限）。")
  const upload = decodeUpload(file, XLSX, MAX_IMPORT_WORKBOOK_BYTES, {
    en: ' (the limit of a reported-values workbook)',
    zh: '（目标填报表的上限）',
  });
  // read through the imports' scanner (zip guard first): a damaged or oversized workbook is one problem, a
  // number no double holds stays its text (refused below with its reason, never read as 0 or Infinity)
  const read = await readWorkbook(upload.content);
  if (!read.ok) {
    fail(null, null, { zh: read.zh, en: read.en });
    return done(0);
  }
  const ws = read.sheets[0];
  if (!ws) {
    fail(null, null, { zh: '文件中没有工作表', en: 'The file has no worksheet' });
    return done(0);
  }
  const cols = new Map<Key, number>();
  const header = ws.rows[0]?.row === 1 ? ws.rows[0].cells : [];
  header.forEach((cell, index) => {
    const hit = COLUMNS.find((x) => x.zh === text(cell).replace(/\s/g, ''));
    if (hit) cols.set(hit.key, index + 1);
  });
  for (const k of REQUIRED) {
    const zh = COLUMNS.find((c) => c.key === k)!.zh;
    if (!cols.has(k)) fail(1, zh, { zh: '缺少该列', en: `The column "${zh}" is missing` });
  }
  if (problems.length) return done(0);
  const city = await cityCode();
  const pending = new Set(
    (
      await queryRows<{ k: string }>(
        db,
        sql`select set_code || '/' || target_code || '/' || region_code || '/' || year as k from target_reports where status = 'pending'`,
      )
    ).map((r) => r.k),
  );
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const { row: i, cells } of ws.rows) {
    if (i < 2) continue;
    const get = (k: Key) => (cols.has(k) ? text(cells[cols.get(k)! - 1]) : '');
    const [setCode, targetCode, regionCode, yearText, valueText] = [
      get('setCode'),
      get('targetCode'),
      get('regionCode'),
      get('year'),
      get('value'),
    ];
    if (!regionCode && !yearText && !valueText) continue; // a template row left for later
    let bad = false;
    const col = (k: Key) => COLUMNS.find((c) => c.key === k)!.zh;
    try {
      await reportedTarget(setCode, targetCode, regionCode, city);
    } catch (e) {
      fail(i, col('targetCode'), why(e, { zh: '目标不存在', en: 'No such target' }));
      bad = true;
    }
    try {
      assertMayReportFor(user, regionCode, city);
    } catch (e) {
      fail(
        i,
        col('regionCode'),
        why(e, { zh: '无权为该地区填报', en: 'You may not report for this region' }),
      );
      bad = true;
    }
    const year = Number(yearText);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) {
      fail(i, col('year'), {
        zh: `年度“${yearText}”不是有效年份`,
        en: `The year "${yearText}" is not a valid year (2000–2100)`,
      });
      bad = true;
    }
    // the imports' number rule: "1e-400" or 1e400 refused with its reason, not read as 0 or Infinity
    const parsed = parseNumber(valueText);
    const value = parsed.ok ? parsed.value : null;
    if (!parsed.ok && parsed.reason !== 'notANumber') {
      fail(i, col('value'), parsed.message);
      bad = true;
    } else if (value === null) {
      fail(i, col('value'), {
        zh: `数值“${valueText}”不是数字`,
        en: `The value "${valueText}" is not a number`,
      });
      bad = true;
    }
    const key = `${setCode}/${targetCode}/${regionCode}/${year}`;
    if (!bad && pending.has(key)) {
      fail(i, col('value'), {
        zh: '该目标该年度的填报正在审核中，不能覆盖',
        en: 'A report of this target for this year is awaiting review and cannot be replaced',
      });
      bad = true;
    }
    if (!bad && seen.has(key)) {
      fail(i, col('targetCode'), {
        zh: '同一目标、地区和年度在文件中出现了两次',
        en: 'The same target, region and year appear twice in the file',
      });
      bad = true;
    }
    seen.add(key);
    if (!bad && value !== null)
      rows.push({ row: i, setCode, targetCode, regionCode, year, value, note: get('note') || undefined });
  }
  if (problems.length) {
    await writeAudit(db, actor, {
      action: 'target_report.import_refused',
      entity: 'target_report_import',
      entityId: upload.sha256,
      after: { fileName: name, problems: problems.length },
    });
    return done(0);
  }
  await db.transaction(async (tx) => {
    for (const r of rows)
      await submitReport(
        tx as Db,
        user,
        {
          setCode: r.setCode,
          targetCode: r.targetCode,
          regionCode: r.regionCode,
          year: r.year,
          value: r.value,
          note: r.note,
          evidence: [],
        },
        actor,
        'import',
      );
    await writeAudit(tx, actor, {
      action: 'target_report.import',
      entity: 'target_report_import',
      entityId: upload.sha256,
      after: { fileName: name, rows: rows.length },
    });
  });
  return done(rows.length);
}
