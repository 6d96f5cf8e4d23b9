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
export type CopiedType = 'int8' | 'int4' | 'float8' | 'text' | 'code' | 'int4[]' | 'float8[]';
/**
 * A row: int8, int4 (a date too: days from 2000-01-01) and float8 as numbers (int8 below 2^53), text as
 * strings, one-dimensional int4[] and float8[] as arrays of numbers, null for NULL.
 */
export type CopiedRow = (string | number | null | (number | null)[])[];

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
  let data: Buffer = Buffer.alloc(0);
  let header = true;
  let ended = false;
  const codes = new CodeStrings();
  const row: CopiedRow = new Array(types.length);
  for await (const chunk of stream) {
    data = data.length ? Buffer.concat([data, chunk]) : chunk;
    let at = 0;
    if (header) {
      // signature, flags, then a header extension of the length given
      if (data.length < 19) continue;
      if (!data.subarray(0, 11).equals(SIGNATURE)) throw new Error('COPY: not the binary format');
      const extension = data.readInt32BE(15);
      if (data.length < 19 + extension) continue;
      at = 19 + extension;
      header = false;
    }
    // whole tuples only: one cut by the chunk's end waits for the next chunk
    for (;;) {
      if (at + 2 > data.length) break;
      const fields = data.readInt16BE(at);
      if (fields === -1) {
        ended = true;
        at += 2;
        break;
      }
      if (fields !== types.length) throw new Error(`COPY: ${fields} fields, expected ${types.length}`);
      let p = at + 2;
      let whole = true;
      for (let f = 0; f < fields; f++) {
        if (p + 4 > data.length) {
          whole = false;
          break;
        }
        const len = data.readInt32BE(p);
        p += 4;
        if (len < 0) {
          row[f] = null;
          continue;
        }
        if (p + len > data.length) {
          whole = false;
          break;
        }
        const type = types[f]!;
        if (FIXED[type] !== undefined && len !== FIXED[type])
          throw new Error(`COPY: column ${f + 1} is not ${type} (${len} bytes)`);
        row[f] =
          type === 'float8'
            ? data.readDoubleBE(p)
            : type === 'int8'
              ? Number(data.readBigInt64BE(p))
              : type === 'int4'
                ? data.readInt32BE(p)
                : type === 'code'
                  ? codes.of(data, p, len)
                  : type === 'text'
                    ? data.toString('utf8', p, p + len)
                    : arrayOf(data, p, type === 'int4[]');
        p += len;
      }
      if (!whole) break;
      take(row);
      at = p;
    }
    data = data.subarray(at);
    yield;
  }
  if (!ended || data.length) throw new Error('COPY ended inside a row');
}

/** The byte length of each fixed-size type's binary form. */
const FIXED: Partial<Record<CopiedType, number>> = { int8: 8, int4: 4, float8: 8 };

/** A one-dimensional array's elements (binary COPY form: dimensions, flags, element type, length, lower bound). */
function arrayOf(data: Buffer, p: number, int4: boolean): (number | null)[] {
  const dims = data.readInt32BE(p);
  if (dims === 0) return [];
  if (dims !== 1) throw new Error('COPY: an array of more than one dimension');
  const n = data.readInt32BE(p + 12);
  const out: (number | null)[] = new Array(n);
  let at = p + 20;
  for (let i = 0; i < n; i++) {
    const len = data.readInt32BE(at);
    at += 4;
    if (len < 0) {
      out[i] = null;
      continue;
    }
    out[i] = int4 ? data.readInt32BE(at) : data.readDoubleBE(at);
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
