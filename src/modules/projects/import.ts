// Monthly progress import from a spreadsheet (the template of export.ts, or a county's own sheet with the
// same headers). Same safety as the imports capability: the file's sha256 makes a second upload of the
// same file a no-op, every problem names file / sheet / row / column / value / reason, and the file is
// written all-or-nothing in one transaction with its audit row — a single bad row refuses the whole file.
//
// The upload is checked as the platforms and reported-target imports check theirs (decodeUpload): an .xlsx
// name, strict base64 (a character outside the alphabet is refused, not skipped as Buffer.from skips it) and
// at most 5 MB (MAX_IMPORT_WORKBOOK_BYTES, their cap too), each refusal naming its field or limit in Chinese first.
//
// Written here because the imports module's pipeline handles enterprise facts only; the cell and problem
// helpers are the shared ones of src/domain/imports. Records go to project_imports, apart from the
// enterprise-fact `imports` history (whose API knows only its own kinds).
import { bumpProjectsVersion } from './answers.ts';
import { assertAllowed } from '../../server/policy.ts';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { projectImports, projects } from '../../db/schema.ts';
import { cellText, problem, type Cell, type ImportProblem } from '../../domain/imports/index.ts';
import { parseMonth } from '../../domain/periods.ts';
import { convertedOutOfRange, parseNumber, toHalfWidth, type Bilingual } from '../../domain/units.ts';
import { stageIndex, type Stage } from '../../domain/projects/stages.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { decodeUpload, MAX_IMPORT_WORKBOOK_BYTES } from '../../server/uploads.ts';
import { readWorkbook } from '../imports/index.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { canEditProject, checkReportMonth, cityToday, writeProgress } from './service.ts';
import type { ImportResult } from './schemas.ts';

const XLSX = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

type Field = 'code' | 'month' | 'investmentMonth' | 'investmentCumulative' | 'statusNote';

/** Header synonyms, compared after removing units in brackets, spaces and case. */
const HEADERS: Record<Field, string[]> = {
  code: ['项目编号', '项目代码', '编号', 'projectcode', 'code'],
  month: ['月份', '填报月份', '报告月份', '所属月份', 'month'],
  investmentMonth: [
    '本月完成投资',
    '当月完成投资',
    '本月投资',
    '本月完成投资额',
    'investmentthismonth',
    'investmentmonth',
  ],
  investmentCumulative: [
    '累计完成投资',
    '累计投资',
    '累计完成投资额',
    '自开工累计完成投资',
    'cumulativeinvestment',
    'investmentcumulative',
  ],
  statusNote: ['进展情况', '形象进度', '项目进展', '备注', 'statusnote', 'status'],
};
const REQUIRED: Field[] = ['code', 'month', 'investmentMonth'];
const LABEL_ZH: Record<Field, string> = {
  code: '项目编号',
  month: '月份',
  investmentMonth: '本月完成投资',
  investmentCumulative: '累计完成投资',
  statusNote: '进展情况',
};

function headerKey(text: string): string {
  return toHalfWidth(text)
    .replace(/[（(【[].*?[）)】\]]/g, '')
    .replace(/\s+/g, '')
    .toLowerCase();
}

function matchHeader(text: string): Field | null {
  const key = headerKey(text);
  for (const [field, names] of Object.entries(HEADERS) as [Field, string[]][])
    if (names.includes(key)) return field;
  return null;
}

/** The unit written in a money header: 万元 by default, 元 / 千元 / 亿元 converted. */
function headerFactor(text: string): number | null {
  const t = toHalfWidth(text);
  if (/亿元/.test(t)) return 10_000;
  if (/千元/.test(t)) return 0.1;
  if (/万元/.test(t) || !/元/.test(t)) return 1;
  if (/元/.test(t)) return 0.0001;
  return null;
}

/**
 * A money cell as a number: the imports' own rule (parseNumber: thousands separators, placeholders, and a
 * number no double holds — "1e-400" or 1e400 — refused with its reason rather than read as 0 or Infinity).
 */
