// Monthly reporting periods, 1–N月累计 (year-to-date) sums and 同比 (year-on-year) growth.
//
// A month is the string 'YYYY-MM' and is stored as its first day ('YYYY-MM-01'). Monthly statistics
// in China are published as 当月 (the month) and 1–N月累计 (January to month N of the same year);
// there is no quarter or fiscal-year offset to handle.

import { toHalfWidth, type Bilingual } from './units.ts';

/** 'YYYY-MM', e.g. '2024-03'. */
export type Month = string;

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

export type PeriodProblem = 'unrecognised' | 'invalidMonth' | 'invalidDate' | 'outOfRange';

export type ParsedMonth =
  { ok: true; month: Month } | { ok: false; reason: PeriodProblem; message: Bilingual };
export type ParsedYear =
  { ok: true; year: number } | { ok: false; reason: PeriodProblem; message: Bilingual };

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Well-formed 'YYYY-MM'. The 1900–2100 plausibility range is enforced by the parsers, not here,
 * so that month arithmetic near the edges (addMonths('1900-01', -1)) stays total. */
export function isMonth(value: unknown): value is Month {
  return typeof value === 'string' && MONTH_PATTERN.test(value);
}

// Months are handled as a running index (year × 12 + month − 1), which makes arithmetic trivial.
function toIndex(month: Month): number {
  if (!isMonth(month)) throw new RangeError(`'${month}' is not a month in YYYY-MM form`);
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function fromIndex(index: number): Month {
  const year = Math.floor(index / 12);
  if (year < 0 || year > 9999) throw new RangeError(`month arithmetic left years 0000–9999 (year ${year})`);
  return formatMonth(year, index - year * 12 + 1);
}

function formatMonth(year: number, month: number): Month {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function monthYear(month: Month): number {
  return Math.floor(toIndex(month) / 12);
}

/** 1–12. */
export function monthNumber(month: Month): number {
  return (toIndex(month) % 12) + 1;
}

// --- Parsing -------------------------------------------------------------------------------------

const problem = (reason: PeriodProblem, zh: string, en: string) => ({
  ok: false as const,
  reason,
  message: { zh, en },
});

function checkedMonth(year: number, month: number, shown: string): ParsedMonth {
  if (month < 1 || month > 12)
    return problem('invalidMonth', `“${shown}”中的月份无效`, `"${shown}" has an invalid month`);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return problem(
      'outOfRange',
      `“${shown}”的年份超出 ${MIN_YEAR}–${MAX_YEAR}`,
      `"${shown}" is outside ${MIN_YEAR}–${MAX_YEAR}`,
    );
  }
  return { ok: true, month: formatMonth(year, month) };
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

// The last Excel serial parseMonth accepts: 2100-12-31.
const LAST_SERIAL = 73_415;
const DAY_MS = 86_400_000;

/**
 * Month of an Excel (1900 date system) serial. Excel copies Lotus 1-2-3 in treating 1900 as a leap
 * year: serial 1 = 1900-01-01, serial 60 = the non-existent 1900-02-29 (taken as February 1900),
 * and from 61 on every serial is one day ahead, so it counts from 1899-12-30 instead of 1899-12-31.
 * A fractional part is the time of day and is ignored.
 */
export function excelSerialToMonth(serial: number): ParsedMonth {
  const day = Math.floor(serial);
  if (!Number.isFinite(serial) || day < 1 || day > LAST_SERIAL) {
    return problem(
      'outOfRange',
      `Excel 日期序号 ${serial} 超出范围`,
      `Excel date serial ${serial} is out of range`,
    );
  }
  if (day === 60) return { ok: true, month: '1900-02' };
  const epoch = day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const d = new Date(epoch + day * DAY_MS);
  return { ok: true, month: formatMonth(d.getUTCFullYear(), d.getUTCMonth() + 1) };
}

const YEAR_MONTH = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?$/;
const COMPACT_YEAR_MONTH = /^(\d{4})(\d{2})$/;
// A calendar date, optionally with a time; the date is taken as written, any time zone is ignored.
const DATE =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Reads a reporting month from what spreadsheets and clerks actually write: '2024-03', '2024-3',
 * '2024/3', '2024.03', '2024年3月', '202403', a date such as '2024-03-15' (→ its month),
 * full-width digits, a JS Date (UTC parts), an Excel date serial (45352 → 2024-03) or a YYYYMM
 * number (202403). Numbers up to 73415 are serials, 190001–210012 are YYYYMM; the two ranges
 * cannot overlap, so no guess is involved.
 */
export function parseMonth(input: string | number | Date): ParsedMonth {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return problem('invalidDate', '日期无效', 'Invalid date');
    return checkedMonth(input.getUTCFullYear(), input.getUTCMonth() + 1, input.toISOString());
  }
  if (typeof input === 'number') {
    if (Number.isInteger(input) && input >= MIN_YEAR * 100 && input <= MAX_YEAR * 100 + 12) {
      return checkedMonth(Math.floor(input / 100), input % 100, String(input));
    }
    return excelSerialToMonth(input);
  }
  const text = toHalfWidth(input).trim();
  const ym = YEAR_MONTH.exec(text) ?? COMPACT_YEAR_MONTH.exec(text);
  if (ym) return checkedMonth(Number(ym[1]), Number(ym[2]), input.trim());
  const date = DATE.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (month >= 1 && month <= 12 && !isRealDate(year, month, day)) {
      return problem('invalidDate', `“${input.trim()}”不是有效日期`, `"${input.trim()}" is not a valid date`);
    }
    return checkedMonth(year, month, input.trim());
  }
  return problem(
    'unrecognised',
    `无法识别月份“${input.trim()}”，请写成 2024-03 或 2024年3月`,
    `Cannot read "${input.trim()}" as a month; write it as 2024-03`,
  );
}

