// Database side of imports: reference lookups, the set-based writes of a commit (COPY into the fact
// table or a staging table, then merge with history), rollback, and the history queries.
import { eq, ne, sql } from 'drizzle-orm';
import { csvField, idArray, queryRows, type CopySink, type Database, type Db } from '../../db/client.ts';
import { enterpriseClusters, industries, regions, zones } from '../../db/schema.ts';
import type { ImportKind } from '../../domain/imports/columns.ts';
import { buildReferenceLookup, type ReferenceLookup, type RowValue } from '../../domain/imports/rows.ts';
import type { MappedColumn } from '../../domain/imports/header.ts';
import type { GoodRow } from './pipeline.ts';
import { binaryRows, type BinaryRows } from './copy-binary.ts';

export async function loadReferenceLookup(db: Db): Promise<ReferenceLookup> {
  const [counties, zoneRows, industryRows] = await Promise.all([
    db.select({ code: regions.code, name: regions.name }).from(regions).where(eq(regions.level, 'county')),
    db
      .select({
        code: zones.code,
        name: zones.name,
        shortName: zones.shortName,
        hostRegionCode: zones.hostRegionCode,
      })
      .from(zones),
    db.select({ code: industries.code }).from(industries).where(ne(industries.level, 'section')),
  ]);
  return buildReferenceLookup({ counties, zones: zoneRows, industries: industryRows.map((i) => i.code) });
}

/**
 * One transaction on either database, through Drizzle (COPY goes through `database.copyRows(…, tx)`).
 * On PGlite, a single session, PGlite's transaction() holds its lock until the end: other requests'
 * queries wait for it instead of running inside it (reading uncommitted rows, or losing their writes
 * when a failed import rolls back).
 */
export async function withTransaction<T>(database: Database, fn: (tx: Db) => Promise<T>): Promise<T> {
  return database.db.transaction(async (tx) => {
    // a commit of a big file runs long statements by design: no CLUSTERSCOPE_STATEMENT_TIMEOUT_MS here
    await tx.execute(sql`set local statement_timeout = 0`);
    return fn(tx as unknown as Db);
  });
}

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

/** Key columns of each fact table, and how the history names a row's period. */
const KEYS: Record<ImportKind, { table: string; keys: string[]; period: string }> = {
  monthly: {
    table: 'monthly_stats',
    keys: ['enterprise_id', 'month'],
    period: `to_char(m.month, 'YYYY-MM')`,
  },
  annual: { table: 'annual_inputs', keys: ['enterprise_id', 'year'], period: 'm.year::text' },
  tiers: {
    table: 'enterprise_tiers',
    keys: ['enterprise_id', 'tier', 'year'],
    period: `m.tier || '/' || m.year`,
  },
  flags: {
    table: 'evaluation_flags',
    keys: ['enterprise_id', 'flag', 'year'],
    period: `m.flag || '/' || m.year`,
  },
  enterprises: { table: 'enterprises', keys: ['uscc'], period: `''` },
};

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The columns a commit writes for a kind: keys, then the value columns the file had, then import_id. */
export function writeColumns(
  kind: ImportKind,
  present: readonly string[],
): { keys: string[]; values: string[] } {
  const keys = KEYS[kind].keys;
  const values = present.filter((k) => k !== 'uscc' && !keys.includes(k));
  return { keys, values };
}

/**
 * A row's CSV line for COPY, written straight from its values (no array per row): the keys, the value
 * columns the file had, then import_id. A number read exactly from its cell is written as that text
 * (formatting a double again costs more than reading it did); others as JavaScript prints them, and
 * text quoted when it must be.
 */
function copyLineWriter(
  cols: { keys: string[]; values: string[] },
  importId: number,
): (r: GoodRow) => string {
  const { keys, values } = cols;
  const tail = `,${importId}\n`;
  // per sheet layout: which column (bit of `exact`) and which cell each value column comes from
  let layout: readonly MappedColumn[] | null = null;
  let bits: number[] = [];
  let cellIndex: number[] = [];
  return (r) => {
    if (r.columns !== layout) {
      layout = r.columns;
      bits = values.map((k) => {
        const i = r.columns.findIndex((c) => c.def.key === k);
        return i >= 0 && i < 31 ? 1 << i : 0;
      });
      cellIndex = values.map((k) => r.columns.find((c) => c.def.key === k)?.index ?? -1);
    }
    let line = '';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (i > 0) line += ',';
      if (k === 'enterprise_id') line += r.enterpriseId === null ? '' : String(r.enterpriseId);
      else if (k === 'month') line += `${r.values.month}-01`;
      else line += copyField(r.values[k]);
    }
    const exact = r.exact;
    for (let i = 0; i < values.length; i++) {
      const v = r.values[values[i]!];
      line +=
        ',' +
        (typeof v === 'number' && (exact & bits[i]!) !== 0
          ? (r.cells[cellIndex[i]!] as string)
          : copyField(v));
    }
    return line + tail;
  };
}

