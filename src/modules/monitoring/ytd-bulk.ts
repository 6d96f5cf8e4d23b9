// A year's 累计 rows written in bulk on a PostgreSQL server (issue 13): the range's facts read out by one binary
// COPY on the import's own connection (its transaction: the facts it wrote are not committed yet), each firm's
// running sums taken here, and the rows written back into the year's partition, detached without its index, by
// one binary COPY. The statement it replaces (insertYearInBulk) inserted row by row — each row a heap insert and
// a WAL record of its own (745,812 for a province's 2025) — after a sort and a grouped aggregate of the facts
// and a sort of each month's rows; COPY writes a page of rows per WAL record. The rows are the same: each sum
// adds a firm's facts in month order, starting from its first value, as PostgreSQL's sum(float8) does (the
// same additions in the same order, equal to the last bit). PGlite gets null: the caller keeps its statement.
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  copiedTuples,
  inlineParameters,
  serverClientOf,
  type CopiedRow,
  type CopiedType,
} from '../../db/copy-out.ts';
import { registryRows } from '../enterprises/index.ts';
import { monthlyFactRows } from '../imports/index.ts';

/** The months of a range from January: 'YYYY-MM-DD' first days, in order. */
export interface BulkYear {
  months: readonly string[];
  /** the reserved code of the every-firm rows (`_all`) */
  allCode: string;
  /** only these firms' rows (null: every firm with facts in the months) */
  only: readonly number[] | null;
  /** the partition written (detached, without its index) */
  table: string;
  /** the MEMBERSHIP relation (enterprise_id, cluster_code, valid_to, eff_from) */
  membership: SQL;
  /** what the years of one refresh read alike, read by the first of them (newBulkShared) */
  shared?: BulkShared;
}

/** A membership of a firm: its code's rank, eff_from and valid_to as day numbers (null: open). */
interface Membership {
  rank: number;
  from: number | null;
  to: number | null;
}

/** A firm in no cluster (one list shared by all of them). */
const NO_MEMBERSHIP: readonly Membership[] = [];

/** The codes (clusters and `_all`) and the scales with their ranks, and every firm's memberships. */
interface Lookups {
  codes: string[];
  codeRank: Map<string, number>;
  scaleRank: Map<string, number>;
  memberships: Map<number, Membership[]>;
}

/**
 * The lookups of the years one refresh writes in bulk, read once for all of them: the registry and the
 * memberships do not change in between, and a province's second year (2026 after 2025) read them again — the
 * membership relation's window over 53,466 rows twice (for the codes and for the memberships) and the registry's
 * 220,000 scales, ≈ 0.1 s of the step (issue 13). One per refresh: a later refresh in the same transaction may
 * follow a registry change.
 */
export interface BulkShared {
  lookups?: Promise<Lookups>;
}
export const newBulkShared = (): BulkShared => ({});

/** 2000-01-01, PostgreSQL's day 0 of a binary date, in days since 1970-01-01. */
const PG_EPOCH_DAY = 10_957;
const DAY_MS = 86_400_000;
const TWO_32 = 4294967296;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS - PG_EPOCH_DAY;
function nextMonthDay(iso: string): number {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.getTime() / DAY_MS - PG_EPOCH_DAY;
}

/** Each row of `query` (binary COPY on the transaction's connection) handed to `take` as an array reused. */
async function copyOut(
  client: pg.ClientBase,
  query: SQL,
  types: readonly CopiedType[],
  take: (row: CopiedRow) => void,
): Promise<void> {
  const stream = client.query(copyTo(`COPY (${inlineParameters(query)}) TO STDOUT WITH (FORMAT binary)`));
  for await (const _ of copiedTuples(stream, types, take));
}