function parseAmount(
  cell: Cell,
): { ok: true; value: number | null } | { ok: false; message: Bilingual | null } {
  if (cell instanceof Date) return { ok: false, message: null };
  const n = parseNumber(cell);
  return n.ok ? n : { ok: false, message: n.message };
}

interface ParsedRow {
  row: number;
  code: string;
  month: string;
  investmentMonth: number;
  investmentCumulative: number | null;
  statusNote: string | null;
}

/** Reads the first sheet with a 项目编号 header in its first 10 rows. */
export async function readProgressWorkbook(
  file: string,
  data: Buffer,
): Promise<{ rows: ParsedRow[]; problems: ImportProblem[]; sheet: string | null }> {
  const problems: ImportProblem[] = [];
  // read through the imports' scanner (zip guard first): a damaged or oversized workbook is one problem
  const read = await readWorkbook(data);
  if (!read.ok) {
    problems.push(
      problem('error', read.code, { file, sheet: null, row: null }, { zh: read.zh, en: read.en }),
    );
    return { rows: [], problems, sheet: null };
  }
  for (const ws of read.sheets) {
    for (let h = 0; h < ws.rows.length && ws.rows[h]!.row <= 10; h++) {
      const r = ws.rows[h]!.row;
      const columns = new Map<Field, { col: number; header: string }>();
      ws.rows[h]!.cells.forEach((cell, index) => {
        const col = index + 1;
        const f = matchHeader(cellText(cell));
        // Problems name the header as written in the file, so the clerk finds it.
        if (f && !columns.has(f))
          columns.set(f, { col, header: typeof cell === 'string' ? cell.trim() : cellText(cell) });
      });
      if (!columns.has('code')) continue;
      const sheet = ws.name;
      for (const f of REQUIRED) {
        if (!columns.has(f)) {
          problems.push(
            problem(
              'error',
              'column.missing',
              { file, sheet, row: r, column: LABEL_ZH[f] },
              { zh: `缺少“${LABEL_ZH[f]}”列`, en: `The column "${LABEL_ZH[f]}" is missing` },
            ),
          );
        }
      }
      if (problems.length) return { rows: [], problems, sheet };
      const factor = (f: Field) => headerFactor(columns.get(f)?.header ?? '') ?? 1;
      const rows: ParsedRow[] = [];
      for (const { row: i, cells } of ws.rows.slice(h + 1)) {
        const get = (f: Field): Cell => {
          const c = columns.get(f);
          return c ? (cells[c.col - 1] ?? null) : null;
        };
        const code = cellText(get('code'));
        const monthCell = get('month');
        const mCell = get('investmentMonth');
        const cCell = get('investmentCumulative');
        if (!code && monthCell === null && mCell === null && cCell === null) continue; // blank row
        const at = (f: Field, value: unknown) => ({
          file,
          sheet,
          row: i,
          column: columns.get(f)?.header ?? LABEL_ZH[f],
          value,
        });
        let bad = false;
        if (!code) {
          problems.push(
            problem('error', 'code.missing', at('code', null), {
              zh: '项目编号为空',
              en: 'The project code is empty',
            }),
          );
          bad = true;
        }
        let month = '';
        if (monthCell === null) {
          problems.push(
            problem('error', 'month.missing', at('month', null), {
              zh: '月份为空',
              en: 'The month is empty',
            }),
          );
          bad = true;
        } else {
          const pm = parseMonth(
            monthCell instanceof Date || typeof monthCell === 'number' ? monthCell : cellText(monthCell),
          );
          if (pm.ok) month = pm.month;
          else {
            problems.push(problem('error', 'month.invalid', at('month', monthCell), pm.message));
            bad = true;
          }
        }
        // an amount in the header's unit, converted to 万元; the problem when it is not one
        const amount = (f: Field, cell: Cell, rule: Bilingual): number | null | Bilingual => {
          const a = parseAmount(cell);
          if (!a.ok) return a.message ?? rule; // (a date: the column's own rule)
          if (a.value === null) return null;
          if (a.value < 0) return rule;
          const v = a.value * factor(f);
          // past a double's range once converted (1e305 亿元): refused as the imports refuse it
          return Number.isFinite(v) && (v !== 0 || a.value === 0)
            ? v
            : convertedOutOfRange(cell as string | number);
        };
        const m = amount('investmentMonth', mCell, {
          zh: '本月完成投资应为不小于 0 的数字',
          en: 'Investment this month must be a number ≥ 0',
        });
        if (typeof m !== 'number') {
          problems.push(
            problem(
              'error',
              'number.invalid',
              at('investmentMonth', mCell),
              m ?? {
                zh: '本月完成投资为空（没有投资请填 0）',
                en: 'Investment this month is empty (write 0 for none)',
              },
            ),
          );
          bad = true;
        }
        const c = amount('investmentCumulative', cCell, {
          zh: '累计完成投资应为不小于 0 的数字',
          en: 'Cumulative investment must be a number ≥ 0',
        });
        if (c !== null && typeof c !== 'number') {
          problems.push(problem('error', 'number.invalid', at('investmentCumulative', cCell), c));
          bad = true;
        }
        if (bad || typeof m !== 'number') continue;
        const note = cellText(get('statusNote'));
        rows.push({
          row: i,
          code,
          month,
          investmentMonth: m,
          investmentCumulative: typeof c === 'number' ? c : null,
          statusNote: note || null,
        });
      }
      if (rows.length === 0 && problems.length === 0) {
        problems.push(
          problem(
            'error',
            'file.empty',
            { file, sheet, row: null },
            { zh: '表格中没有数据行', en: 'The sheet has no data rows' },
          ),
        );
      }
      return { rows, problems, sheet };
    }
  }
  problems.push(
    problem(
      'error',
      'header.notFound',
      { file, sheet: read.sheets[0]?.name ?? null, row: null, column: '项目编号' },
      { zh: '前 10 行中找不到“项目编号”表头', en: 'No "项目编号" header in the first 10 rows' },
    ),
  );
  return { rows: [], problems, sheet: null };
}