const viewOf = (b: Buffer) => new DataView(b.buffer, b.byteOffset, b.length);

function copyField(v: RowValue | undefined): string {
  return v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : csvField(v);
}

export interface WriteCounts {
  inserted: number;
  replaced: number;
  unchanged: number;
  /** registry imports: the enterprises created or changed (not in the counts, the audit or the API) */
  touched?: number[];
}

/** UTF-16 units of COPY lines held as text before they are encoded (16 KiB or 32 KiB of string). */
const TEXT_UNITS = 1 << 14;

/** Thrown by a direct COPY that met an existing row: the caller retries through the staging table. */
export class ExistingRows extends Error {}

const STAGE = 'import_stage';

/** work_mem of a merge's statements: a million staged rows hash in memory (PostgreSQL's default is 4 MB). */
const MERGE_WORK_MEM = '128MB';

/** Runs fn with work_mem raised for this transaction, then puts the previous value back. */
async function withWorkMem<T>(tx: Db, workMem: string, fn: () => Promise<T>): Promise<T> {
  const [was] = await queryRows<{ v: string }>(tx, sql`select current_setting('work_mem') as v`);
  await tx.execute(sql`select set_config('work_mem', ${workMem}, true)`);
  try {
    return await fn();
  } finally {
    await tx.execute(sql`select set_config('work_mem', ${was!.v}, true)`);
  }
}

/**
 * Streams good rows into one COPY as they are read — straight into the fact table (`direct`, the fast
 * path for periods not on record yet) or into a temporary staging table merged at the end — so the
 * database stores rows while the rest of the file is still being read, and no more than a chunk of
 * text is ever held. All of it runs in the import's transaction: a refused file rolls it back.
 */
export class FactWriter {
  private sink: CopySink | null = null;
  /** CSV bytes not sent yet: each line is encoded as it is made (no long-lived strings for the GC) */
  private buffer: Buffer;
  private used = 0;
  /**
   * Lines not encoded yet: encoded together, a few hundred lines at a time (one Buffer write per
   * line was ≈ 0.3 s of a million-row file's CPU). Kept below TEXT_UNITS, so the string stays young.
   */
  private text = '';
  private written = 0;
  private readonly line: (r: GoodRow) => string;
  /**
   * The rows as binary tuples written straight into the chunk (monthly and annual: numbers and months
   * only), else null: CSV lines. Null for good once a row is one binary cannot carry as it is.
   */
  private tuples: BinaryRows | null;
  private view: DataView;
  readonly cols: { keys: string[]; values: string[] };

  constructor(
    private readonly database: Database,
    private readonly tx: Db,
    private readonly kind: ImportKind,
    present: readonly string[],
    private readonly importId: number,
    readonly mode: 'direct' | 'staging',
    /** bytes of CSV sent to the COPY at a time */
    private readonly chunkBytes = 1 << 18,
  ) {
    this.cols = writeColumns(kind, present);
    this.line = copyLineWriter(this.cols, this.importId);
    this.tuples = binaryRows(kind, this.cols, importId);
    this.buffer = Buffer.allocUnsafe(this.chunkSize);
    this.view = viewOf(this.buffer);
  }

  /** Bytes of a chunk: at least one tuple's (a test's small chunks send each row on its own). */
  private get chunkSize(): number {
    return Math.max(this.chunkBytes, this.tuples?.maxBytes ?? 0);
  }

  /** Opens a COPY into the table, in the format the rows go in. */
  private open(): Promise<CopySink> {
    return this.database.copyFrom(this.table, this.copyColumns, this.tx, this.tuples ? 'binary' : 'csv');
  }

  get table(): string {
    return this.mode === 'direct' ? KEYS[this.kind].table : STAGE;
  }

  private get copyColumns(): string[] {
    return [...this.cols.keys, ...this.cols.values, 'import_id'];
  }

