// One client factory: embedded PGlite in a data folder by default, a PostgreSQL server when
// DATABASE_URL is set. Everything above this file sees the same Drizzle `Db` type.
import { settings } from '../settings.ts';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// PGlite and its Drizzle driver are loaded when a PGlite database is opened: a process on PostgreSQL (a
// CLI command against a server) would otherwise load ~50 MB of code it never runs (issue 13)
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import * as schema from './schema.ts';
import { applyStatementCeilings } from './statement-ceiling.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseKind = 'pglite' | 'postgres';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'drizzle');

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** where the data lives: the PGlite folder or the server URL without its password */
  location: string;
  /**
   * Bulk-load rows with COPY (CSV) — the fast path for demo data and big imports. Runs on the
   * given transaction when one is passed, so it stays all-or-nothing with the rest of an import.
   */
  copyRows(table: string, columns: string[], rows: Iterable<unknown[]>, tx?: Db): Promise<number>;
  /**
   * Opens a streamed COPY (CSV) for rows produced while it runs (a big import): on PostgreSQL one COPY
   * fed as the text comes, on PGlite (which takes a COPY's data whole) one COPY per few MB. Like
   * copyRows, it runs on the given transaction.
   */
  copyFrom(table: string, columns: string[], tx?: Db, format?: CopyFormat): Promise<CopySink>;
  close(): Promise<void>;
}

/**
 * What a streamed COPY takes: CSV text, or PostgreSQL's binary tuples (each field as its type's binary
 * form: no number or date for the server to parse). A binary sink sends the format's header itself
 * (again at each COPY it opens); its writes are whole tuples.
 */
export type CopyFormat = 'csv' | 'binary';

/** The header of a binary COPY: signature, flags 0, no header extension (the trailer is optional). */
const BINARY_COPY_HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);

const copyStatement = (table: string, columns: string[], source: string, format: CopyFormat) =>
  `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM ${source} WITH (FORMAT ${format})`;

/** The writing end of a streamed COPY. */
export interface CopySink {
  /**
   * Adds CSV of whole rows, as text or UTF-8 bytes (the sink keeps bytes it is given: hand over a
   * buffer not written to again). Answers a promise only when the caller should wait before writing
   * more (the database is behind); it rejects with the COPY's error once there is one.
   */
  write(csv: string | Uint8Array): Promise<void> | undefined;
  /** Sends what is left and ends the COPY; rejects with its error (e.g. a unique violation). */
  end(): Promise<void>;
  /** Abandons the COPY (none of its rows are kept); harmless after end() or an error. */
  abort(): Promise<void>;
}

/** PGlite takes a COPY's data as one blob: this much (characters or bytes) per COPY bounds its memory. */
const PGLITE_COPY_SIZE = 8 << 20;

export interface OpenOptions {
  /** PostgreSQL URL; default the DATABASE_URL setting */
  url?: string;
  /** PGlite data folder; default the CLUSTERSCOPE_DATA setting or ./data; 'memory://' for in-memory */
  dataDir?: string;
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  // An explicit data folder means PGlite, whatever DATABASE_URL says (tests rely on this).
  const env = settings();
  const url = options.url ?? (options.dataDir ? undefined : env.DATABASE_URL);
  if (url) return openPostgres(url);
  return openPglite(options.dataDir ?? env.CLUSTERSCOPE_DATA ?? path.resolve('data'));
}

/**
 * PGlite's own start parameters plus wal_level=minimal: PGlite is one process with nothing to replicate
 * to, and at minimal a table filled or indexed in the transaction that truncated it is written without
 * WAL — the demo's monthly and annual facts and their indexes (issue 13: a first start wrote 417 MB of
 * WAL beside 340 MB of data).
 */
const pgliteStartParams = (defaults: readonly string[]): string[] => [
  ...defaults,
  '-c',
  'wal_level=minimal',
  '-c',
  'max_wal_senders=0',
];

