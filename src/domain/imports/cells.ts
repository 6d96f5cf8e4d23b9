// Spreadsheet cells as they arrive from ExcelJS or csv-parse, reduced to plain text, numbers and
// dates; plus the calendar dates (成立日期) clerks write.
import { toHalfWidth, type Bilingual } from '../units.ts';

/** What a reader hands over for one cell. ExcelJS gives rich text, formulas and hyperlinks as objects. */
export type RawCell = string | number | boolean | Date | null | undefined | { [key: string]: unknown };

/** A cell reduced to a primitive: string, number, Date, or null for empty. Formula cells give their result. */
export type Cell = string | number | Date | null;

/** Thrown-free: a formula error such as #DIV/0! comes back as the string '#DIV/0!'. */
export function normaliseCell(raw: RawCell): Cell {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return raw.trim() === '' ? null : raw;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : String(raw);
  if (typeof raw === 'boolean') return raw ? 'TRUE' : 'FALSE';
  if (raw instanceof Date) return raw;
  const o = raw as Record<string, unknown>;
  if (Array.isArray(o.richText)) {
    const text = (o.richText as { text?: unknown }[]).map((r) => String(r.text ?? '')).join('');
    return text.trim() === '' ? null : text;
  }
  if ('result' in o || 'formula' in o || 'sharedFormula' in o) return normaliseCell(o.result as RawCell);
  if ('error' in o) return String(o.error);
  if ('text' in o) return normaliseCell(o.text as RawCell);
  return null;
}

/** The text of a cell for labels and codes: full-width forms folded, spaces collapsed, trimmed. */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') return String(cell);
  return toHalfWidth(cell).replace(/\s+/g, ' ').trim();
}

/** The placeholders statistics tables use for "no data": blank, —, –, -, －, /, null. */
export function isMissingText(text: string): boolean {
  return text === '' || /^(?:[-—–]+|\/|null|n\/a)$/i.test(text);
}

export function isBlankRow(cells: readonly Cell[]): boolean {
  for (const c of cells) if (c !== null && cellText(c) !== '') return false;
  return true;
}

export type ParsedDate = { ok: true; date: string | null } | { ok: false; message: Bilingual };

const DAY_MS = 86_400_000;

/** Excel (1900 system) serial → 'YYYY-MM-DD'; serial 60 (the phantom 1900-02-29) is refused. */
export function excelSerialToDate(serial: number): string | null {
  const day = Math.floor(serial);
  if (!Number.isFinite(serial) || day < 1 || day > 73_415 || day === 60) return null;
  const epoch = day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  return new Date(epoch + day * DAY_MS).toISOString().slice(0, 10);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The date as 'YYYY-MM-DD' when it exists in the calendar (years 100–9999), else null. By arithmetic, not
 * through a Date: a registry file of a province calls this once per row.
 */
function realDate(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return null;
  if (y < 100 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (m === 2 && leap ? 29 : MONTH_DAYS[m - 1]!)) return null;
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/**
 * A calendar date: a Date cell, an Excel serial, '2005-03-01', '2005/3/1', '2005.3.1', '2005年3月1日',
 * '20050301'. Blank or '—' is missing (date null). Anything else is refused.
 */
export function parseDate(cell: Cell): ParsedDate {
  const bad = (shown: string): ParsedDate => ({
    ok: false,
    message: {
      zh: `无法识别日期“${shown}”，请写成 2005-03-01`,
      en: `Cannot read "${shown}" as a date; write it as 2005-03-01`,
    },
  });
  if (cell === null) return { ok: true, date: null };
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return bad('?');
    return { ok: true, date: cell.toISOString().slice(0, 10) };
  }
  if (typeof cell === 'number') {
    if (Number.isInteger(cell) && cell >= 19000101 && cell <= 21001231) {
      const d = realDate(Math.floor(cell / 10000), Math.floor(cell / 100) % 100, cell % 100);
      return d ? { ok: true, date: d } : bad(String(cell));
    }
    const d = excelSerialToDate(cell);
    return d ? { ok: true, date: d } : bad(String(cell));
  }
  const text = cellText(cell);
  if (isMissingText(text)) return { ok: true, date: null };
  const m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/i.exec(
      text,
    ) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return bad(text);
  const d = realDate(Number(m[1]), Number(m[2]), Number(m[3]));
  return d ? { ok: true, date: d } : bad(text);
}