  async begin(): Promise<void> {
    if (this.mode === 'direct') {
      await this.tx.execute(sql`savepoint import_direct`);
    } else {
      const target = KEYS[this.kind].table;
      const columns = this.copyColumns;
      if (this.kind === 'enterprises') {
        await this.tx.execute(
          sql.raw(
            `create temp table ${STAGE} (uscc text, name text, region_code text, zone_code text, industry_code text, scale text, founded date, status text, address text, main_products jsonb, import_id bigint) on commit drop`,
          ),
        );
      } else {
        await this.tx.execute(
          sql.raw(
            `create temp table ${STAGE} on commit drop as select ${columns.map(ident).join(', ')} from ${target} limit 0`,
          ),
        );
      }
    }
    this.sink = await this.open();
  }

  /**
   * Ends the COPY in progress (the rows sent so far are stored) so that the transaction's connection
   * can take a query — the registry lookup of the next chunk of rows; the next row opens another COPY
   * into the same table. Rejects as finish does (ExistingRows on the direct path).
   */
  async pause(): Promise<void> {
    const sink = this.sink;
    if (!sink) return;
    try {
      await this.encode();
      await this.send();
      await sink.end();
    } catch (error) {
      this.fail(error);
    } finally {
      this.sink = null;
    }
  }

  /** Adds a row; answers a promise only when a chunk has to wait for the database (or a COPY opens). */
  add(row: GoodRow): Promise<void> | undefined {
    if (this.sink === null) {
      return this.open().then(async (sink) => {
        this.sink = sink;
        await this.add(row);
      });
    }
    if (this.tuples) {
      // a full chunk is sent first (the next one is written meanwhile, as lines are)
      const wait = this.used + this.tuples.maxBytes > this.buffer.length ? this.send() : undefined;
      const end = this.tuples.write(row, this.view, this.used);
      if (end >= 0) {
        this.used = end;
        this.written++;
        return wait;
      }
      // the binary COPY ends with the rows before this one; this row and the rest go as CSV lines
      this.tuples = null;
      return Promise.resolve(wait)
        .then(() => this.pause())
        .then(() => this.add(row));
    }
    this.text += this.line(row);
    this.written++;
    return this.text.length >= TEXT_UNITS ? this.encode() : undefined;
  }

