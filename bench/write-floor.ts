// The floor of what a monthly import writes (issue 13). Besides the facts, the import's hooks write rows of
// their own inside its transaction — each firm's 1–N月累计 by month and cluster, the alerts raised and their
// events, the rollup cells — and at province scale those outnumber the facts (1,243,020 累计 rows, 170,616
// alerts and 340,616 events beside 1,000,000 facts). The goal compares the import with `psql \copy` of the
// facts alone, so the bench also times `psql \copy` of those derived rows alone, as cheaply as PostgreSQL
// takes them: binary (as the import's own COPYs are), into tables of the same shape without indexes, the
// targets' indexes built afterwards (as the import builds a year's 累计 partition). What that costs is
// spent by any import that keeps these tables in step inside its transaction, however it computes them:
// with the facts' \copy it is a floor under the import's time before a fact is read back or a rule evaluated.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../src/db/client.ts';

/** One table's rows written by the import: the target, the columns copied and which rows (a condition). */
interface Written {
  table: string;
  label: string;
  columns: string[];
  where: string;
  file: string;
  rows: number;
}

/** What the database holds before the import, to tell the rows it writes from those it found. */
export interface BeforeImport {
  alertId: number;
  eventId: number;
}

export async function beforeImport(d: Database): Promise<BeforeImport> {
  const [r] = await queryRows<{ a: number; e: number }>(
    d.db,
    sql`select (select coalesce(max(id), 0) from alerts)::float8 as a,
               (select coalesce(max(id), 0) from alert_events)::float8 as e`,
  );
  return { alertId: r!.a, eventId: r!.e };
}

/** Runs `script` (psql commands, \copy among them) in one psql process on `url`; answers its wall seconds. */
async function psqlScript(url: string, script: string, file: string): Promise<number> {
  fs.writeFileSync(file, script);
  const t0 = performance.now();
  const child = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-f', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (b: Buffer) => stderr.push(b));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  if (code !== 0) throw new Error(`psql failed: ${Buffer.concat(stderr).toString()}`);
  return (performance.now() - t0) / 1000;
}

/** Each column of `table` but the identity (the copy lets it be generated, as the import's rows do). */
async function columnsOf(d: Database, table: string): Promise<string[]> {
  const rows = await queryRows<{ c: string }>(
    d.db,
    sql`select quote_ident(column_name) as c from information_schema.columns
        where table_schema = 'public' and table_name = ${table} and is_identity = 'NO'
        order by ordinal_position`,
  );
  return rows.map((r) => r.c);
}

/**
 * The rows the import wrote into its derived tables (on `d`, after the import): 累计 rows from January of the
 * file's first month's year, the alerts and events past `before`, the rollup cells of the file's months;
 * each written out in binary to a file in `dir`.
 */
export async function derivedRows(
  d: Database,
  url: string,
  dir: string,
  before: BeforeImport,
  months: { first: string; last: string },
): Promise<Written[]> {
  const yearStart = `${months.first.slice(0, 4)}-01-01`;
  const list: Omit<Written, 'file' | 'rows' | 'columns'>[] = [
    { table: 'cluster_enterprise_ytd', label: '累计 (YTD) rows', where: `month >= '${yearStart}'` },
    { table: 'alerts', label: 'alerts', where: `id > ${before.alertId}` },
    { table: 'alert_events', label: 'alert events', where: `id > ${before.eventId}` },
    {
      table: 'cluster_region_month',
      label: 'rollup cells',
      where: `month between '${months.first}-01' and '${months.last}-01'`,
    },
  ];
  const out: Written[] = [];
  for (const w of list) {
    const columns = await columnsOf(d, w.table);
    const file = path.join(dir, `floor-${w.table}.bin`);
    const [n] = await queryRows<{ n: number }>(
      d.db,
      sql.raw(`select count(*)::int as n from ${w.table} where ${w.where}`),
    );
    await psqlScript(
      url,
      `\\copy (select ${columns.join(', ')} from ${w.table} where ${w.where}) to '${file}' with (format binary)\n`,
      path.join(dir, 'floor-export.sql'),
    );
    out.push({ ...w, columns, file, rows: n!.n });
  }
  return out;
}

/** The target's index definitions, made to build the same index on `copy` (its name left to PostgreSQL). */
async function indexesFor(d: Database, table: string, copy: string): Promise<string[]> {
  const rows = await queryRows<{ def: string }>(
    d.db,
    sql`select indexdef as def from pg_indexes where schemaname = 'public' and tablename = ${table}`,
  );
  return rows.map((r) =>
    r.def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ /, `CREATE $1INDEX ON ${copy} `),
  );
}

/**
 * One timed run: the derived rows copied into fresh tables shaped like their targets (no index), then the
 * targets' indexes built, all in one psql process; answers its wall seconds (tables dropped after, untimed).
 */
export async function timeWriteFloor(
  d: Database,
  url: string,
  dir: string,
  written: Written[],
  k: number,
): Promise<number> {
  const copies = written.map((w) => `bench_floor_${k}_${w.table}`);
  const lines: string[] = [];
  for (let i = 0; i < written.length; i++) {
    const w = written[i]!;
    const copy = copies[i]!;
    await d.db.execute(
      sql.raw(`create table ${copy} (like ${w.table} including defaults including identity)`),
    );
    lines.push(`\\copy ${copy} (${w.columns.join(', ')}) from '${w.file}' with (format binary)`);
    lines.push(...(await indexesFor(d, w.table, copy)).map((x) => `${x};`));
  }
  const seconds = await psqlScript(url, `${lines.join('\n')}\n`, path.join(dir, `floor-${k}.sql`));
  for (const copy of copies) await d.db.execute(sql.raw(`drop table ${copy}`));
  return seconds;
}
