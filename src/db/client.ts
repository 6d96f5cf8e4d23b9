// One client factory: embedded PGlite in a data folder by default, a PostgreSQL server when
// DATABASE_URL is set. Everything above this file sees the same Drizzle `Db` type.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import * as schema from './schema.ts';

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
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL URL; default process.env.DATABASE_URL */
  url?: string;
  /** PGlite data folder; default process.env.CLUSTERSCOPE_DATA or ./data; 'memory://' for in-memory */
  dataDir?: string;
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  // An explicit data folder means PGlite, whatever DATABASE_URL says (tests rely on this).
  const url = options.url ?? (options.dataDir ? undefined : process.env.DATABASE_URL);
  if (url) return openPostgres(url);
  return openPglite(options.dataDir ?? process.env.CLUSTERSCOPE_DATA ?? path.resolve('data'));
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) fs.mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(inMemory ? undefined : dataDir);
  await client.waitReady;
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    location: inMemory ? 'memory' : dataDir,
    async copyRows(table, columns, rows, tx) {
      const csv = toCsv(rows);
      if (csv.count === 0) return 0;
      // Inside a Drizzle transaction PGlite holds a lock: the COPY must go through that transaction's
      // own handle, or it waits for the transaction forever.
      type Queryable = Pick<PGlite, 'query'>;
      const target: Queryable = tx
        ? (tx as unknown as { session: { client: Queryable } }).session.client
        : client;
      await target.query(
        `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`,
        [],
        {
          blob: new Blob([csv.text]),
        },
      );
      return csv.count;
    },
    async close() {
      await client.close();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    location: redactUrl(url),
    async copyRows(table, columns, rows, tx) {
      const text = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN WITH (FORMAT csv)`;
      // Inside a Drizzle transaction, COPY must use that transaction's connection.
      const txClient = tx
        ? (tx as unknown as { session: { client: pg.PoolClient } }).session.client
        : undefined;
      const client = txClient ?? (await pool.connect());
      try {
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
      } finally {
        if (!txClient) client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  } else {
    await migratePg(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  }
}

/** The newest migration tag in the committed journal, e.g. "0000_foundation". */
export function latestMigrationTag(): string {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.at(-1)?.tag ?? 'none';
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

function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

function csvField(v: unknown): string {
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

function toCsv(rows: Iterable<unknown[]>): { text: string; count: number } {
  const parts: string[] = [];
  let count = 0;
  for (const row of rows) {
    parts.push(csvLine(row));
    count++;
  }
  return { text: parts.join(''), count };
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