/** The codes' and scales' ranks (in the database's order: its collation) and the memberships by firm. */
async function readLookups(client: pg.ClientBase, year: BulkYear): Promise<Lookups> {
  const codeRank = new Map<string, number>();
  const codes: string[] = [];
  await copyOut(
    client,
    sql`select code from (select cluster_code as code from (${year.membership}) m union select ${year.allCode}::text) c
        order by code`,
    ['code'],
    (r) => {
      codeRank.set(r[0] as string, codes.length);
      codes.push(r[0] as string);
    },
  );
  const scaleRank = new Map<string, number>();
  await copyOut(
    client,
    sql`select scale from (select distinct scale from ${registryRows()} e) s order by scale`,
    ['code'],
    (r) => scaleRank.set(r[0] as string, scaleRank.size),
  );
  const memberships = new Map<number, Membership[]>();
  await copyOut(
    client,
    sql`select m.enterprise_id, m.cluster_code, m.eff_from, m.valid_to from (${year.membership}) m`,
    ['int8', 'code', 'int4', 'int4'],
    (r) => {
      const id = r[0] as number;
      let list = memberships.get(id);
      if (!list) memberships.set(id, (list = []));
      list.push({
        rank: codeRank.get(r[1] as string)!,
        from: r[2] as number | null,
        to: r[3] as number | null,
      });
    },
  );
  return { codes, codeRank, scaleRank, memberships };
}

/**
 * Writes the rows of a range from January into `year.table` and answers how many, or null on PGlite. The rows
 * of each month are written in the partition index's order (month, code, scale, 累计 desc, firm; the codes and
 * scales by their database order, read from the database) as insertYearInBulk wrote them: the index built next
 * finds its input sorted.
 */
