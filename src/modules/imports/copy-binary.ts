// Good rows of the numeric fact tables (monthly, annual) as the tuples of a binary COPY: each number and
// month goes to the database as the bytes of its column's type, so the server parses no text (float8in
// and date_in were a fifth of the COPY's CPU at a million rows) and Node formats and encodes no CSV line.
// The values stored are those the CSV line gave: a double is the very double the server would have read
// from its text (both round correctly), and the one difference, the sign of a zero, is kept as the text
// had it. A row whose value a type cannot take as it is (an integer beyond int4, a text in a number
// column) answers -1: the writer then goes on in CSV, where the server judges it as before.
import { getTableColumns, type Table } from 'drizzle-orm';
import { annualInputs, monthlyStats } from '../../db/schema.ts';
import type { ImportKind } from '../../domain/imports/columns.ts';
import type { MappedColumn } from '../../domain/imports/header.ts';
import type { RowValue } from '../../domain/imports/rows.ts';
import type { GoodRow } from './pipeline.ts';

type FieldType = 'bigint' | 'integer' | 'double precision' | 'date';
const FIELD_TYPES: readonly string[] = ['bigint', 'integer', 'double precision', 'date'];

/** The tables whose columns are all numbers and dates, by kind. */
const TABLES: Partial<Record<ImportKind, Table>> = { monthly: monthlyStats, annual: annualInputs };

/** Bytes of a field's value by type (each field also has a 4-byte length before it). */
const WIDTH: Record<FieldType, number> = { bigint: 8, integer: 4, 'double precision': 8, date: 4 };

const TWO_32 = 4294967296;
/** 2000-01-01, PostgreSQL's day 0, in days since 1970-01-01. */
const PG_EPOCH_DAY = 10_957;
const DAY_MS = 86_400_000;

/** Writes one good row at `at` and answers where it ends, or -1 (nothing to be kept) when it cannot. */
export type TupleWriter = (r: GoodRow, view: DataView, at: number) => number;

export interface BinaryRows {
  write: TupleWriter;
  /** the most bytes one tuple takes */
  maxBytes: number;
}

/**
 * The tuple writer of a kind's COPY columns (keys, value columns, import_id), or null when one of them
 * has a type it does not write (that kind keeps CSV).
 */
export function binaryRows(
  kind: ImportKind,
  cols: { keys: string[]; values: string[] },
  importId: number,
): BinaryRows | null {
  const table = TABLES[kind];
  if (!table) return null;
  const types = new Map<string, string>();
  for (const c of Object.values(getTableColumns(table))) types.set(c.name, c.getSQLType());
  const all = [...cols.keys, ...cols.values, 'import_id'];
  if (!all.every((k) => FIELD_TYPES.includes(types.get(k) ?? ''))) return null;
  const keyTypes = cols.keys.map((k) => types.get(k) as FieldType);
  const valueTypes = cols.values.map((k) => types.get(k) as FieldType);
  const { keys, values } = cols;
  const maxBytes = 2 + all.reduce((n, k) => n + 4 + WIDTH[types.get(k) as FieldType], 0);
  // per sheet layout: which bit of `exact` says a value column's number was read exactly from its text
  let layout: readonly MappedColumn[] | null = null;
  let bits: number[] = [];
  const write: TupleWriter = (r, view, at) => {
    if (r.columns !== layout) {
      layout = r.columns;
      bits = values.map((k) => {
        const i = r.columns.findIndex((c) => c.def.key === k);
        return i >= 0 && i < 31 ? 1 << i : 0;
      });
    }
    view.setInt16(at, all.length);
    at += 2;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = k === 'enterprise_id' ? r.enterpriseId : r.values[k];
      at = k === 'month' ? month(v, view, at) : field(keyTypes[i]!, v, true, view, at);
      if (at < 0) return -1;
    }
    const exact = r.exact;
    for (let i = 0; i < values.length; i++) {
      at = field(valueTypes[i]!, r.values[values[i]!], (exact & bits[i]!) !== 0, view, at);
      if (at < 0) return -1;
    }
    return field('bigint', importId, true, view, at);
  };
  return { write, maxBytes };
}

/**
 * One field: its length, then its value. `exact`: the CSV line would have held the cell's own text,
 * whose zero keeps its sign ('-0.00' is -0 to the server); a number printed by JavaScript has none.
 */
function field(type: FieldType, v: RowValue | undefined, exact: boolean, view: DataView, at: number): number {
  if (v === null || v === undefined) {
    view.setInt32(at, -1);
    return at + 4;
  }
  if (typeof v !== 'number') return -1;
  switch (type) {
    case 'double precision':
      view.setInt32(at, 8);
      view.setFloat64(at + 4, v === 0 && !exact ? 0 : v);
      return at + 12;
    case 'integer':
      if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) return -1;
      view.setInt32(at, 4);
      view.setInt32(at + 4, v);
      return at + 8;
    case 'bigint': {
      if (!Number.isSafeInteger(v)) return -1;
      const high = Math.floor(v / TWO_32);
      view.setInt32(at, 8);
      view.setInt32(at + 4, high);
      view.setUint32(at + 8, v - high * TWO_32);
      return at + 12;
    }
    case 'date':
      return -1;
  }
}

/** PostgreSQL's day number of the first day of each month met, by year × 12 + month. */
const monthDays = new Map<number, number>();

/** A month 'YYYY-MM' as the date of its first day (the CSV line's `${month}-01`). */
function month(v: RowValue | undefined, view: DataView, at: number): number {
  if (v === null || v === undefined) {
    view.setInt32(at, -1);
    return at + 4;
  }
  if (typeof v !== 'string' || v.length !== 7 || v.charCodeAt(4) !== 45) return -1;
  // read by hand: a million rows' months, each a string of its own
  let year = 0;
  for (let i = 0; i < 4; i++) year = year * 10 + digit(v, i);
  const m = digit(v, 5) * 10 + digit(v, 6);
  // (anything but digits gives NaN; readRow lets no other month through)
  // (Date.UTC reads years below 100 as 19xx: those few are left to CSV)
  if (!(year >= 1000 && m >= 1 && m <= 12)) return -1;
  const n = year * 12 + m;
  let day = monthDays.get(n);
  if (day === undefined) monthDays.set(n, (day = Date.UTC(year, m - 1, 1) / DAY_MS - PG_EPOCH_DAY));
  view.setInt32(at, 4);
  view.setInt32(at + 4, day);
  return at + 8;
}

function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
}