/**
 * PGlite runs a query in this thread and answers with a promise that is settled at once, so a chain of
 * awaited queries (the demo data a first start writes in the background, src/cli/demo-steps.ts) never
 * lets the event loop take in a request: the server would not even answer /api/health until it ends.
 * One event-loop turn before each query outside a transaction lets requests in between (a
 * transaction's own queries go through its handle and keep the lock, as before).
 */
function yieldBeforeQueries(client: PGlite): void {
  const query = client.query.bind(client);
  client.query = (async (...args: Parameters<PGlite['query']>) => {
    await new Promise((resolve) => setImmediate(resolve));
    return query(...args);
  }) as PGlite['query'];
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) fs.mkdirSync(dataDir, { recursive: true });
  const unlock = inMemory ? () => undefined : lockDataDir(dataDir);
  let client: PGlite;
  let drizzlePglite: typeof import('drizzle-orm/pglite').drizzle;
  try {
    const [{ PGlite }, driver] = await Promise.all([
      import('@electric-sql/pglite'),
      import('drizzle-orm/pglite'),
    ]);
    drizzlePglite = driver.drizzle;
    client = new PGlite(inMemory ? undefined : dataDir, {
      startParams: pgliteStartParams(PGlite.defaultStartParams),
    });
    await client.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  yieldBeforeQueries(client);
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    location: inMemory ? 'memory' : dataDir,
    async copyRows(table, columns, rows, tx) {
      // Inside a Drizzle transaction PGlite holds a lock: the COPY must go through that transaction's
      // own handle, or it waits for the transaction forever.
      return copyRowsPglite(tx ? txSessionClient<PgliteQueryable>(tx) : client, table, columns, rows);
    },
    async copyFrom(table, columns, tx, format = 'csv') {
      type Queryable = Pick<PGlite, 'query'>;
      const target: Queryable = tx
        ? (tx as unknown as { session: { client: Queryable } }).session.client
        : client;
      const statement = copyStatement(table, columns, `'/dev/blob'`, format);
      // each blob is a COPY of its own: a binary one starts with the header
      const first = (): (string | Uint8Array)[] => (format === 'binary' ? [BINARY_COPY_HEADER] : []);
      let parts = first();
      let size = 0;
      let failure: unknown = null;
      const send = async () => {
        if (failure) throw failure;
        if (size === 0) return;
        const blob = new Blob(parts as BlobPart[]);
        parts = first();
        size = 0;
        try {
          await target.query(statement, [], { blob });
        } catch (error) {
          failure = error;
          throw error;
        }
      };
      return {
        write(csv) {
          if (failure) return Promise.reject(failure as Error);
          parts.push(csv);
          size += csv.length;
          return size >= PGLITE_COPY_SIZE ? send() : undefined;
        },
        end: send,
        async abort() {
          parts = first();
          size = 0;
        },
      };
    },
    async close() {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}

// ---------------------------------------------------------------- one process per PGlite folder

/** The lock file a process holds while it has a PGlite data folder open. */
export const DATA_LOCK_FILE = 'clusterscope.lock';

/** Thrown when another live process has the data folder open. */
export class DataDirInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: { pid: number; command?: string; since?: string },
  ) {
    super(
      `The data folder ${dataDir} is in use by process ${holder.pid}` +
        `${holder.command ? ` (${holder.command})` : ''}${holder.since ? ` since ${holder.since}` : ''}: ` +
        'the embedded database takes one process at a time. Stop that process first, or run both on ' +
        'PostgreSQL (DATABASE_URL). / 数据目录正被进程 ' +
        `${holder.pid} 使用：内置数据库同一时间只能由一个进程打开，请先停止该进程，或改用 PostgreSQL（DATABASE_URL）。`,
    );
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // a pid reused by something that is not Node (after a crash and a reboot) holds no lock
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return true; // no /proc (not Linux): trust the signal check
  }
}

function readLock(file: string): { pid: number; command?: string; since?: string } | null {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown };
    return typeof holder.pid === 'number' ? (holder as { pid: number }) : null;
  } catch {
    return null;
  }
}

/** Held in this process: folder → how many open handles share the lock. */
const heldLocks = new Map<string, number>();