export async function copyYearInBulk(tx: Db, year: BulkYear): Promise<number | null> {
  const client = serverClientOf(tx);
  if (!client) return null;
  const { months, allCode } = year;
  const first = months[0]!;
  const last = months[months.length - 1]!;
  const only = year.only
    ? sql`and ms.enterprise_id = any(${`{${year.only.map((id) => Math.trunc(id)).join(',')}}`}::bigint[])`
    : sql``;

  const shared = year.shared ?? newBulkShared();
  shared.lookups ??= readLookups(client, year);
  const { codes, codeRank, scaleRank, memberships } = await shared.lookups;

  // The range's facts by firm, one output a month in the range's order (null: no fact, or no output), with the
  // firm's scale (firms not in the registry are left out, as the statement's join did): one row a firm, a hash
  // aggregate and no sort in the database, 50,000 rows read here for a province's year instead of 600,000. Each
  // month's output is the max of its one fact (the key is firm and month): the value itself, to the last bit.
  // Aggregated into arrays (array_agg of months and of outputs) instead, the planner counted 8 kB of state a
  // firm, planned the hash aggregate in partitions and spilled a province's year to disk even at 192 MB of
  // work_mem: 0.40–0.48 s of backend CPU against 0.35–0.42 s for these fixed-size states (2025; 2026's eight
  // months: 0.33–0.45 s against 0.27–0.30 s), and no array of months to parse here.
  const byMonth = sql.join(
    months.map((m) => sql`max(ms.output_value) filter (where ms.month = ${m}::date)`),
    sql`, `,
  );
  // Each firm's 累计 by month as its row comes: its outputs added in month order from the first one reported
  // (sum(float8)'s state starts at the first value, not at zero); none before it. Held firm after firm in arrays
  // that grow, not in an object and two typed arrays of the range's months a firm: a province's year made 100,000
  // small typed arrays, ≈ 0.13 s of Node CPU in a profile of the import (issue 13).
  const span = months.length;
  let room = 1 << 14;
  let byFirm = new Float64Array(room * span);
  let byFirmHas = new Uint8Array(room * span);
  const firmIds: number[] = [];
  const firmScales: string[] = [];
  const firmMem: (readonly Membership[])[] = [];
  await copyOut(
    client,
    sql`select f.enterprise_id, e.scale, f.outputs
        from (select ms.enterprise_id, array[${byMonth}]::float8[] as outputs
              from ${monthlyFactRows()} ms
              where ms.month between ${first}::date and ${last}::date ${only}
              group by ms.enterprise_id) f
        join ${registryRows()} e on e.id = f.enterprise_id`,
    ['int8', 'code', 'float8[]'],
    (r) => {
      const i = firmIds.length;
      if (i === room) {
        room *= 2;
        const grown = new Float64Array(room * span);
        grown.set(byFirm);
        byFirm = grown;
        const grownHas = new Uint8Array(room * span);
        grownHas.set(byFirmHas);
        byFirmHas = grownHas;
      }
      const id = r[0] as number;
      firmIds.push(id);
      firmScales.push(r[1] as string);
      firmMem.push(memberships.get(id) ?? NO_MEMBERSHIP);
      const outputs = r[2] as (number | null)[];
      let s = 0;
      let reported = false;
      for (let k = 0; k < span; k++) {
        const x = outputs[k]!;
        if (x !== null) {
          s = reported ? s + x : x;
          reported = true;
        }
        if (reported) {
          byFirm[i * span + k] = s;
          byFirmHas[i * span + k] = 1;
        }
      }
    },
  );

  // The 累计 stored month by month (a month's 累计 of every firm side by side): the month's pass below reads
  // them in a row, its sort included, without copying them out firm by firm first (a stride of a year's months
  // through 600,000 values, each month).
  const n = firmIds.length;
  const sums = new Float64Array(n * span);
  const present = new Uint8Array(n * span);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < span; k++) {
      sums[k * n + i] = byFirm[i * span + k]!;
      present[k * n + i] = byFirmHas[i * span + k]!;
    }
  const codeBytes = codes.map((c) => Buffer.from(c, 'utf8'));
  const scaleBytes = new Map<string, Buffer>();
  for (const scale of firmScales)
    if (!scaleBytes.has(scale)) scaleBytes.set(scale, Buffer.from(scale, 'utf8'));
  const firmScale = firmScales.map((scale) => scaleBytes.get(scale)!);
  const scaleRanks = Int32Array.from(firmScales, (scale) => scaleRank.get(scale) ?? -1);
  // The memberships side by side (a firm's from memAt[i] to memAt[i + 1]; an open bound as the farthest day),
  // not behind each firm's object: the month's pass takes the firms in 累计 order, all over the heap, and
  // following firm, array and membership object for each of them was ≈ 30% of that pass's CPU in a profile of
  // a province's import (≈ 0.45 s of the generator's).
  const memAt = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) memAt[i + 1] = memAt[i]! + firmMem[i]!.length;
  const memRank = new Int32Array(memAt[n]!);
  const memFrom = new Int32Array(memAt[n]!);
  const memTo = new Int32Array(memAt[n]!);
  for (let i = 0; i < n; i++)
    firmMem[i]!.forEach((x, j) => {
      memRank[memAt[i]! + j] = x.rank;
      memFrom[memAt[i]! + j] = x.from ?? -0x80000000;
      memTo[memAt[i]! + j] = x.to ?? 0x7fffffff;
    });
  const ids = Float64Array.from(firmIds);
  const allRank = codeRank.get(allCode)!;
  let written = 0;

  // (the largest tuple: 5 fields, two of them texts)
  const longest = (bytes: Iterable<Buffer>) => Math.max(0, ...[...bytes].map((b) => b.length));
  const maxTuple = 2 + 5 * 4 + 4 + 8 + 8 + longest(codeBytes) + longest(scaleBytes.values());
  let v = sums.subarray(0, n);
  const seen = new Uint8Array(n);
  const byCode: number[][] = codes.map(() => []);
  // by scale, 累计 descending (NaN first, as PostgreSQL orders it), firm
  const byIndexOrder = (a: number, b: number) => {
    const d = scaleRanks[a]! - scaleRanks[b]!;
    if (d !== 0) return d;
    const va = v[a]!;
    const vb = v[b]!;
    if (va > vb) return -1;
    if (va < vb) return 1;
    if (va !== vb) return Number.isNaN(va) ? (Number.isNaN(vb) ? ids[a]! - ids[b]! : -1) : 1;
    return ids[a]! - ids[b]!;
  };
  let kept: number[] = [];
  /**
   * The tuples of the range's k-th month (the months in order: each starts from the month before's firms), in a
   * buffer of their own. A plain function, not the generator's body: with the generator's `yield` inside the
   * loop over the rows (a chunk full), that loop was the import's third costliest function in a profile
   * (0.34 s of Node CPU for a province's twenty months, ≈ 270 ns a row).
   */
  function monthTuples(k: number): Uint8Array {
    const day = dayOf(months[k]!);
    const end = nextMonthDay(months[k]!);
    // the firms kept this month (a 累计 above zero; NaN, greater than everything to PostgreSQL, too): those of
    // the month before first, in its order — a firm's 累计 grows month by month, so that order is nearly this
    // month's, and the sort (a merge of runs) has little left to do: a few comparisons a firm, not log2(n)
    v = sums.subarray(k * n, (k + 1) * n);
    const keep = (i: number) => {
      const x = v[i]!;
      return present[k * n + i] === 1 && (x > 0 || Number.isNaN(x));
    };
    const next: number[] = [];
    seen.fill(0);
    for (let j = 0; j < kept.length; j++) {
      const i = kept[j]!;
      seen[i] = 1;
      if (keep(i)) next.push(i);
    }
    for (let i = 0; i < n; i++) if (seen[i] === 0 && keep(i)) next.push(i);
    next.sort(byIndexOrder);
    kept = next;
    // each cluster's members at the month's end (once each), in that order
    for (const list of byCode) list.length = 0;
    for (const i of kept)
      for (let x = memAt[i]!; x < memAt[i + 1]!; x++) {
        if (memFrom[x]! >= end || memTo[x]! < end) continue;
        const members = byCode[memRank[x]!]!;
        if (members[members.length - 1] !== i) members.push(i);
      }
    let count = 0;
    for (let c = 0; c < codes.length; c++) count += c === allRank ? kept.length : byCode[c]!.length;
    const bytes = new Uint8Array(count * maxTuple);
    const view = new DataView(bytes.buffer);
    let at = 0;
    // each code in its order: `_all` every firm kept
    for (let c = 0; c < codes.length; c++) {
      const code = codeBytes[c]!;
      const rows = c === allRank ? kept : byCode[c]!;
      for (let j = 0; j < rows.length; j++) {
        const i = rows[j]!;
        const scale = firmScale[i]!;
        const id = ids[i]!;
        const high = Math.floor(id / TWO_32);
        view.setInt16(at, 5);
        view.setInt32(at + 2, code.length);
        for (let b = 0; b < code.length; b++) bytes[at + 6 + b] = code[b]!;
        at += 6 + code.length;
        view.setInt32(at, 4);
        view.setInt32(at + 4, day);
        view.setInt32(at + 8, 8);
        view.setInt32(at + 12, high);
        view.setUint32(at + 16, id - high * TWO_32);
        view.setInt32(at + 20, scale.length);
        for (let b = 0; b < scale.length; b++) bytes[at + 24 + b] = scale[b]!;
        at += 24 + scale.length;
        view.setInt32(at, 8);
        view.setFloat64(at + 4, v[i]!);
        at += 12;
      }
    }
    written += count;
    return bytes.subarray(0, at);
  }
  function* tuples(): Generator<Uint8Array> {
    yield Uint8Array.from([
      0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    for (let k = 0; k < months.length; k++) {
      const month = monthTuples(k);
      if (month.length) yield month;
    }
    // the trailer: a field count of -1
    yield Uint8Array.from([0xff, 0xff]);
  }
  const target = pg.escapeIdentifier(year.table);
  await pipeline(
    Readable.from(tuples()),
    client.query(
      copyFrom(
        `COPY ${target} (cluster_code, month, enterprise_id, scale, output_ytd) FROM STDIN WITH (FORMAT binary)`,
      ),
    ),
  );
  return written;
}