  /** Encodes the lines held as text into the chunk; answers a promise when a full chunk had to be sent. */
  private encode(): Promise<void> | undefined {
    const text = this.text;
    if (text === '') return undefined;
    this.text = '';
    // UTF-8 takes at most 3 bytes per UTF-16 unit: send the chunk first when the text might not fit
    let wait: Promise<void> | undefined;
    if (this.used + text.length * 3 > this.buffer.length) {
      wait = this.send();
      if (text.length * 3 > this.buffer.length) {
        this.buffer = Buffer.allocUnsafe(text.length * 3);
        this.view = viewOf(this.buffer);
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
    return wait;
  }

  /**
   * Hands the rows so far to the COPY, so that the database stores them while the next chunk of the
   * file is read (a lookup then ends the COPY without waiting for a chunk of rows sent only then).
   */
  flush(): Promise<void> | undefined {
    if (!this.sink) return undefined;
    const full = this.encode();
    const rest = this.send();
    return full && rest ? Promise.all([full, rest]).then(() => undefined) : (full ?? rest);
  }

  /** Hands the bytes so far to the COPY and starts a new chunk. */
  private send(): Promise<void> | undefined {
    if (this.used === 0) return undefined;
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(this.chunkSize);
    this.view = viewOf(this.buffer);
    this.used = 0;
    const wait = this.sink!.write(chunk);
    return wait ? wait.catch((error: unknown) => this.fail(error)) : undefined;
  }

  private fail(error: unknown): never {
    if (this.mode === 'direct' && (error as { code?: string }).code === '23505')
      throw new ExistingRows('existing rows');
    throw error;
  }

  /** Ends the COPY and, for staging, merges into the fact table keeping replaced values in history. */
  async finish(): Promise<WriteCounts> {
    // (after a pause with no row since, nothing is open and nothing is left to send)
    await this.pause();
    if (this.mode === 'direct') {
      await this.tx.execute(sql`release savepoint import_direct`);
      return { inserted: this.written, replaced: 0, unchanged: 0 };
    }
    return this.kind === 'enterprises' ? this.mergeEnterprises() : this.mergeFacts();
  }

  /** A refused file or a failure: the COPY is abandoned (the transaction rolls back the rest). */
  async abort(): Promise<void> {
    this.used = 0;
    this.text = '';
    await this.sink?.abort();
  }

  /** After ExistingRows: undo the direct COPY so the pass can be run again through staging. */
  async abandon(): Promise<void> {
    await this.abort();
    await this.tx.execute(sql`rollback to savepoint import_direct`);
  }

  /**
   * One statement, one join of the staged rows with the fact table: each staged row is new, changed
   * or unchanged; a changed row's old values go to history, new and changed rows are written, and the
   * counts come back. Three statements (count, history, upsert) joined the million rows of a province's
   * re-import three times (EXPLAIN ANALYZE: 8 s + 41 s + 28 s at load ≈ 18), and the upsert locked every
   * unchanged row. The CTEs all read the snapshot from before the statement: history keeps the values
   * the upsert replaces. The joins get MERGE_WORK_MEM so that their hash tables stay in memory (at the
   * default 4 MB a million-row hash join spilled to disk in 32–64 batches).
   */
  private async mergeFacts(): Promise<WriteCounts> {
    const { table, keys, period } = KEYS[this.kind];
    const values = this.cols.values;
    const all = [...keys, ...values, 'import_id'];
    const on = keys.map((k) => `m.${ident(k)} = s.${ident(k)}`).join(' and ');
    const differs = values.length
      ? `(${values.map((v) => `m.${ident(v)}`).join(', ')}) is distinct from (${values.map((v) => `s.${ident(v)}`).join(', ')})`
      : 'false';
    const found = `m.${ident(keys[0]!)} is not null`;
    const set = [...values, 'import_id'].map((v) => `${ident(v)} = excluded.${ident(v)}`).join(', ');
    const [c] = await withWorkMem(this.tx, MERGE_WORK_MEM, () =>
      queryRows<{ inserted: number; replaced: number; unchanged: number }>(
        this.tx,
        sql.raw(`with staged as materialized (
            select ${all.map((k) => `s.${ident(k)}`).join(', ')},
              ${found} as cs_found, (${found} and ${differs}) as cs_changed,
              case when ${found} and ${differs} then to_jsonb(m) end as cs_old_values,
              m.import_id as cs_old_import_id, case when ${found} then ${period} end as cs_period
            from ${STAGE} s left join ${table} m on ${on}),
          history as (
            insert into import_replaced_values (import_id, kind, enterprise_id, period, old_import_id, old_values)
            select ${this.importId}, '${this.kind}', enterprise_id, cs_period, cs_old_import_id, cs_old_values
            from staged where cs_changed),
          written as (
            insert into ${table} (${all.map(ident).join(', ')})
            select ${all.map(ident).join(', ')} from staged where cs_changed or not cs_found
            on conflict (${keys.map(ident).join(', ')}) do update set ${set})
          select count(*) filter (where not cs_found)::int as inserted,
            count(*) filter (where cs_changed)::int as replaced,
            count(*) filter (where cs_found and not cs_changed)::int as unchanged
          from staged`),
      ),
    );
    return { inserted: c?.inserted ?? 0, replaced: c?.replaced ?? 0, unchanged: c?.unchanged ?? 0 };
  }

  private async mergeEnterprises(): Promise<WriteCounts> {
    const values = this.cols.values;
    const differs = `(${values.map((v) => `e.${ident(v)}`).join(', ')}) is distinct from (${values.map((v) => `s.${ident(v)}`).join(', ')})`;
    // fresh statistics of the staged rows: without them each join below is planned for a handful
    await this.tx.execute(sql.raw(`analyze ${STAGE}`));
    const industryChanged = await queryRows<{ id: number | string }>(
      this.tx,
      sql.raw(`select e.id from enterprises e join ${STAGE} s on s.uscc = e.uscc
        where e.industry_code is distinct from s.industry_code`),
    );
    await this.tx.execute(
      sql.raw(`insert into import_replaced_values (import_id, kind, enterprise_id, period, old_import_id, old_values)
        select ${this.importId}, 'enterprises', e.id, '', e.import_id, to_jsonb(e)
        from enterprises e join ${STAGE} s on s.uscc = e.uscc where ${differs}`),
    );
    const updated = await queryRows<{ id: number | string }>(
      this.tx,
      sql.raw(`update enterprises e set ${[...values, 'import_id'].map((v) => `${ident(v)} = s.${ident(v)}`).join(', ')}, updated_at = now()
        from ${STAGE} s where s.uscc = e.uscc and ${differs} returning e.id`),
    );
    const insertCols = ['uscc', ...values, 'import_id'];
    const created = await queryRows<{ id: number | string }>(
      this.tx,
      sql.raw(`insert into enterprises (${insertCols.map(ident).join(', ')})
        select ${insertCols.map((c) => `s.${ident(c)}`).join(', ')} from ${STAGE} s
        where not exists (select 1 from enterprises e where e.uscc = s.uscc) returning id`),
    );
    const createdIds = created.map((r) => Number(r.id));
    await syncClusters(this.tx, [...industryChanged.map((r) => Number(r.id)), ...createdIds]);
    // the counts follow from what was written: a file's USCCs are distinct (a repeat is an error), so
    // each staged row was created, updated (it differed) or left as it was
    return {
      inserted: createdIds.length,
      replaced: updated.length,
      unchanged: this.written - createdIds.length - updated.length,
      // the registry facts of these changed: what the facts-changed hooks refresh
      touched: [...updated.map((r) => Number(r.id)), ...createdIds],
    };
  }
}

/**
 * Industry-code based cluster membership follows each enterprise's current industry code (a code counts
 * toward a cluster when it or a GB/T 4754 ancestor is in cluster_industries, as clustersForIndustry
 * says); administrator overrides stay. Set-based: two statements whatever the number of enterprises.
 */
export async function syncClusters(tx: Db, enterpriseIds: readonly number[]): Promise<void> {
  if (enterpriseIds.length === 0) return;
  const today = new Date().toISOString().slice(0, 10);
  const ids = idArray(enterpriseIds);
  // the clusters each enterprise's code (or an ancestor: '3825', '382', '38') maps to
  const wanted = sql`select distinct e.id as enterprise_id, ci.cluster_code
    from enterprises e
    cross join lateral generate_series(2, length(e.industry_code)) as g(len)
    join cluster_industries ci on ci.industry_code = left(e.industry_code, g.len)
    where e.id = any(${ids})`;
  await tx.execute(sql`update enterprise_clusters ec set valid_to = ${today}::date
    where ec.enterprise_id = any(${ids}) and ec.valid_to is null and ec.basis = 'industry_code'
      and not exists (select 1 from (${wanted}) w where w.enterprise_id = ec.enterprise_id and w.cluster_code = ec.cluster_code)`);
  await tx.execute(sql`insert into enterprise_clusters (enterprise_id, cluster_code, basis, valid_from)
    select w.enterprise_id, w.cluster_code, 'industry_code', ${today}::date from (${wanted}) w
    where not exists (select 1 from enterprise_clusters ec
      where ec.enterprise_id = w.enterprise_id and ec.cluster_code = w.cluster_code and ec.valid_to is null)
    on conflict (enterprise_id, cluster_code, valid_from) do update set valid_to = null`);
}

// ---------------------------------------------------------------------------------------------
// Rollback
// ---------------------------------------------------------------------------------------------

/** Committed imports that replaced values this import wrote: they must be rolled back first. */
export async function laterImports(db: Db, importId: number): Promise<number[]> {
  const rows = await queryRows<{ id: number | string }>(
    db,
    sql`select distinct h.import_id as id from import_replaced_values h join imports i on i.id = h.import_id
        where h.old_import_id = ${importId} and i.status = 'committed' order by 1`,
  );
  return rows.map((r) => Number(r.id));
}

/** Imports whose facts stand on enterprises this registry import created. */
export async function dependentImports(db: Db, importId: number): Promise<number[]> {
  const rows = await queryRows<{ id: number | string }>(
    db,
    sql`with created as (
          select e.id from enterprises e where e.import_id = ${importId}
            and not exists (select 1 from import_replaced_values h where h.import_id = ${importId} and h.kind = 'enterprises' and h.enterprise_id = e.id))
        select distinct import_id as id from (
          select import_id from monthly_stats where enterprise_id in (select id from created)
          union select import_id from annual_inputs where enterprise_id in (select id from created)
          union select import_id from enterprise_tiers where enterprise_id in (select id from created)
          union select import_id from evaluation_flags where enterprise_id in (select id from created)) x
        where import_id is distinct from ${importId} order by 1`,
  );
  return rows.map((r) => (r.id === null ? 0 : Number(r.id)));
}

export interface RollbackEffect {
  removed: number;
  restored: number;
  months: string[];
  years: number[];
  enterpriseIds: number[];
}

export async function rollbackFacts(tx: Db, kind: ImportKind, importId: number): Promise<RollbackEffect> {
  const { table } = KEYS[kind];
  const touched = await queryRows<{ enterprise_id: number | string; period: string | null }>(
    tx,
    kind === 'enterprises'
      ? sql`select id as enterprise_id, null as period from enterprises where import_id = ${importId}`
      : sql.raw(
          `select enterprise_id, ${kind === 'monthly' ? `to_char(month, 'YYYY-MM')` : 'year::text'} as period from ${table} where import_id = ${importId}`,
        ),
  );
  const enterpriseIds = [...new Set(touched.map((t) => Number(t.enterprise_id)))];
  const periods = new Set(touched.map((t) => t.period).filter((p): p is string => p !== null));
  if (kind === 'enterprises') {
    const restored = await queryRows<{ id: number | string; industry_code: string }>(
      tx,
      sql`update enterprises e set uscc = r.uscc, name = r.name, region_code = r.region_code, town_code = r.town_code,
            zone_code = r.zone_code, industry_code = r.industry_code, scale = r.scale, founded = r.founded, status = r.status,
            address = r.address, main_products = r.main_products, import_id = r.import_id, updated_at = now()
          from import_replaced_values h cross join lateral jsonb_populate_record(null::enterprises, h.old_values) r
          where h.import_id = ${importId} and h.kind = 'enterprises' and e.id = h.enterprise_id returning e.id, e.industry_code`,
    );
    const removed = await queryRows<{ id: number | string }>(
      tx,
      sql`delete from enterprises e where e.import_id = ${importId}
          and not exists (select 1 from import_replaced_values h where h.import_id = ${importId} and h.kind = 'enterprises' and h.enterprise_id = e.id)
          returning e.id`,
    );
    const removedIds = removed.map((r) => Number(r.id));
    if (removedIds.length)
      await tx
        .delete(enterpriseClusters)
        .where(sql`${enterpriseClusters.enterpriseId} = any(${idArray(removedIds)})`);
    await syncClusters(
      tx,
      restored.map((r) => Number(r.id)),
    );
    return { removed: removedIds.length, restored: restored.length, months: [], years: [], enterpriseIds };
  }
  const removed = await queryRows<{ n: number }>(
    tx,
    sql.raw(
      `with d as (delete from ${table} where import_id = ${importId} returning 1) select count(*)::int as n from d`,
    ),
  );
  const overriding = kind === 'tiers' ? 'overriding system value' : '';
  const restored = await queryRows<{ n: number; period: string }>(
    tx,
    sql.raw(`with r as (insert into ${table} ${overriding} select (jsonb_populate_record(null::${table}, h.old_values)).*
        from import_replaced_values h where h.import_id = ${importId} and h.kind = '${kind}' returning 1)
      select count(*)::int as n from r`),
  );
  const restoredPeriods = await queryRows<{ period: string }>(
    tx,
    sql`select distinct period from import_replaced_values where import_id = ${importId}`,
  );
  for (const p of restoredPeriods) periods.add(p.period);
  const list = [...periods];
  return {
    removed: removed[0]?.n ?? 0,
    restored: restored[0]?.n ?? 0,
    months: kind === 'monthly' ? list.sort() : [],
    years:
      kind === 'annual' || kind === 'tiers' || kind === 'flags'
        ? [...new Set(list.map((p) => Number(p.split('/').pop())))].sort()
        : [],
    enterpriseIds,
  };
}

// ---------------------------------------------------------------------------------------------
// Reads for history and lineage
// ---------------------------------------------------------------------------------------------

export async function lineage(db: Db, importId: number) {
  const [replaced, replacedBy] = await Promise.all([
    queryRows<{ import_id: number | string | null; rows: number }>(
      db,
      sql`select old_import_id as import_id, count(*)::int as rows from import_replaced_values where import_id = ${importId} group by 1 order by 1 nulls first`,
    ),
    queryRows<{ import_id: number | string; rows: number }>(
      db,
      sql`select import_id, count(*)::int as rows from import_replaced_values where old_import_id = ${importId} group by 1 order by 1`,
    ),
  ]);
  return {
    replaced: replaced.map((r) => ({
      importId: r.import_id === null ? null : Number(r.import_id),
      rows: r.rows,
    })),
    replacedBy: replacedBy.map((r) => ({ importId: Number(r.import_id), rows: r.rows })),
  };
}
