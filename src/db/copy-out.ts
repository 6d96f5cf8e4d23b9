// A large read as `COPY (query) TO STDOUT` on PostgreSQL, binary format: the server streams the rows while
// this process takes them, with no per-field work in the driver, no JSON built and parsed per slice and no
// float printed or parsed (issue 13: `clusterscope evaluate` at province scale, 216,311 firms, went from
// 24.3 s to 17.3 s at load 23–25 with the text format, whose float parsing cost another 0.4 CPU s and
// 50 MiB). PGlite, and a transaction (whose snapshot a second connection would not share), get null: the
// caller keeps its own statement.
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';

/**
 * The PostgreSQL type of a column of the COPY, as its binary form is read. `code` is text too, for a short
 * code that repeats across rows (a county, a scale group, an industry): each distinct one is decoded once and
 * the rows share its string.
 */
export type CopiedType =
  'int8' | 'int4' | 'float8' | 'text' | 'code' | 'int4[]' | 'float8[]' | 'code[]' | 'float8[][]';
/**
 * A row: int8, int4 (a date too: days from 2000-01-01) and float8 as numbers (int8 below 2^53), text as
 * strings, one-dimensional int4[] and float8[] as arrays of numbers, code[] (text[] of short codes) as arrays
 * of shared strings, float8[][] (rows × columns) as its columns (an array of numbers each: see columnsOf),
 * null for NULL.
 */
export type CopiedRow = (
  string | number | null | (number | null)[] | (string | null)[] | (number | null)[][]
)[];

const dialect = new PgDialect();

