// Reading one data row into typed values in canonical units, and the checks that span rows
// (duplicate keys, known enterprise, the importer's county). Pure: reference data comes in through
// lookups, so the same code serves the preview, the commit, the CLI and the tests.
import {
  convertedOutOfRange,
  COUNT_UNITS,
  ELECTRICITY_UNITS,
  ENERGY_UNITS,
  LAND_UNITS,
  MONEY_UNITS,
  parseNumber,
  toHalfWidth,
  type Bilingual,
  type ParsedUnit,
} from '../units.ts';
import { parseMonth, parseYear } from '../periods.ts';
import { normaliseProducts } from '../products.ts';
import { validateUscc, type UsccValidation } from '../uscc.ts';
import { cellText, isMissingText, parseDate, type Cell } from './cells.ts';
import { KINDS, type ColumnDef, type EnumValue, type ImportKind } from './columns.ts';
import type { MappedColumn } from './header.ts';
import { problem, type ImportProblem, type ProblemLocation } from './problems.ts';

export interface CountyRef {
  code: string;
  name: string;
}
export interface ZoneRef {
  code: string;
  name: string;
  hostRegionCode: string;
}

/** Reference data the rows are checked against; codes and names both work for counties and zones. */
export interface ReferenceLookup {
  county(codeOrName: string): CountyRef | undefined;
  zone(codeOrName: string): ZoneRef | undefined;
  industry(code: string): boolean;
}

/** Builds the lookups from plain lists (the service reads them from the reference tables). */
export function buildReferenceLookup(data: {
  counties: readonly CountyRef[];
  zones: readonly (ZoneRef & { shortName?: string | null })[];
  industries: Iterable<string>;
}): ReferenceLookup {
  const counties = new Map<string, CountyRef>();
  for (const c of data.counties) {
    counties.set(c.code, c);
    counties.set(normName(c.name), c);
  }
  const zones = new Map<string, ZoneRef>();
  for (const z of data.zones) {
    zones.set(z.code.toUpperCase(), z);
    zones.set(normName(z.name), z);
    if (z.shortName) zones.set(normName(z.shortName), z);
  }
  const industries = new Set(data.industries);
  return {
    county: (t) => counties.get(t.trim()) ?? counties.get(normName(t)),
    zone: (t) => zones.get(t.trim().toUpperCase()) ?? zones.get(normName(t)),
    industry: (code) => industries.has(code),
  };
}

function normName(text: string): string {
  return toHalfWidth(text).replace(/\s+/g, '').toLowerCase();
}

export type RowValue = string | number | null;
export type RowValues = Record<string, RowValue>;

export type RowOutcome =
  | { status: 'blank' }
  | { status: 'skipped'; problem: ImportProblem }
  | {
      status: 'row';
      values: RowValues;
      problems: ImportProblem[];
      ok: boolean;
      /**
       * Bit i is set when the value of `columns[i]` is a number read exactly from its cell's text (plain
       * decimal, no unit conversion or rounding): that text may stand for the number (COPY writes it as
       * it is instead of formatting the number again).
       */
      exact: number;
    };

export interface RowContext {
  kind: ImportKind;
  file: string;
  sheet: string | null;
  columns: readonly MappedColumn[];
  ref: ReferenceLookup;
  /** the accepted period range: months 'YYYY-MM' and years, both ends included */
  minMonth: string;
  maxMonth: string;
  /** today 'YYYY-MM-DD': founding dates cannot be later */
  today: string;
}

/** The period range a row may name: from 2000 up to the current month. */
export function defaultPeriodRange(now = new Date()): Pick<RowContext, 'minMonth' | 'maxMonth' | 'today'> {
  const today = now.toISOString().slice(0, 10);
  return { minMonth: '2000-01', maxMonth: today.slice(0, 7), today };
}

const TOTAL_ROW =
  /^(?:全市|全县|全区|本页|总)?\s*(?:合\s*计|总\s*计|小\s*计)\s*[:：]?$|^(?:grand\s+)?(?:sub)?totals?:?$/i;
