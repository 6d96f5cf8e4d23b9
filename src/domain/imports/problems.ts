// Problems found while reading an import file. Each names where it is (file, sheet, row, column,
// value) and why, in Chinese and English, so a clerk can find and fix the cell.
import type { Bilingual } from '../units.ts';

/** error: the file is refused; warning: imported but worth a look; notice: something was skipped on purpose. */
export type ProblemSeverity = 'error' | 'warning' | 'notice';

export interface ImportProblem {
  severity: ProblemSeverity;
  /** stable machine code, e.g. 'uscc.checksum', 'number.invalid', 'row.total' */
  code: string;
  file: string;
  sheet: string | null;
  /** 1-based row number as the spreadsheet shows it; null for file-level problems */
  row: number | null;
  /** the header text as written in the file (or the template's name when the column is missing) */
  column: string | null;
  /** 0-based index of the column in the row as read: the report marks the cell by it (not by header text) */
  columnIndex?: number | null;
  /** 1-based row number of the (last) header row of the problem's sheet */
  headerRow?: number | null;
  value: string | null;
  zh: string;
  en: string;
}

export interface ProblemLocation {
  file: string;
  sheet: string | null;
  row: number | null;
  column?: string | null;
  columnIndex?: number | null;
  value?: unknown;
}

/** A cell value shown in a message: trimmed, at most 60 characters. */
export function shownValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  const trimmed = text.trim();
  return trimmed.length > 60 ? `${trimmed.slice(0, 57)}…` : trimmed;
}

export function problem(
  severity: ProblemSeverity,
  code: string,
  at: ProblemLocation,
  message: Bilingual,
): ImportProblem {
  return {
    severity,
    code,
    file: at.file,
    sheet: at.sheet,
    row: at.row,
    column: at.column ?? null,
    columnIndex: at.columnIndex ?? null,
    value: shownValue(at.value),
    zh: message.zh,
    en: message.en,
  };
}

/** One line naming the place and the reason: 「a.xlsx · 工作表 Sheet1 · 第5行 · 工业总产值(千元) · “abc”：…」 */
export function describeProblem(p: ImportProblem, language: 'zh' | 'en'): string {
  const parts: string[] = [p.file];
  if (language === 'zh') {
    if (p.sheet) parts.push(`工作表 ${p.sheet}`);
    if (p.row !== null) parts.push(`第${p.row}行`);
    if (p.column) parts.push(`列 ${p.column}`);
    if (p.value !== null && p.value !== '') parts.push(`值“${p.value}”`);
    return `${parts.join(' · ')}：${p.zh}`;
  }
  if (p.sheet) parts.push(`sheet ${p.sheet}`);
  if (p.row !== null) parts.push(`row ${p.row}`);
  if (p.column) parts.push(`column ${p.column}`);
  if (p.value !== null && p.value !== '') parts.push(`value "${p.value}"`);
  return `${parts.join(' · ')}: ${p.en}`;
}

export interface ProblemCounts {
  error: number;
  warning: number;
  notice: number;
}

export function countProblems(problems: readonly ImportProblem[]): ProblemCounts {
  const counts = { error: 0, warning: 0, notice: 0 };
  for (const p of problems) counts[p.severity]++;
  return counts;
}