/**
 * PGlite has no locking of its own: two processes writing one data folder corrupt it (a CLI import
 * while the server runs, say). The first process to open a folder writes its pid into a lock file;
 * another live process is refused with a clear message; a lock left by a dead process is taken over.
 * Answers the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(path.resolve(dataDir), DATA_LOCK_FILE);
  const held = heldLocks.get(file) ?? 0;
  if (held === 0) {
    const me = JSON.stringify({
      pid: process.pid,
      command: process.argv
        .slice(1, 4)
        .map((a) => path.basename(a))
        .join(' '),
      since: new Date().toISOString(),
    });
    for (let attempt = 0; ; attempt++) {
      try {
        fs.writeFileSync(file, me, { flag: 'wx' });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw error;
        const holder = readLock(file); // null: unreadable, half-written by a process that died
        if (holder && holder.pid !== process.pid && processAlive(holder.pid))
          throw new DataDirInUse(dataDir, holder);
        fs.rmSync(file, { force: true });
      }
    }
  }
  heldLocks.set(file, held + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (heldLocks.get(file) ?? 1) - 1;
    if (left > 0) {
      heldLocks.set(file, left);
      return;
    }
    heldLocks.delete(file);
    if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
}

// a process that exits without closing its database (Ctrl-C) leaves no lock behind
process.once('exit', () => {
  for (const file of heldLocks.keys())
    if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
});

async function openPostgres(url: string): Promise<Database> {
  // Statement ceilings are per piece of work (API reads: statement-ceiling.ts), not per connection.
  const { DATABASE_POOL_SIZE } = settings();
  const pool = new pg.Pool({
    connectionString: url,
    max: DATABASE_POOL_SIZE,
    // No JIT: at province scale the planner's estimates of the rollup and evaluation statements pass
    // PostgreSQL's JIT thresholds, and compiling them took 3–8 s of a 30 s statement (EXPLAIN ANALYZE on
    // a 2-core machine) that runs in memory anyway — the bulk statements here never win it back.
    options: '-c jit=off',
  });
  applyStatementCeilings(pool);
  // An idle pooled connection can be closed by the server (restart, admin, dropped database); without a
  // listener node-postgres turns that into an uncaught exception. The next query simply reconnects.
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') console.error(`database connection lost: ${error.message}`);
  });
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    location: redactUrl(url),
    async copyRows(table, columns, rows, tx) {
      // Inside a Drizzle transaction, COPY must use that transaction's connection.
      if (tx) return copyRowsPg(txSessionClient<pg.PoolClient>(tx), table, columns, rows);
      const client = await pool.connect();
      try {
        return await copyRowsPg(client, table, columns, rows);
      } finally {
        client.release();
      }
    },
    async copyFrom(table, columns, tx, format = 'csv') {
      const text = copyStatement(table, columns, 'STDIN', format);
      const txClient = tx
        ? (tx as unknown as { session: { client: pg.PoolClient } }).session.client
        : undefined;
      const client = txClient ?? (await pool.connect());
      const stream = client.query(copyFrom(text));
      let failure: Error | null = null;
      let released = false;
      const settled = new Promise<void>((resolve) => {
        stream.on('finish', resolve);
        stream.on('close', resolve);
        stream.on('error', (error: Error) => {
          failure ??= error;
          resolve();
        });
      });
      const release = () => {
        if (released || txClient) return;
        released = true;
        client.release(failure ?? undefined);
      };
      // One chunk in flight at a time (its callback comes once the socket took it): the database sets
      // the pace, and nothing waits in pg-copy-streams' own queue when the server ends the COPY with
      // an error (that queue would be written to a connection it no longer holds).
      let inFlight: Promise<void> | null = null;
      const send = (csv: string | Uint8Array) => {
        const sent = new Promise<void>((resolve) => {
          stream.write(csv, () => resolve());
          void settled.then(resolve);
        });
        inFlight = sent;
        void sent.then(() => {
          if (inFlight === sent) inFlight = null;
        });
      };
      if (format === 'binary') send(BINARY_COPY_HEADER);
      return {
        write(csv) {
          if (failure) return Promise.reject(failure);
          if (!inFlight) {
            send(csv);
            return undefined;
          }
          return inFlight.then(() => {
            if (failure) throw failure;
            send(csv);
          });
        },
        async end() {
          try {
            if (inFlight) await inFlight;
            if (!failure) {
              stream.end();
              await settled;
            }
            if (failure) throw failure;
          } finally {
            release();
          }
        },
        async abort() {
          // a COPY the server already ended (finished or failed) needs nothing; else CopyFail ends it
          if (!failure && !stream.writableFinished && !stream.destroyed) {
            stream.destroy(new Error('COPY abandoned'));
            await settled;
          }
          release();
        },
      };
    },
    async close() {
      await pool.end();
    },
  };
}

type PgliteQueryable = Pick<PGlite, 'query'>;

/** The driver's connection (node-postgres) or handle (PGlite) a Drizzle transaction runs on. */
function txSessionClient<T>(tx: Db): T {
  return (tx as unknown as { session: { client: T } }).session.client;
}