const FOOTNOTE_ROW =
  /^(?:注|说明|备注|填报人|填表人|制表|制表人|审核人?|单位负责人|负责人|联系电话|数据来源|资料来源|note|source)\s*[:：\d]/i;

// The common cases, read without the general parsers (same results, far fewer allocations).
const SIMPLE_NUMBER = /^-?\d{1,15}(?:\.\d{1,15})?$/;
/** 'YYYY-MM' with a month 01–12 (as /^\d{4}-(?:0[1-9]|1[0-2])$/ reads it), by hand: once per row. */
export function isoMonth(t: string): boolean {
  if (t.length !== 7 || t.charCodeAt(4) !== 45) return false;
  for (let i = 0; i < 4; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const tens = t.charCodeAt(5);
  const ones = t.charCodeAt(6);
  if (tens === 48) return ones >= 49 && ones <= 57;
  return tens === 49 && ones >= 48 && ones <= 50;
}
const UNIT_TABLES: Record<string, Record<string, { toCanonical: readonly [number, number] }>> = {
  money: MONEY_UNITS,
  land: LAND_UNITS,
  energy: ENERGY_UNITS,
  electricity: ELECTRICITY_UNITS,
  count: COUNT_UNITS,
};
function factorOf(unit: ParsedUnit): readonly [number, number] {
  return UNIT_TABLES[unit.kind]![unit.unit]!.toCanonical;
}

/** Each column's conversion factor (null: none), worked out once per header rather than per cell. */
const factorPlans = new WeakMap<readonly MappedColumn[], (readonly [number, number] | null)[]>();
function factorsOf(columns: readonly MappedColumn[]): (readonly [number, number] | null)[] {
  let plan = factorPlans.get(columns);
  if (!plan) {
    plan = columns.map((col) => {
      if (!col.unit || col.unit.kind === 'tonnes') return null;
      const f = factorOf(col.unit);
      return f[0] === 1 && f[1] === 1 ? null : f;
    });
    factorPlans.set(columns, plan);
  }
  return plan;
}

const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * A plain decimal of at most 15 digits ('-12.50', '1234'), read without Number(): the digits make an
 * integer below 2^53 and 10^k is exact, so one division gives the correctly rounded double — the very
 * number Number() gives (Clinger's fast path). NaN for anything else (the caller then asks Number()).
 */
export function plainDecimal(text: string): number {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  const negative = i === 1;
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      // one point, with a digit before it
      if (decimals >= 0 || digits === 0) return NaN;
      decimals = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return NaN;
    mantissa = mantissa * 10 + d;
    digits++;
    if (decimals >= 0) decimals++;
  }
  // a digit after the point, and no more digits than a double holds exactly
  if (digits === 0 || digits > 15 || decimals === 0) return NaN;
  const v = decimals > 0 ? mantissa / POWERS_OF_TEN[decimals]! : mantissa;
  return negative ? -v : v;
}

const enumIndexes = new WeakMap<readonly EnumValue[], Map<string, string>>();
function enumKey(text: string): string {
  return toHalfWidth(text)
    .toLowerCase()
    .replace(/[\s"“”'‘’「」]/g, '');
}
function enumLookup(values: readonly EnumValue[], text: string): string | undefined {
  let index = enumIndexes.get(values);
  if (!index) {
    index = new Map();
    for (const v of values) for (const a of [v.value, v.zh, ...v.aliases]) index.set(enumKey(a), v.value);
    enumIndexes.set(values, index);
  }
  return index.get(enumKey(text));
}

// Validating 18 characters is cheap, but a monthly file repeats each code 12 times; remember them.
const usccCache = new Map<string, UsccValidation>();
// rows of one enterprise usually come together: comparing with the last code is cheaper than hashing
let lastUscc: { text: string; v: UsccValidation } | null = null;
function cachedUscc(text: string): UsccValidation {
  if (lastUscc !== null && lastUscc.text === text) return lastUscc.v;
  let v = usccCache.get(text);
  if (!v) {
    if (usccCache.size > 200_000) usccCache.clear();
    // A cell cut from a file is often a slice of the whole chunk of text it came in: the cache keeps
    // copies, so that it does not keep every chunk of the file alive with it.
    const key = detach(text);
    v = validateUscc(key);
    usccCache.set(key, v);
  }
  lastUscc = { text: v.code === text ? v.code : detach(text), v };
  return v;
}

/** A fresh copy of a short string (one that holds no reference to a larger string it was cut from). */
function detach(text: string): string {
  let copy = '';
  for (let i = 0; i < text.length; i++) copy += text[i];
  return copy;
}

function describeRange(def: ColumnDef): Bilingual {
  return def.spec.type === 'quantity' && def.spec.sign === 'positive'
    ? { zh: `${def.zh}必须大于 0`, en: `${def.en} must be above 0` }
    : { zh: `${def.zh}不能为负数`, en: `${def.en} cannot be negative` };
}

const BLANK: RowOutcome = Object.freeze({ status: 'blank' });

/** Not empty and not only spaces (the common cell starts with a visible ASCII character: no trimming). */
function visible(text: string): boolean {
  const c = text.charCodeAt(0);
  return (c > 32 && c < 127) || text.trim() !== '';
}

/** Whether no cell after the first one holds anything (a footnote is a line of its own). */
function onlyCell(cells: readonly Cell[], firstIndex: number): boolean {
  for (let i = firstIndex + 1; i < cells.length; i++) {
    const c = cells[i];
    if (c === null || c === undefined || (typeof c === 'string' && !visible(c))) continue;
    return false;
  }
  return true;
}

/** Full-width forms or spaces to fold: only then is cellText's copy needed. */
const NEEDS_FOLDING = /[\s\uFF01-\uFF5E\u3000]/;

/** isMissingText, without a regular expression for the cells that cannot be a placeholder. */
function missingText(text: string): boolean {
  if (text === '') return true;
  const c = text.charCodeAt(0);
  // '-', '/', 'n', 'N', '—', '–'
  if (c !== 45 && c !== 47 && c !== 110 && c !== 78 && c !== 0x2014 && c !== 0x2013) return false;
  return isMissingText(text);
}

function rowError(
  ctx: RowContext,
  rowNumber: number,
  col: MappedColumn | undefined,
  value: unknown,
  code: string,
  message: Bilingual,
): ImportProblem {
  return problem(
    'error',
    code,
    { file: ctx.file, sheet: ctx.sheet, row: rowNumber, column: col?.header, columnIndex: col?.index, value },
    message,
  );
}

/**
 * Reads one row. Blank rows are 'blank'; 合计/总计 rows and footnotes ('注：…', '填报人：…') are
 * 'skipped' with a notice; anything else is a 'row' whose values are in canonical units, with every
 * problem found in it (ok is false when one of them is an error).
 *
 * This runs once per row of files of a million rows: the common cell (plain ASCII text, a number, an
 * ISO month) takes the short paths below, and nothing is allocated for a row without problems
 * besides its values.
 */
export function readRow(ctx: RowContext, rowNumber: number, cells: readonly Cell[]): RowOutcome {
  let first: string | null = null;
  let firstIndex = 0;
  // whether the first cell starts with a digit: neither TOTAL_ROW nor FOOTNOTE_ROW can match it (each
  // begins with a CJK word, a space, or a letter), so neither runs (the first cell of a data row is
  // usually its code: three regular expressions per row of a million-row file)
  let digitFirst = false;
  for (; firstIndex < cells.length; firstIndex++) {
    const c = cells[firstIndex];
    if (c === null || c === undefined || (typeof c === 'string' && !visible(c))) continue;
    if (typeof c === 'string') {
      const d = c.charCodeAt(0);
      digitFirst = d >= 48 && d <= 57;
    }
    // a code or number cannot be a 合计 or footnote: skip folding it (the hot path of big files)
    first = digitFirst || (typeof c === 'string' && /^[0-9A-Za-z]{6}/.test(c)) ? (c as string) : cellText(c);
    break;
  }
  if (first === null) return BLANK;
  if (!digitFirst && TOTAL_ROW.test(first)) {
    return {
      status: 'skipped',
      problem: problem(
        'notice',
        'row.total',
        { file: ctx.file, sheet: ctx.sheet, row: rowNumber, value: first },
        {
          zh: `“${first}”行是汇总行，已跳过（不导入）`,
          en: `"${first}" is a totals row and was skipped (not imported)`,
        },
      ),
    };
  }
  if (!digitFirst && FOOTNOTE_ROW.test(first) && onlyCell(cells, firstIndex)) {
    return {
      status: 'skipped',
      problem: problem(
        'notice',
        'row.footnote',
        { file: ctx.file, sheet: ctx.sheet, row: rowNumber, value: first },
        {
          zh: '表尾说明行，已跳过',
          en: 'A footnote line below the table; skipped',
        },
      ),
    };
  }

  const columns = ctx.columns;
  const factors = factorsOf(columns);
  const values: RowValues = {};
  // every problem readRow finds is an error but a USCC warning: the row is ok while there is no error
  let problems: ImportProblem[] | null = null;
  let mappedNonEmpty = 0;
  let exact = 0;
  let warnings = 0;

  for (let ci = 0; ci < columns.length; ci++) {
    const col = columns[ci]!;
    const cell = cells[col.index] ?? null;
    const def = col.def;
    const spec = def.spec;
    // a plain decimal (the usual number cell) needs no folding and is not a placeholder
    const decimal = spec.type === 'quantity' && typeof cell === 'string' ? plainDecimal(cell) : NaN;
    const text =
      cell === null || typeof cell !== 'string' || decimal === decimal
        ? null
        : NEEDS_FOLDING.test(cell)
          ? cellText(cell)
          : cell;
    if (cell === null || (text !== null && missingText(text))) {
      values[def.key] = null;
      if (def.required) {
        (problems ??= []).push(
          rowError(ctx, rowNumber, col, cell, 'value.required', {
            zh: `${def.zh}不能为空`,
            en: `${def.en} is required`,
          }),
        );
      }
      continue;
    }
    mappedNonEmpty++;
    switch (spec.type) {
      case 'uscc': {
        const v = cachedUscc(typeof cell === 'string' ? cell : cellText(cell));
        if (!v.ok) (problems ??= []).push(rowError(ctx, rowNumber, col, cell, `uscc.${v.reason}`, v.message));
        else if (v.warnings.length) {
          // imported, but worth a look: e.g. an embedded organisation code that fails its own check
          for (const w of v.warnings) {
            (problems ??= []).push({
              ...rowError(ctx, rowNumber, col, cell, `uscc.${w.kind}`, w.message),
              severity: 'warning',
            });
            warnings++;
          }
        }
        values[def.key] = v.code;
        break;
      }
      case 'text': {
        const t = text ?? cellText(cell);
        if (t.length > spec.max) {
          (problems ??= []).push(
            rowError(ctx, rowNumber, col, cell, 'text.tooLong', {
              zh: `${def.zh}过长（${t.length} 字，最多 ${spec.max} 字）`,
              en: `${def.en} is too long (${t.length} characters, at most ${spec.max})`,
            }),
          );
        }
        values[def.key] = t;
        break;
      }
      case 'list': {
        // 主要产品: split at 、，,;；/ — the value is the JSON list the jsonb column takes (null when empty)
        const items = normaliseProducts(text ?? cellText(cell));
        const long = items.find((p) => p.length > spec.maxItem);
        if (long !== undefined || items.length > spec.maxItems) {
          (problems ??= []).push(
            rowError(
              ctx,
              rowNumber,
              col,
              cell,
              'text.tooLong',
              long !== undefined
                ? {
                    zh: `${def.zh}中“${long}”过长（${long.length} 字，每项最多 ${spec.maxItem} 字）`,
                    en: `${def.en}: "${long}" is too long (${long.length} characters, at most ${spec.maxItem} each)`,
                  }
                : {
                    zh: `${def.zh}过多（${items.length} 项，最多 ${spec.maxItems} 项）`,
                    en: `${def.en}: too many (${items.length}, at most ${spec.maxItems})`,
                  },
            ),
          );
        }
        values[def.key] = items.length ? JSON.stringify(items) : null;
        break;
      }
      case 'quantity': {
        if (cell instanceof Date) {
          (problems ??= []).push(
            rowError(ctx, rowNumber, col, cell, 'number.invalid', {
              zh: `${def.zh}应为数字，而不是日期`,
              en: `${def.en} must be a number, not a date`,
            }),
          );
          break;
        }
        let v: number;
        // a plain decimal stays exact text unless converted or rounded below (never '-0', always '0')
        let plain = false;
        if (typeof cell === 'number') v = cell === 0 ? 0 : cell;
        else if (decimal === decimal || SIMPLE_NUMBER.test(cell)) {
          v = decimal === decimal ? decimal : Number(cell);
          v = v || 0; // no -0
          plain = v !== 0 || cell.charCodeAt(0) !== 45;
        } else {
          const n = parseNumber(cell);
          if (!n.ok) {
            (problems ??= []).push(rowError(ctx, rowNumber, col, cell, 'number.invalid', n.message));
            break;
          }
          if (n.value === null) {
            values[def.key] = null;
            break;
          }
          v = n.value;
        }
        const factor = factors[ci];
        if (factor) {
          const given = v;
          v = (v * factor[0]) / factor[1]; // exactly as toCanonical does it
          plain = false;
          // a figure past a double's range once converted (1e305 亿元 in 万元): refused, not stored as
          // Infinity or 0
          if (v - v !== 0 || (v === 0 && given !== 0)) {
            (problems ??= []).push(
              rowError(ctx, rowNumber, col, cell, 'number.invalid', convertedOutOfRange(cell)),
            );
            break;
          }
        }
        if ((spec.sign === 'nonNegative' && v < 0) || (spec.sign === 'positive' && v <= 0)) {
          (problems ??= []).push(
            rowError(
              ctx,
              rowNumber,
              col,
              cell,
              spec.sign === 'positive' ? 'number.notPositive' : 'number.negative',
              describeRange(def),
            ),
          );
          break;
        }
        if (spec.integer) {
          const r = Math.round(v);
          if (Math.abs(v - r) > 1e-9 * Math.max(1, Math.abs(v))) {
            (problems ??= []).push(
              rowError(ctx, rowNumber, col, cell, 'number.notInteger', {
                zh: `${def.zh}应为整数`,
                en: `${def.en} must be a whole number`,
              }),
            );
            break;
          }
          // an integer column takes the text only as digits ('120.0' is 120, but not to PostgreSQL)
          if (plain && (r !== v || (cell as string).includes('.'))) plain = false;
          v = r;
        }
        values[def.key] = v;
        if (plain && ci < 31) exact |= 1 << ci;
        break;
      }
      case 'month': {
        let month: string;
        if (typeof cell === 'string' && isoMonth(cell)) month = cell;
        else {
          const m = parseMonth(typeof cell === 'string' ? cellText(cell) : cell);
          if (!m.ok) {
            (problems ??= []).push(rowError(ctx, rowNumber, col, cell, `month.${m.reason}`, m.message));
            break;
          }
          month = m.month;
        }
        if (month < ctx.minMonth || month > ctx.maxMonth) {
          (problems ??= []).push(
            rowError(ctx, rowNumber, col, cell, 'period.outOfRange', {
              zh: `月份 ${month} 不在可导入范围 ${ctx.minMonth} 至 ${ctx.maxMonth} 内`,
              en: `Month ${month} is outside the accepted range ${ctx.minMonth} to ${ctx.maxMonth}`,
            }),
          );
          break;
        }
        values[def.key] = month;
        break;
      }
      case 'year': {
        const y =
          cell instanceof Date
            ? { ok: true as const, year: cell.getUTCFullYear() }
            : parseYear(cellText(cell));
        if (!y.ok) {
          (problems ??= []).push(rowError(ctx, rowNumber, col, cell, `year.${y.reason}`, y.message));
          break;
        }
        const minYear = Number(ctx.minMonth.slice(0, 4));
        const maxYear = Number(ctx.maxMonth.slice(0, 4));
        if (y.year < minYear || y.year > maxYear) {
          (problems ??= []).push(
            rowError(ctx, rowNumber, col, cell, 'period.outOfRange', {
              zh: `年度 ${y.year} 不在可导入范围 ${minYear}–${maxYear} 内`,
              en: `Year ${y.year} is outside the accepted range ${minYear}–${maxYear}`,
            }),
          );
          break;
        }
        values[def.key] = y.year;
        break;
      }
      case 'date': {
        const d = parseDate(cell);
        if (!d.ok) {
          (problems ??= []).push(rowError(ctx, rowNumber, col, cell, 'date.invalid', d.message));
          break;
        }
        if (d.date !== null && (d.date > ctx.today || d.date < '1900-01-01')) {
          (problems ??= []).push(
            rowError(ctx, rowNumber, col, cell, 'date.outOfRange', {
              zh: `日期 ${d.date} 不合理（应在 1900-01-01 至今天之间）`,
              en: `Date ${d.date} is implausible (must be between 1900-01-01 and today)`,
            }),
          );
          break;
        }
        values[def.key] = d.date;
        break;
      }
      case 'enum': {
        const t = text ?? cellText(cell);
        const v = enumLookup(spec.values, t);
        if (v === undefined) {
          (problems ??= []).push(
            rowError(ctx, rowNumber, col, cell, 'enum.unknown', {
              zh: `无法识别“${t}”，${def.zh}应为：${spec.values.map((e) => e.zh).join('、')}`,
              en: `Cannot read "${t}"; ${def.en} must be one of ${spec.values.map((e) => `${e.zh} (${e.value})`).join(', ')}`,
            }),
          );
          break;
        }
        values[def.key] = v;
        break;
      }
      case 'county': {
        const t = text ?? cellText(cell);
        const c = ctx.ref.county(t);
        if (!c) {
          (problems ??= []).push(
            rowError(ctx, rowNumber, col, cell, 'reference.county', {
              zh: `区县“${t}”不存在（请填写本市区县的六位代码或名称）`,
              en: `Unknown county "${t}" (give a six-digit county code or name of this city)`,
            }),
          );
          break;
        }
        values[def.key] = c.code;
        break;
      }
      case 'zone': {
        const t = text ?? cellText(cell);
        const z = ctx.ref.zone(t);
        if (!z) {
          (problems ??= []).push(
            rowError(ctx, rowNumber, col, cell, 'reference.zone', {
              zh: `园区“${t}”不存在`,
              en: `Unknown zone "${t}"`,
            }),
          );
          break;
        }
        values[def.key] = z.code;
        values.zone_host = z.hostRegionCode;
        break;
      }
      case 'industry': {
        const raw = (text ?? cellText(cell)).toUpperCase();
        const code = /^[A-T]\d{2,4}$/.test(raw) ? raw.slice(1) : raw;
        if (!/^\d{2,4}$/.test(code) || !ctx.ref.industry(code)) {
          (problems ??= []).push(
            rowError(ctx, rowNumber, col, cell, 'reference.industry', {
              zh: `行业代码“${raw}”不存在（应为 GB/T 4754-2017 的 2–4 位代码）`,
              en: `Unknown industry code "${raw}" (give a 2–4 digit GB/T 4754-2017 code)`,
            }),
          );
          break;
        }
        values[def.key] = code;
        break;
      }
    }
  }
  if (mappedNonEmpty === 0) return BLANK;

  if (ctx.kind === 'enterprises') {
    // County by code or by name; both given must agree. A zone must lie in that county.
    const byCode = values.region_code ?? null;
    const byName = values.region_name ?? null;
    const countyCol =
      columns.find((c) => c.def.key === 'region_code') ?? columns.find((c) => c.def.key === 'region_name');
    if (byCode !== null && byName !== null && byCode !== byName) {
      (problems ??= []).push(
        rowError(ctx, rowNumber, countyCol, `${byCode} / ${byName}`, 'reference.countyMismatch', {
          zh: `区县代码 ${byCode} 与所属区县名称不一致`,
          en: `County code ${byCode} and the county name disagree`,
        }),
      );
    }
    const region = byCode ?? byName;
    if (region === null && (problems === null || problems.length === warnings) && countyCol) {
      (problems ??= []).push(
        rowError(ctx, rowNumber, countyCol, undefined, 'value.required', {
          zh: '区县不能为空',
          en: 'County is required',
        }),
      );
    }
    values.region_code = region;
    delete values.region_name;
    const host = values.zone_host;
    delete values.zone_host;
    if (host !== undefined && region !== null && host !== region) {
      const zoneCol = columns.find((c) => c.def.key === 'zone_code');
      (problems ??= []).push(
        rowError(ctx, rowNumber, zoneCol, values.zone_code, 'reference.zoneCounty', {
          zh: `园区 ${values.zone_code} 位于区县 ${host}，不在 ${region}`,
          en: `Zone ${values.zone_code} lies in county ${host}, not ${region}`,
        }),
      );
    }
    // a blank status means operating; without a status column new firms get the same by default
    if (values.status === null) values.status = 'operating';
  }
  return {
    status: 'row',
    values,
    problems: problems ?? NO_PROBLEMS,
    // warnings (the only problems that are not errors) leave the row importable
    ok: problems === null || problems.length === warnings,
    exact,
  };
}

/**
 * The code readRow would check a row against the registry by, from its cells alone: the USCC column's
 * code when it is one readRow accepts, else null. An import looks a batch's enterprises up by these
 * before it reads the rows, so that each row is checked and handed on at once.
 */
export function registryCodeOf(ctx: RowContext, cells: readonly Cell[]): string | null {
  const columns = ctx.columns;
  for (let ci = 0; ci < columns.length; ci++) {
    const col = columns[ci]!;
    if (col.def.spec.type !== 'uscc') continue;
    const cell = cells[col.index] ?? null;
    if (cell === null) return null;
    const v = cachedUscc(typeof cell === 'string' ? cell : cellText(cell));
    return v.ok ? v.code : null;
  }
  return null;
}

export interface EnterpriseRef {
  id: number;
  regionCode: string;
}

/**
 * Checks that span rows: duplicate keys inside the file, enterprise known (monthly, annual, tiers),
 * and a county officer's rows belonging to their county.
 */
export class BatchChecker {
  /** enterprise id → [period, first row, period, first row, …] (monthly and annual) */
  private readonly periods = new Map<number, number[]>();
  private lastId = -1;
  private lastList: number[] | null = null;
  private readonly seenText = new Map<string, number>();

  constructor(
    private readonly kind: ImportKind,
    private readonly opts: {
      file: string;
      sheet: string | null;
      enterprise: (uscc: string) => EnterpriseRef | undefined;
      /** a county officer's county; null = any county */
      scopeRegion: string | null;
      usccHeader: string;
    },
  ) {}

  /**
   * The row that had this enterprise and period first, or undefined (and this row is remembered). Each
   * enterprise keeps a short list of [period, row] pairs — a few hundred months at most — and rows of
   * one enterprise come together, so the list at hand is usually the last one: far cheaper than one
   * entry per row in a hash table of a million.
   */
  private firstRowOf(enterpriseId: number, period: number, rowNumber: number): number | undefined {
    let list = enterpriseId === this.lastId ? this.lastList : this.periods.get(enterpriseId);
    if (!list) {
      list = [];
      this.periods.set(enterpriseId, list);
    }
    this.lastId = enterpriseId;
    this.lastList = list;
    for (let i = 0; i < list.length; i += 2) if (list[i] === period) return list[i + 1];
    list.push(period, rowNumber);
    return undefined;
  }

  /** Where a problem of this check points: the row's USCC cell. */
  private at(rowNumber: number, uscc: string): ProblemLocation {
    return {
      file: this.opts.file,
      sheet: this.opts.sheet,
      row: rowNumber,
      column: this.opts.usccHeader,
      value: uscc,
    };
  }

  /** Returns the problems and, for fact kinds, the enterprise id the row belongs to.
   * Where a problem points is built only when there is one (this runs once per row of big files). */
  check(rowNumber: number, values: RowValues): { problems: ImportProblem[]; enterpriseId: number | null } {
    const uscc = typeof values.uscc === 'string' ? values.uscc : String(values.uscc ?? '');
    const existing = this.opts.enterprise(uscc);
    const scope = this.opts.scopeRegion;
    // where a problem points is built only when there is one (this runs once per row of big files)
    if (this.kind === 'enterprises') {
      const problems: ImportProblem[] = [];
      const region = values.region_code;
      if (
        scope !== null &&
        ((typeof region === 'string' && region !== scope) || (existing && existing.regionCode !== scope))
      ) {
        problems.push(
          problem('error', 'scope.otherCounty', this.at(rowNumber, uscc), {
            zh: `该企业不属于您所在的区县（${scope}），不能导入`,
            en: `This enterprise is not in your county (${scope}) and cannot be imported by you`,
          }),
        );
      }
      const first = this.seenText.get(uscc);
      if (first !== undefined) problems.push(duplicate(this.at(rowNumber, uscc), first));
      else this.seenText.set(uscc, rowNumber);
      return { problems, enterpriseId: existing?.id ?? null };
    }
    if (!existing) {
      const problems = [
        problem('error', 'enterprise.unknown', this.at(rowNumber, uscc), {
          zh: `统一社会信用代码 ${uscc} 的企业不在企业库中，请先导入企业名录`,
          en: `No enterprise with USCC ${uscc} is registered; import it in the enterprise registry first`,
        }),
      ];
      return { problems, enterpriseId: null };
    }
    let problems: ImportProblem[] = NO_PROBLEMS;
    if (scope !== null && existing.regionCode !== scope) {
      problems = [
        problem('error', 'scope.otherCounty', this.at(rowNumber, uscc), {
          zh: `该企业属于区县 ${existing.regionCode}，您只能导入本区县（${scope}）的数据`,
          en: `This enterprise is in county ${existing.regionCode}; you may import rows of your county (${scope}) only`,
        }),
      ];
    }
    let first: number | undefined;
    const month = values.month;
    if (this.kind === 'monthly' && typeof month === 'string') {
      first = this.firstRowOf(existing.id, monthNumber(month), rowNumber);
    } else if (this.kind === 'annual' && typeof values.year === 'number') {
      first = this.firstRowOf(existing.id, values.year, rowNumber);
    } else if (this.kind === 'tiers' || this.kind === 'flags') {
      const key = `${existing.id}|${this.kind === 'tiers' ? values.tier : values.flag}|${values.year}`;
      first = this.seenText.get(key);
      if (first === undefined) this.seenText.set(key, rowNumber);
    }
    if (first !== undefined) problems = [...problems, duplicate(this.at(rowNumber, uscc), first)];
    return { problems, enterpriseId: existing.id };
  }
}

/** 'YYYY-MM' (readRow's form) as year × 12 + month, read without cutting the text. */
function monthNumber(m: string): number {
  const year = m.charCodeAt(0) * 1000 + m.charCodeAt(1) * 100 + m.charCodeAt(2) * 10 + m.charCodeAt(3);
  return (year - 48 * 1111) * 12 + (m.charCodeAt(5) - 48) * 10 + (m.charCodeAt(6) - 48);
}

/** The shared answer of a row without problems: never pushed to (a row with problems gets its own list). */
const NO_PROBLEMS: ImportProblem[] = Object.freeze([]) as unknown as ImportProblem[];

function duplicate(at: ProblemLocation, firstRow: number): ImportProblem {
  return problem('error', 'row.duplicate', at, {
    zh: `与第${firstRow}行重复（同一企业、同一期间只能出现一次）`,
    en: `Duplicates row ${firstRow} (an enterprise and period may appear once)`,
  });
}

/** The columns of a kind that the file did not provide keep their stored values on a correction. */
export function presentKeys(kind: ImportKind, columns: readonly MappedColumn[]): string[] {
  const keys = new Set(columns.map((c) => (c.def.key === 'region_name' ? 'region_code' : c.def.key)));
  return KINDS[kind].columns.map((c) => c.key).filter((k) => keys.has(k));
}