const toIssue = (p: ImportProblem) => ({
  file: p.file,
  sheet: p.sheet,
  row: p.row,
  column: p.column,
  value: p.value,
  message: p.en,
  messageZh: p.zh,
});

class Refused extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super('refused');
  }
}

export async function importProgress(
  db: Db,
  user: AuthedUser,
  body: { fileName: string; contentBase64: string; dryRun: boolean },
  actor: Actor,
  today = cityToday(),
): Promise<ImportResult> {
  assertAllowed(user, 'projects.project', 'import');
  const upload = decodeUpload(body, XLSX, MAX_IMPORT_WORKBOOK_BYTES, {
    en: ' (the limit of a progress workbook)',
    zh: '（进度表的上限）',
  });
  const { content: data, sha256, fileName: file } = upload;
  const [done] = await db
    .select()
    .from(projectImports)
    .where(and(eq(projectImports.sha256, sha256), eq(projectImports.status, 'committed')));
  if (done) return { status: 'duplicate', importId: done.id, sha256, rows: 0, written: 0, issues: [] };

  const { rows, problems, sheet } = await readProgressWorkbook(file, data);
  // Project codes: must exist and lie in the caller's county.
  const codes = [...new Set(rows.map((r) => r.code))];
  const found = codes.length ? await db.select().from(projects).where(inArray(projects.code, codes)) : [];
  const byCode = new Map(found.map((p) => [p.code, p]));
  const seen = new Map<string, number>();
  for (const r of rows) {
    const at = (column: string, value: unknown) => ({ file, sheet, row: r.row, column, value });
    const p = byCode.get(r.code);
    if (!p || !canEditProject(user, p)) {
      problems.push(
        problem(
          'error',
          'project.unknown',
          at('项目编号', r.code),
          p
            ? { zh: `项目 ${r.code} 不属于您的区县`, en: `Project ${r.code} is not in your county` }
            : { zh: `项目编号 ${r.code} 不存在`, en: `No project with code ${r.code}` },
        ),
      );
      continue;
    }
    if (stageIndex(p.stage as Stage) < stageIndex('signed')) {
      problems.push(
        problem('error', 'project.negotiation', at('项目编号', r.code), {
          zh: `项目 ${r.code} 尚在洽谈阶段，无需填报`,
          en: `Project ${r.code} is in negotiation and has nothing to report`,
        }),
      );
    }
    const monthError = checkReportMonth(r.month, today);
    if (monthError)
      problems.push(
        problem('error', 'month.future', at('月份', r.month), {
          zh: monthError.messageZh ?? monthError.message,
          en: monthError.message,
        }),
      );
    const key = `${r.code}/${r.month}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(
        problem('error', 'row.duplicate', at('月份', r.month), {
          zh: `与第 ${first} 行重复（同一项目同一月份）`,
          en: `Duplicates row ${first} (same project and month)`,
        }),
      );
    } else seen.set(key, r.row);
  }

  const refuse = async (all: ImportProblem[]): Promise<ImportResult> => {
    const issues = all.map(toIssue);
    if (!body.dryRun) {
      await db.transaction(async (tx) => {
        const [imp] = await tx
          .insert(projectImports)
          .values({
            fileName: file,
            sha256,
            userId: actor.id,
            username: actor.username,
            status: 'refused',
            rows: rows.length,
            issues: all.slice(0, 1000).map((p) => ({
              file: p.file,
              sheet: p.sheet,
              row: p.row,
              column: p.column,
              value: p.value,
              code: p.code,
              zh: p.zh,
              en: p.en,
            })),
          })
          .returning();
        await writeAudit(tx, actor, {
          action: 'project.progress.import',
          entity: 'project_import',
          entityId: imp!.id,
          after: { status: 'refused', file, sha256, errors: all.length },
        });
      });
    }
    return { status: 'refused', importId: null, sha256, rows: rows.length, written: 0, issues };
  };
  if (problems.length) return refuse(problems);

  // Reports of one project are written in month order, so consecutive months in one file chain their 累计.
  const ordered = [...rows].sort((a, b) => a.code.localeCompare(b.code) || a.month.localeCompare(b.month));
  try {
    return await db.transaction(async (tx) => {
      await bumpProjectsVersion(tx);
      const [imp] = await tx
        .insert(projectImports)
        .values({
          fileName: file,
          sha256,
          userId: actor.id,
          username: actor.username,
          status: 'committed',
          rows: rows.length,
          written: ordered.length,
        })
        .returning();
      const late: ImportProblem[] = [];
      for (const r of ordered) {
        const p = byCode.get(r.code)!;
        const w = await writeProgress(tx, p.id, r.month, r, actor.username, imp!.id);
        if (!w.ok) {
          const column = w.field === 'investmentMonth' ? '本月完成投资' : '累计完成投资';
          late.push(
            problem(
              'error',
              'progress.inconsistent',
              {
                file,
                sheet,
                row: r.row,
                column,
                value: w.field === 'investmentMonth' ? r.investmentMonth : r.investmentCumulative,
              },
              w.message,
            ),
          );
        }
      }
      if (late.length) throw new Refused(late);
      if (body.dryRun) throw new Refused([]); // checked: undo everything, report success below
      await writeAudit(tx, actor, {
        action: 'project.progress.import',
        entity: 'project_import',
        entityId: imp!.id,
        after: {
          status: 'committed',
          file,
          sha256,
          rows: ordered.length,
          reports: ordered.map((r) => ({ code: r.code, month: r.month, investmentMonth: r.investmentMonth })),
        },
      });
      return {
        status: 'committed' as const,
        importId: imp!.id,
        sha256,
        rows: rows.length,
        written: ordered.length,
        issues: [],
      };
    });
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    if (e.problems.length === 0)
      return { status: 'checked', importId: null, sha256, rows: rows.length, written: 0, issues: [] };
    return refuse(e.problems);
  }
}