/** COPY of rows as CSV into `table` through PGlite: one COPY per few MB (PGlite takes its data whole). */
async function copyRowsPglite(
  target: PgliteQueryable,
  table: string,
  columns: string[],
  rows: Iterable<unknown[]>,
): Promise<number> {
  const statement = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`;
  // PGlite takes a COPY's data whole: one COPY per few MB, so the CSV of a big set (an evaluation's
  // 200,000 results) is never held at once
  let count = 0;
  for (const csv of csvChunks(rows, PGLITE_COPY_SIZE)) {
    await target.query(statement, [], { blob: new Blob([csv.text]) });
    count += csv.count;
  }
  return count;
}

/** COPY of rows as CSV into `table` on a node-postgres connection: one COPY, fed as the text comes. */
async function copyRowsPg(
  client: pg.ClientBase,
  table: string,
  columns: string[],
  rows: Iterable<unknown[]>,
): Promise<number> {
  const text = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN WITH (FORMAT csv)`;
  let count = 0;
  const source = Readable.from(
    (function* () {
      let chunk = '';
      for (const row of rows) {
        chunk += csvLine(row);
        count++;
        if (chunk.length > 1 << 16) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    })(),
  );
  await pipeline(source, client.query(copyFrom(text)));
  return count;
}

/**
 * copyRows with only the transaction at hand (code that is handed a `tx`, not the Database): the COPY runs on
 * the transaction's own connection (PostgreSQL) or handle (PGlite), told apart by the driver's client class.
 */
export function copyRowsInTx(
  tx: Db,
  table: string,
  columns: string[],
  rows: Iterable<unknown[]>,
): Promise<number> {
  const client = txSessionClient<pg.ClientBase | pg.Pool | PgliteQueryable>(tx);
  // the pool itself (a Db, not a transaction) would run the COPY on whichever connection it hands out
  if (client instanceof pg.Pool) throw new Error('copyRowsInTx: not a transaction');
  return client instanceof pg.Client
    ? copyRowsPg(client, table, columns, rows)
    : copyRowsPglite(client as PgliteQueryable, table, columns, rows);
}

/**
 * COPY into `table` of rows already encoded in COPY's text format (tab-separated, `\N` for null, backslash,
 * tab, newline and carriage return escaped), in pieces of whole lines: for a caller that encodes its rows
 * itself, specialised to their columns, or before the connection is free (the alert writer's staging,
 * issue 13). One COPY fed piece by piece (PostgreSQL), one COPY per piece (PGlite takes its data whole).
 */
export async function copyTextInTx(
  tx: Db,
  table: string,
  columns: string[],
  pieces: Iterable<string | Uint8Array>,
): Promise<void> {
  const client = txSessionClient<pg.ClientBase | pg.Pool | PgliteQueryable>(tx);
  if (client instanceof pg.Pool) throw new Error('copyTextInTx: not a transaction');
  const into = `${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')})`;
  if (client instanceof pg.Client)
    await pipeline(Readable.from(pieces), client.query(copyFrom(`COPY ${into} FROM STDIN`)));
  else
    for (const piece of pieces)
      await (client as PgliteQueryable).query(`COPY ${into} FROM '/dev/blob'`, [], {
        blob: new Blob([piece as BlobPart]),
      });
}

export async function runMigrations(database: Database): Promise<void> {
  // Drizzle's migrator reads and hashes every migration file and makes five round trips (create schema,
  // create table, select, begin, commit) even when nothing is to apply, on every CLI command's start; it
  // applies a migration only when its journal time is newer than the newest applied one's, so when the
  // newest in the journal is not, it would apply nothing (issue 13: part of `evaluate`'s start).
  if (await journalApplied(database.db)) return;
  if (database.kind === 'pglite') {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  } else {
    await migratePg(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  }
}

/** The committed journal's entries (drizzle/meta/_journal.json), oldest first. */
function journalEntries(): { tag: string; when: number }[] {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  return journal.entries;
}

/** The newest migration tag in the committed journal, e.g. "0000_foundation". */
export function latestMigrationTag(): string {
  return journalEntries().at(-1)?.tag ?? 'none';
}

/**
 * Whether the database has applied the journal's newest migration, judged as Drizzle's migrator judges it
 * (a migration is applied when its journal time is not newer than the newest applied `created_at`). False
 * when the migrations table is not there yet (a new database): the migrator creates it.
 */
export async function journalApplied(db: Db): Promise<boolean> {
  const newest = journalEntries().at(-1)?.when;
  if (newest === undefined) return false;
  try {
    const [row] = await queryRows<{ at: string | number | null }>(
      db,
      sql`select max(created_at) as at from drizzle.__drizzle_migrations`,
    );
    return row?.at != null && Number(row.at) >= newest;
  } catch {
    return false;
  }
}

/** How many migrations the database has applied (Drizzle keeps them in drizzle.__drizzle_migrations). */
export async function appliedMigrationCount(db: Db): Promise<number> {
  try {
    const rows = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    return rows[0]?.n ?? 0;
  } catch {
    return 0;
  }
}

/** Run raw SQL and return its rows, whichever driver is underneath. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Runs a statement that writes rows and answers how many it wrote (node-postgres says `rowCount`, PGlite
 * `affectedRows`): no `returning` kept and counted again for a number the driver already has.
 */
export async function executeCount(db: Db, query: SQL): Promise<number> {
  const result = (await db.execute(query)) as unknown as { rowCount?: number | null; affectedRows?: number };
  return result.rowCount ?? result.affectedRows ?? 0;
}

/**
 * A bigint[] parameter: ONE bind parameter however many ids (PostgreSQL caps a statement at 65,535, and
 * Drizzle's query builder spreads each fragment's parameters into a call, which overflows the stack
 * somewhere past 100,000). Use as `col = any(${idArray(ids)})` or `join unnest(${idArray(ids)}) as u(id)`.
 */
export const idArray = (ids: readonly number[]) => sql`${`{${ids.join(',')}}`}::bigint[]`;

/** A text[] parameter, each element quoted: one bind parameter however many values. */
export const textArray = (values: readonly string[]) =>
  sql`${`{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`}::text[]`;

function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** One value as a CSV field for COPY: null empty, text quoted when it must be (an empty text always). */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return csvQuote(JSON.stringify(v));
  const s = String(v);
  return /[",\n\r]/.test(s) || s === '' ? csvQuote(s) : s;
}

function csvQuote(s: string): string {
  return '"' + s.replace(/"/g, '""') + '"';
}

function csvLine(row: unknown[]): string {
  return row.map(csvField).join(',') + '\n';
}

/** Rows as CSV text in pieces of about `size` characters (whole rows). */
function* csvChunks(rows: Iterable<unknown[]>, size: number): Generator<{ text: string; count: number }> {
  let parts: string[] = [];
  let length = 0;
  let count = 0;
  for (const row of rows) {
    const line = csvLine(row);
    parts.push(line);
    length += line.length;
    count++;
    if (length >= size) {
      yield { text: parts.join(''), count };
      parts = [];
      length = 0;
      count = 0;
    }
  }
  if (count) yield { text: parts.join(''), count };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}