/** '2024', '2024年', 2024, '２０２４年' → 2024, within 1900–2100. */
export function parseYear(input: string | number): ParsedYear {
  const text = typeof input === 'number' ? String(input) : toHalfWidth(input).trim();
  const m = /^(\d{4})\s*年?$/.exec(text);
  if (!m) return problem('unrecognised', `无法识别年份“${text}”`, `Cannot read "${text}" as a year`);
  const year = Number(m[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return problem(
      'outOfRange',
      `年份 ${year} 超出 ${MIN_YEAR}–${MAX_YEAR}`,
      `Year ${year} is outside ${MIN_YEAR}–${MAX_YEAR}`,
    );
  }
  return { ok: true, year };
}

// --- Arithmetic ----------------------------------------------------------------------------------

/** '2024-03' → '2024-03-01', the key months are stored under. */
export function monthToDate(month: Month): string {
  toIndex(month);
  return `${month}-01`;
}

export function addMonths(month: Month, n: number): Month {
  if (!Number.isInteger(n)) throw new RangeError(`month offset must be an integer, got ${n}`);
  return fromIndex(toIndex(month) + n);
}

/** Every month from `from` to `to`, both included; empty when `from` is after `to`. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const start = toIndex(from);
  const end = toIndex(to);
  return Array.from({ length: Math.max(0, end - start + 1) }, (_, i) => fromIndex(start + i));
}

/** The base period of 同比. */
export function sameMonthLastYear(month: Month): Month {
  return addMonths(month, -12);
}

/** The months of 1–N月累计: January to `month` of the same year. */
export function ytdMonths(month: Month): Month[] {
  return monthsBetween(`${month.slice(0, 4)}-01`, month);
}

// --- 累计 and 同比 --------------------------------------------------------------------------------

/** Monthly (当月) values keyed by month; null or absent means not reported. */
export type MonthlyValues =
  ReadonlyMap<Month, number | null> | Readonly<Record<Month, number | null | undefined>>;

function valueAt(values: MonthlyValues, month: Month): number | null {
  const v =
    values instanceof Map ? values.get(month) : (values as Record<Month, number | null | undefined>)[month];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export interface Cumulative {
  /** Sum of the months present; null when none is. Partial when monthsPresent < monthsExpected. */
  value: number | null;
  monthsPresent: number;
  monthsExpected: number;
  missingMonths: Month[];
}

/**
 * 1–N月累计 from monthly values. A missing month is reported (monthsPresent < monthsExpected,
 * missingMonths) rather than counted as zero: a firm that did not report has not produced nothing.
 */
export function cumulative(values: MonthlyValues, month: Month): Cumulative {
  const months = ytdMonths(month);
  let sum = 0;
  const missingMonths: Month[] = [];
  for (const m of months) {
    const v = valueAt(values, m);
    if (v === null) missingMonths.push(m);
    else sum += v;
  }
  const monthsPresent = months.length - missingMonths.length;
  return {
    value: monthsPresent === 0 ? null : sum,
    monthsPresent,
    monthsExpected: months.length,
    missingMonths,
  };
}

/**
 * 同比增速 as a ratio: 0.123 means +12.3%. Null when either value is missing or the base is zero
 * or negative. A growth rate on a negative base (e.g. profit −100 → +50 would compute as −150%)
 * has the wrong sign and no meaning; statistical releases write 扭亏 / 由盈转亏 instead. A negative
 * current value on a positive base is fine (below −100%).
 */
export function yoyGrowth(
  current: number | null | undefined,
  previous: number | null | undefined,
): number | null {
  if (typeof current !== 'number' || typeof previous !== 'number') return null;
  if (!Number.isFinite(current) || !Number.isFinite(previous) || previous <= 0) return null;
  return current / previous - 1;
}

export type YtdYoyGap = 'incompleteCurrentYear' | 'incompletePreviousYear' | 'nonPositiveBase';

export interface YtdYoy {
  value: number | null;
  /** Why value is null. */
  reason?: YtdYoyGap;
  /** Months missing in either year, when that is the reason. */
  missingMonths?: Month[];
}

/**
 * 累计同比: 1–N月累计 of this year over the same 1–N months of last year, minus one. Only a full
 * comparison is meaningful, so a missing month in either year gives null with the reason instead of
 * comparing a partial sum.
 */
export function ytdYoy(values: MonthlyValues, month: Month): YtdYoy {
  const current = cumulative(values, month);
  const previous = cumulative(values, sameMonthLastYear(month));
  if (current.missingMonths.length > 0) {
    return { value: null, reason: 'incompleteCurrentYear', missingMonths: current.missingMonths };
  }
  if (previous.missingMonths.length > 0) {
    return { value: null, reason: 'incompletePreviousYear', missingMonths: previous.missingMonths };
  }
  const value = yoyGrowth(current.value, previous.value);
  return value === null ? { value: null, reason: 'nonPositiveBase' } : { value };
}

// --- Labels --------------------------------------------------------------------------------------

/** '2024-03' → '2024年3月'. */
export function monthLabelZh(month: Month): string {
  return `${monthYear(month)}年${monthNumber(month)}月`;
}

/** '2024-03' → '2024年1–3月'; January is just '2024年1月'. */
export function ytdLabelZh(month: Month): string {
  const n = monthNumber(month);
  return n === 1 ? `${monthYear(month)}年1月` : `${monthYear(month)}年1–${n}月`;
}

const MONTH_ABBR = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** '2024-03' → 'Mar 2024'. */
export function monthLabelEn(month: Month): string {
  return `${MONTH_ABBR[monthNumber(month) - 1]} ${monthYear(month)}`;
}

/** '2024-03' → 'Jan–Mar 2024'; January is just 'Jan 2024'. */
export function ytdLabelEn(month: Month): string {
  const n = monthNumber(month);
  return n === 1 ? monthLabelEn(month) : `Jan–${MONTH_ABBR[n - 1]} ${monthYear(month)}`;
}