/** The rendered statement with its parameters written in as literals (COPY takes no bind parameters). */
export function inlineParameters(query: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return text.replace(/\$(\d+)\b/g, (_, n: string) => {
    const v = params[Number(n) - 1];
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint')
      return pg.escapeLiteral(String(v));
    throw new Error(`copyOutRows: parameter $${n} of type ${typeof v} cannot be written as a literal`);
  });
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * The strings of a `code` column by their bytes: up to 6 bytes make a number key without decoding (each byte
 * a base-256 digit, the length above them: below 2^51, exact); longer codes are decoded and interned. At
 * province scale the evaluation's three code columns were 650,000 strings decoded to become 300 distinct
 * ones, most of the read's garbage (issue 13).
 */
class CodeStrings {
  private readonly short = new Map<number, string>();
  private readonly long = new Map<string, string>();
  of(data: Buffer, p: number, len: number): string {
    if (len > 6) {
      const text = data.toString('utf8', p, p + len);
      const known = this.long.get(text);
      if (known !== undefined) return known;
      this.long.set(text, text);
      return text;
    }
    let key = len;
    for (let i = 0; i < len; i++) key = key * 256 + data[p + i]!;
    let text = this.short.get(key);
    if (text === undefined) {
      text = data.toString('utf8', p, p + len);
      this.short.set(key, text);
    }
    return text;
  }
}

export interface CopyOutOptions {
  /**
   * work_mem for the statement alone (its own transaction, SET LOCAL): a join of two large tables whose hash
   * is built in batches spilled to disk at the default (issue 13: the evaluation's year, 220,000 firms, in
   * four batches at 4 MB; ≈ 15 % of the statement's time).
   */
  workMem?: string;
}

/**
 * The rows of `query`, streamed by COPY in its binary format (a float8 as its 8 bytes: nothing printed by
 * the server nor parsed here, the exact double either way) in batches, one per chunk the server sends;
 * `types` names each column's type. Null when `db` is not a PostgreSQL pool outside a transaction. The
 * connection is held until the rows are read (or the loop is left).
 *
 * `make`, when given, turns each row into what the batch holds; the row it is handed is one array reused
 * for every row (it must not be kept), so that a caller building its own object per row does not also leave
 * an array per row for the collector (issue 13: 216,311 arrays of 19 fields at province scale).
 */
export function copyOutRows(
  db: Db,
  query: SQL,
  types: readonly CopiedType[],
): AsyncGenerator<CopiedRow[]> | null;
export function copyOutRows<T>(
  db: Db,
  query: SQL,
  types: readonly CopiedType[],
  make: (row: CopiedRow) => T,
  options?: CopyOutOptions,
): AsyncGenerator<T[]> | null;
export function copyOutRows<T>(
  db: Db,
  query: SQL,
  types: readonly CopiedType[],
  make?: (row: CopiedRow) => T,
  options: CopyOutOptions = {},
): AsyncGenerator<(T | CopiedRow)[]> | null {
  const pool = (db as unknown as { $client?: unknown }).$client;
  if (!(pool instanceof pg.Pool)) return null;
  const text = `COPY (${inlineParameters(query)}) TO STDOUT WITH (FORMAT binary)`;
  return (async function* () {
    const client = await pool.connect();
    let complete = false;
    try {
      const local = options.workMem !== undefined;
      if (local) {
        await client.query('begin');
        await client.query(`select set_config('work_mem', $1, true)`, [options.workMem]);
      }
      let batch: (T | CopiedRow)[] = [];
      const take = make ? (r: CopiedRow) => batch.push(make(r)) : (r: CopiedRow) => batch.push([...r]);
      for await (const _ of copiedTuples(client.query(copyTo(text)), types, take)) {
        if (!batch.length) continue;
        yield batch;
        batch = [];
      }
      if (local) await client.query('commit');
      complete = true;
    } finally {
      // a COPY left unread (the caller stopped early, or it failed) leaves the connection unusable
      client.release(!complete);
    }
  })();
}

/**
 * The tuples of a binary COPY's stream, each handed to `take` as one array reused for every row (it must not be
 * kept); yields once after each chunk the server sent (a caller batches by it). Throws when the stream ends
 * inside a row or is not the binary format, or a column's length does not fit its type.
 */
export async function* copiedTuples(
  stream: AsyncIterable<Buffer>,
  types: readonly CopiedType[],
  take: (row: CopiedRow) => void,
): AsyncGenerator<void> {
  const decoder = new TupleDecoder(types, take);
  // the bytes of the chunks before that no whole tuple took yet (a tuple cut by a chunk's end)
  let rest: Buffer = NO_BYTES;
  for await (const chunk of stream) {
    let data: Buffer | null = chunk;
    if (rest.length) {
      // The cut tuple is completed from the start of this chunk, only its own bytes copied: the whole chunk
      // appended to it (≈ 64 KiB, nearly every chunk ends inside a tuple) copied the alert read-ahead's
      // ≈ 183 MB once more and allocated as much outside the heap (issue 13). The part of the chunk taken
      // doubles until a tuple ends in it; none was decoded before (rest holds no whole tuple), so a
      // second try decodes nothing twice.
      for (let part = Math.min(chunk.length, Math.max(4096, 2 * rest.length)); ;) {
        const joined = Buffer.concat([rest, chunk.subarray(0, part)]);
        const at = decoder.decode(joined);
        if (at > rest.length) {
          data = chunk.subarray(at - rest.length);
          rest = NO_BYTES;
          break;
        }
        if (part === chunk.length) {
          rest = joined.subarray(at);
          data = null;
          break;
        }
        part = Math.min(chunk.length, 2 * part);
      }
    }
    if (data) rest = data.subarray(decoder.decode(data));
    yield;
  }
  if (!decoder.ended || rest.length) throw new Error('COPY ended inside a row');
}

const NO_BYTES = Buffer.alloc(0);

/** copiedTuples' decoding: the header, then each whole tuple of the bytes it is given, handed to `take`. */
class TupleDecoder {
  header = true;
  ended = false;
  private readonly codes = new CodeStrings();
  private readonly row: CopiedRow;
  // each column's type as a small number and its fixed length (-1: any), looked up per field
  private readonly kinds: Int8Array;
  private readonly fixed: Int32Array;
  constructor(
    private readonly types: readonly CopiedType[],
    private readonly take: (row: CopiedRow) => void,
  ) {
    this.row = new Array(types.length);
    this.kinds = Int8Array.from(types, (t) => KINDS.indexOf(t));
    this.fixed = Int32Array.from(types, (t) => FIXED[t] ?? -1);
  }

  /** Decodes the header (once) and every whole tuple of `data`; answers where the bytes not taken start. */
  decode(data: Buffer): number {
    const { kinds, fixed, row, codes, types } = this;
    const n = types.length;
    // Read through a DataView, each column's type as a number, a tuple's end found by its lengths before any
    // field is decoded (a tuple cut by the chunk's end was decoded again whole with the next chunk): the alert
    // read-ahead's 220,000 firms (12 columns, 7 of them arrays, ≈ 183 MB) decoded in 0.22–0.32 s of Node CPU
    // where Buffer's read methods and a chain of type comparisons per field took 0.53–0.64 s (issue 13).
    const view = new DataView(data.buffer, data.byteOffset, data.length);
    const size = data.length;
    let at = 0;
    if (this.header) {
      // signature, flags, then a header extension of the length given
      if (size < 19) return 0;
      if (!data.subarray(0, 11).equals(SIGNATURE)) throw new Error('COPY: not the binary format');
      const extension = view.getInt32(15);
      if (size < 19 + extension) return 0;
      at = 19 + extension;
      this.header = false;
    }
    while (!this.ended) {
      if (at + 2 > size) break;
      const fields = view.getInt16(at);
      if (fields === -1) {
        this.ended = true;
        at += 2;
        break;
      }
      if (fields !== n) throw new Error(`COPY: ${fields} fields, expected ${n}`);
      // whole tuples only, found by their fields' lengths before any is decoded: one cut by the chunk's end
      // waits for the next chunk
      let p = at + 2;
      let f = 0;
      for (; f < n && p + 4 <= size; f++) {
        const len = view.getInt32(p);
        p += len > 0 ? 4 + len : 4;
      }
      if (f < n || p > size) break;
      const end = p;
      p = at + 2;
      for (f = 0; f < n; f++) {
        const len = view.getInt32(p);
        p += 4;
        if (len < 0) {
          row[f] = null;
          continue;
        }
        if (fixed[f]! >= 0 && len !== fixed[f])
          throw new Error(`COPY: column ${f + 1} is not ${types[f]} (${len} bytes)`);
        switch (kinds[f]) {
          case FLOAT8:
            row[f] = view.getFloat64(p);
            break;
          case INT8:
            // the high word's multiple of 2^32 is exact; adding the low word rounds once, as Number(bigint)
            row[f] = view.getInt32(p) * TWO_32 + view.getUint32(p + 4);
            break;
          case INT4:
            row[f] = view.getInt32(p);
            break;
          case CODE:
            row[f] = codes.of(data, p, len);
            break;
          case TEXT:
            row[f] = data.toString('utf8', p, p + len);
            break;
          case CODES:
            row[f] = codesOf(data, view, p, codes);
            break;
          case COLUMNS:
            row[f] = columnsOf(view, p);
            break;
          default:
            row[f] = arrayOf(view, p, kinds[f] === INT4S);
        }
        p += len;
      }
      this.take(row);
      at = end;
    }
    return at;
  }
}

/** The column types by their number in copiedTuples' loop (KINDS.indexOf). */
const KINDS: readonly CopiedType[] = [
  'float8',
  'int8',
  'int4',
  'code',
  'text',
  'code[]',
  'int4[]',
  'float8[]',
  'float8[][]',
];
const [FLOAT8, INT8, INT4, CODE, TEXT, CODES, INT4S, COLUMNS] = [0, 1, 2, 3, 4, 5, 6, 8];
const TWO_32 = 4294967296;

/** The byte length of each fixed-size type's binary form. */
const FIXED: Partial<Record<CopiedType, number>> = { int8: 8, int4: 4, float8: 8 };

/** A one-dimensional array's elements (binary COPY form: dimensions, flags, element type, length, lower bound). */
function arrayOf(data: DataView, p: number, int4: boolean): (number | null)[] {
  const dims = data.getInt32(p);
  if (dims === 0) return [];
  if (dims !== 1) throw new Error('COPY: an array of more than one dimension');
  const n = data.getInt32(p + 12);
  const out: (number | null)[] = new Array(n);
  let at = p + 20;
  for (let i = 0; i < n; i++) {
    const len = data.getInt32(at);
    at += 4;
    if (len < 0) {
      out[i] = null;
      continue;
    }
    out[i] = int4 ? data.getInt32(at) : data.getFloat64(at);
    at += len;
  }
  return out;
}

/**
 * A two-dimensional float8 array (rows × columns, as `array_agg(array[a, b, …])` builds it) as its columns:
 * column j holds the rows' j-th elements in the rows' order. No dimension (no row): no column.
 */
function columnsOf(data: DataView, p: number): (number | null)[][] {
  const dims = data.getInt32(p);
  if (dims === 0) return [];
  if (dims !== 2) throw new Error('COPY: float8[][] of other than two dimensions');
  const rows = data.getInt32(p + 12);
  const width = data.getInt32(p + 20);
  const out: (number | null)[][] = [];
  for (let j = 0; j < width; j++) out.push(new Array<number | null>(rows));
  let at = p + 28;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < width; j++) {
      const len = data.getInt32(at);
      at += 4;
      if (len < 0) {
        out[j]![i] = null;
        continue;
      }
      out[j]![i] = data.getFloat64(at);
      at += len;
    }
  return out;
}

/** A one-dimensional text array's elements as codes (shared strings: see CodeStrings), in arrayOf's form. */
function codesOf(data: Buffer, view: DataView, p: number, codes: CodeStrings): (string | null)[] {
  const dims = view.getInt32(p);
  if (dims === 0) return [];
  if (dims !== 1) throw new Error('COPY: an array of more than one dimension');
  const n = view.getInt32(p + 12);
  const out: (string | null)[] = new Array(n);
  let at = p + 20;
  for (let i = 0; i < n; i++) {
    const len = view.getInt32(at);
    at += 4;
    if (len < 0) {
      out[i] = null;
      continue;
    }
    out[i] = codes.of(data, at, len);
    at += len;
  }
  return out;
}

/**
 * The connection of a transaction (or a client) on a PostgreSQL server, to COPY on inside that transaction
 * (a second connection would not see what it wrote); null on PGlite.
 */
export function serverClientOf(tx: Db): pg.ClientBase | null {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  return client instanceof pg.Client ? client : null;
}
