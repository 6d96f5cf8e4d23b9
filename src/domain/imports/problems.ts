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

/** Longer than this, a message has a cell's whole text quoted in it (a 2 MB number, a 1 MB header). */
const LONG_MESSAGE = 300;

/**
 * A message as stored and shown: a quoted value longer than 60 characters shortened as shownValue
 * shortens it (the reason after it kept), and a NUL (which PostgreSQL text cannot hold) shown as ␀.
 */
export function shownMessage(text: string): string {
  let t = text;
  if (t.length > LONG_MESSAGE)
    t = t
      .replace(/“([^”]{61,})”/g, (_, v: string) => `“${v.slice(0, 57)}…”`)
      .replace(/"([^"]{61,})"/g, (_, v: string) => `"${v.slice(0, 57)}…"`);
  return t.includes('\u0000') ? t.replaceAll('\u0000', '\u2400') : t;
}

/** Text PostgreSQL can store: a NUL shown as ␀ (a cell, a sheet or header name, a file name). */
export function storableText<T extends string | null>(text: T): T {
  return (text !== null && text.includes('\u0000') ? text.replaceAll('\u0000', '\u2400') : text) as T;
}

/**
 * A job's failure as stored on its import: a driver's message can quote the whole statement and its
 * parameters (every cell of a row, a NUL, which then failed the update recording the failure).
 */
export function failureText(error: unknown): string {
  const message = storableText(error instanceof Error ? error.message : String(error));
  return message.length > 2000 ? `${message.slice(0, 1999)}…` : message;
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
    // every text as PostgreSQL can store it (a NUL shown as ␀): a problem is stored as it is made
    file: storableText(at.file),
    sheet: storableText(at.sheet),
    row: at.row,
    column: storableText(at.column ?? null),
    columnIndex: at.columnIndex ?? null,
    value: storableText(shownValue(at.value)),
    zh: shownMessage(message.zh),
    en: shownMessage(message.en),
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
