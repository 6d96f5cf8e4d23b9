// Refreshing the monitoring rollups in set-based SQL: delete the affected months, insert them again
// grouped from the fact tables. Runs inside the caller's transaction (an import's, or the demo
// generator's), so figures and facts never disagree. Rules in docs/methodology.md ("Rollups").
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { executeCount, idArray, queryRows } from '../../db/client.ts';
import { withoutIndexes } from '../../db/without-indexes.ts';
import { clusterEnterpriseYtd, clusterRegionMonth, meta } from '../../db/schema.ts';
import { rewriteCells } from './rollup-cells.ts';
import { setLocal } from '../../db/set-local.ts';
import { copyYearInBulk, newBulkShared, type BulkShared } from './ytd-bulk.ts';
import { ROLLUP_VERSION_KEY, tellRollupsRefreshed } from './version.ts';
import { membershipHistory, registryRows } from '../enterprises/index.ts';
import { monthlyFactRows } from '../imports/index.ts';

export { onRollupsRefreshed, rollupVersion } from './version.ts';
// Reserved cluster codes of cluster_region_month (kept here: the readers import them from this file).
export { ALL_INDUSTRY, ANY_CLUSTER, INDUSTRIAL_SECTIONS, OTHER_INDUSTRY } from './rollup-cells.ts';
/** Reserved cluster code of cluster_enterprise_ytd: every enterprise with monthly facts. */
export const ALL_ENTERPRISES = '_all';

export interface FactsChange {
  /** months changed, 'YYYY-MM'; omitted (and no enterpriseIds) = everything */
  months?: readonly string[];
  /** enterprises whose registry facts (county, zone, scale, industry, membership) changed: all their months */
  enterpriseIds?: readonly number[];
  /** with `months`: the only firms whose monthly facts changed in them (a monthly import's firms) */
  firms?: readonly number[];
  /** told when each part of the refresh ends (an import's step breakdown) */
  lap?: (step: string) => void;
}

export interface RefreshResult {
  months: number | 'all';
  /** rows written to cluster_region_month */
  rows: number;
  /** rows written to cluster_enterprise_ytd */
  ytdRows: number;
  ms: number;
}

/**
 * Membership rows with `eff_from` null for an enterprise's earliest one, which also covers the months
 * before it was recorded (there is no earlier classification to respect). A row counts in month m
 * when `eff_from` is null or before the month's end, and `valid_to` is null or after it.
 */
const MEMBERSHIP = sql`select ec.enterprise_id, ec.cluster_code, ec.valid_to,
    case when ec.valid_from = min(ec.valid_from) over (partition by ec.enterprise_id) then null else ec.valid_from end as eff_from
  from ${membershipHistory()} ec
  where ec.cluster_code in (select code from clusters)`;
const memberInMonth = (m: SQL, month: SQL) =>
  sql`(${m}.eff_from is null or ${m}.eff_from < ${month} + interval '1 month')
    and (${m}.valid_to is null or ${m}.valid_to >= ${month} + interval '1 month')`;

async function affectedMonths(db: Db, change: FactsChange): Promise<string[] | null> {
  if (!change.months && !change.enterpriseIds) return null;
  const months = new Set((change.months ?? []).map((m) => `${m.slice(0, 7)}-01`));
  if (change.enterpriseIds?.length) {
    const rows = await queryRows<{ m: string }>(
      db,
      sql`select distinct to_char(month, 'YYYY-MM-DD') as m from ${monthlyFactRows()} ms
          where enterprise_id = any(${idArray(change.enterpriseIds)})`,
    );
    for (const r of rows) months.add(r.m);
  }
  return [...months].sort();
}

/**
 * Rebuilds cluster_region_month for the months a change touched (all months when `change` is
 * empty), and cluster_enterprise_ytd for what those changes reach. Call it inside the transaction
 * that changed the facts.
 */
export async function refreshClusterRollups(tx: Db, change: FactsChange = {}): Promise<RefreshResult> {
  const started = performance.now();
  // The refresh sorts a year of facts per firm: let it sort in memory (until the caller's transaction ends).
  await tx.execute(sql`set local work_mem = '64MB'`);
  // Bulk joins over whole months: a nested loop is never the right plan here, and an import's rows not
  // analysed yet (estimated at a handful) made the planner pick them — minutes instead of seconds.
  const [prev] = await queryRows<{ v: string }>(tx, sql`select current_setting('enable_nestloop') as v`);
  await tx.execute(sql`select set_config('enable_nestloop', 'off', true)`);
  // (on an error the transaction is aborted anyway: nothing to restore)
  const result = await refreshIn(tx, change, started);
  await tx.execute(sql`select set_config('enable_nestloop', ${prev?.v ?? 'on'}, true)`);
  return result;
}

async function refreshIn(tx: Db, change: FactsChange, started: number): Promise<RefreshResult> {
  const months = await affectedMonths(tx, change);
  if (months && months.length === 0)
    return { months: 0, rows: 0, ytdRows: 0, ms: performance.now() - started };
  // A monthly import (or its rollback) changes only its firms' facts: only their county × zone × scale
  // cells of those months are rewritten. Registry changes move firms between cells: whole months.
  const firms = months && change.firms && !change.enterpriseIds?.length ? change.firms : undefined;
  const rows = await rewriteCells(tx, { months, firms }, MEMBERSHIP, memberInMonth);
  change.lap?.('cluster_region_month');
  const ytdRows = await refreshEnterpriseYtd(tx, months ? change : null);
  change.lap?.('enterprise YTD');
  if (!months) {
    // A full rebuild replaces every row: fresh planner statistics keep the per-request reads on their indexes.
    await tx.execute(sql`analyze ${clusterRegionMonth}`);
    await tx.execute(sql`analyze ${clusterEnterpriseYtd}`);
  }
  await bumpRollupVersion(tx);
  return {
    months: months ? months.length : 'all',
    rows,
    ytdRows,
    ms: performance.now() - started,
  };
}

/**
 * Marks the monitoring answers stale without rebuilding anything: for facts the rollups do not hold
 * but the answers read (annual inputs behind the 亩均 targets). Inside the caller's transaction.
 */
export async function bumpRollupVersion(tx: Db): Promise<void> {
  const version = { at: new Date().toISOString(), nonce: Math.random().toString(36).slice(2) };
  await tx
    .insert(meta)
    .values({ key: ROLLUP_VERSION_KEY, value: version })
    .onConflictDoUpdate({ target: meta.key, set: { value: version } });
  tellRollupsRefreshed();
}

/**
 * Empties a rollup table for a full rebuild: truncate, not delete — no dead row left behind for every row
 * (a city's YTD table holds about a million), and at wal_level=minimal (PGlite, src/db/client.ts) the rows
 * written after it in the same transaction skip the WAL. Truncate locks the table until the caller's
 * transaction ends, so readers wait for the new figures instead of reading the old ones meanwhile.
 */
async function emptyTable(
  tx: Db,
  table: typeof clusterRegionMonth | typeof clusterEnterpriseYtd,
): Promise<void> {
  await tx.execute(sql`truncate ${table}`);
}

const monthDate = (m: string) => `${m.slice(0, 7)}-01`;
function nextMonth(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Rebuilds cluster_enterprise_ytd (docs/methodology.md, "Enterprise 1–N月累计"). A month's 累计 changes
 * with every earlier month of its year, so a changed month rebuilds the rest of its year (up to the
 * latest month on record); months on record that the table does not reach yet (a new latest month)
 * are built too; `enterpriseIds` rebuild all months of those enterprises. `change` null = everything.
 * Changed months alone are rebuilt incrementally (yearRanges).
 */
async function refreshEnterpriseYtd(tx: Db, change: FactsChange | null): Promise<number> {
  const [bounds] = await queryRows<{ latest: string | null; have: string | null }>(
    tx,
    sql`select (select to_char(max(month), 'YYYY-MM-DD') from ${monthlyFactRows()} ms) as latest,
      (select to_char(max(month), 'YYYY-MM-DD') from ${clusterEnterpriseYtd}) as have`,
  );
  const latest = bounds?.latest ?? null;
  const have = bounds?.have ?? null;
  if (!latest) {
    await emptyTable(tx, clusterEnterpriseYtd);
    return 0;
  }
  if (!change) await emptyTable(tx, clusterEnterpriseYtd);
  if (change && have && !change.enterpriseIds?.length) {
    // months only (a monthly import or its rollback): each year from its earliest changed month on
    // rows past the latest month (its facts rolled back) only when the table reaches beyond it: the statement
    // itself scanned the newest year's partition (half a million rows at province scale) to find none
    if (have > latest)
      await tx.execute(sql`delete from ${clusterEnterpriseYtd} y where y.month > ${latest}::date`);
    const ranges = yearRanges(change, have, latest);
    await ensureYtdPartitions(
      tx,
      ranges.map((r) => Number(r.year.slice(0, 4))),
    );
    let n = 0;
    // (the years written in bulk read the codes, the scales and the memberships once for all of them)
    const shared = newBulkShared();
    for (const r of ranges) {
      // many rows for the year: its partition is written without an index and indexed alone afterwards
      const part = (await manyYtdRows(tx, r, change.firms)) ? await detachYear(tx, r.year) : null;
      n += await rebuildYtdRange(tx, r, change.firms, part, shared);
      await part?.attach();
    }
    return n;
  }
  await ensureYtdPartitions(tx, await factYears(tx, latest));
  let target: SQL; // the rows rebuilt, on alias y
  let base: SQL; // the facts they need, on alias ms
  if (!change || !have) {
    target = sql`true`;
    base = sql`true`;
  } else {
    const ranges = yearRanges(change, have, latest);
    const ids = change.enterpriseIds?.length ? idArray(change.enterpriseIds) : null;
    const or = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` or `) : sql`false`);
    target = or([
      ...ranges.map((r) => sql`(y.month between ${r.start}::date and ${r.end}::date)`),
      ...(ids ? [sql`y.enterprise_id = any(${ids})`] : []),
    ]);
    base = or([
      ...ranges.map((r) => sql`(ms.month between ${r.year}::date and ${r.end}::date)`),
      ...(ids ? [sql`ms.enterprise_id = any(${ids})`] : []),
    ]);
  }
  if (change)
    await tx.execute(sql`delete from ${clusterEnterpriseYtd} y where ${target} or y.month > ${latest}::date`);
  // an emptied table: every row is new, its indexes are built once at the end
  const buildIndexes = change ? null : await withoutIndexes(tx, YTD_TABLE);
  const n = await executeCount(
    tx,
    sql`with facts as (
        select ms.enterprise_id, ms.month, ms.output_value from ${monthlyFactRows()} ms where ${base}
      ),
      firsts as (
        select enterprise_id, date_trunc('year', month)::date as y, min(month) as first from facts group by 1, 2
      ),
      grid as (
        select f.enterprise_id, g.m::date as month
        from firsts f cross join lateral generate_series(f.first::timestamp,
          least(f.y + interval '11 months', ${latest}::date)::timestamp, interval '1 month') as g(m)
      ),
      ytd as (
        select g.enterprise_id, g.month, sum(f.output_value) over (
            partition by g.enterprise_id, date_trunc('year', g.month) order by g.month) as v
        from grid g left join facts f on f.enterprise_id = g.enterprise_id and f.month = g.month
      ),
      kept as (
        select y.enterprise_id, y.month, y.v, e.scale
        from ytd y join ${registryRows()} e on e.id = y.enterprise_id
        where y.v > 0 and (${target})
      ),
      ${insertKept(!buildIndexes)}`,
  );
  await buildIndexes?.();
  return n;
}

const YTD_TABLE = 'cluster_enterprise_ytd';
/** Memory for sorting a year's rows written in bulk (rebuildYtdRange) and for building its index (detachYear). */
const BULK_WORK_MEM = '192MB';
/** Below this many facts the indexes are kept up to date row by row whatever the partition holds (no lock). */
const BULK_FACTS = 20_000;
/** The partition of a year (the migration 0035_ytd_partitions and ensureYtdPartitions name them so). */
const yearPartition = (year: number | string) => `${YTD_TABLE}_y${String(year).slice(0, 4)}`;
const YTD_DEFAULT = `${YTD_TABLE}_default`;

/**
 * Whether a year range holds many facts (BULK_FACTS) beside the rows its year's partition holds (an eighth or
 * more): then writing its rows without an index and building the partition's index once is cheaper than keeping
 * it up to date row by row (a province's first twenty months: 1.2 million rows, each a descent into a
 * five-column index). Only the year's partition is rebuilt: the other years' rows are not read again.
 */
async function manyYtdRows(tx: Db, r: YearRange, firms: readonly number[] | undefined): Promise<boolean> {
  // Only the firms' rows are rebuilt (rebuildYtdRange's `only`): a year of theirs holds 12 facts a firm at
  // most. Counted over every firm, a correction of a few rows of an older month found a province's year and
  // detached it to build its index again: ≈ 1.2–2 s of an import of 6 rows (issue 13).
  if (firms && !r.beyond && firms.length * 12 < BULK_FACTS) return false;
  // The facts are counted only up to the number that decides it (the answer is the same): a province's
  // 20-month import counted 600,000 and 400,000 of them, 0.3 s of the step. Taken from the month index in its
  // order: a sequential scan (the plan chosen without the order) read every older month's rows first, 660,000
  // at province scale (0.15 s a year), and stopping part-way left PostgreSQL's synchronised-scan position in
  // the middle of the facts, where the next sequential scan of them started (rewriteCells: its sums' order).
  const [row] = await queryRows<{ facts: number; rows: number }>(
    tx,
    sql`with part as (
        select coalesce((select greatest(reltuples, 0) from pg_class where oid = to_regclass(${yearPartition(r.year)})), 0)::float8 as rows
      )
      select (select count(*) from (
          select ms.month from ${monthlyFactRows()} ms where ms.month between ${r.start}::date and ${r.end}::date
          order by ms.month
          limit (select greatest(${BULK_FACTS}::float8, ceil(rows / 8))::bigint from part)
        ) enough)::float8 as facts,
        (select rows from part) as rows`,
  );
  return Boolean(row && row.facts >= BULK_FACTS && row.facts * 8 >= row.rows);
}

/** The years from the earliest month of monthly facts to the latest one (`latest`): what a whole rebuild writes. */
async function factYears(tx: Db, latest: string): Promise<number[]> {
  const [row] = await queryRows<{ first: string | null }>(
    tx,
    sql`select to_char(min(month), 'YYYY') as first from ${monthlyFactRows()} ms`,
  );
  const years: number[] = [];
  for (let y = Number(row?.first ?? latest.slice(0, 4)); y <= Number(latest.slice(0, 4)); y++) years.push(y);
  return years;
}

/**
 * Creates the partitions of these years that do not exist yet, inside the caller's transaction (a rollback
 * takes them away again). A new partition is made as a plain table and attached: any rows of its year that
 * the DEFAULT partition holds (none unless written before their partition existed) move into it first, so
 * creating it never fails. Locks: ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE on the table (readers go on
 * reading; another import waits for this one's transaction, as it does anyway: imports take the data lock)
 * and ACCESS EXCLUSIVE on the new partition and the DEFAULT one until the transaction ends — readers of the
 * YTD wait then, for the new year's figures, as after a full rebuild. Only years with no partition pay it: an
 * import into years on record takes no lock here.
 */
async function ensureYtdPartitions(tx: Db, years: readonly number[]): Promise<void> {
  if (!years.length) return;
  const missing = await queryRows<{ y: number }>(
    tx,
    sql`select y from unnest(${sql.raw(`array[${[...new Set(years)].map((y) => Math.trunc(y)).join(',')}]::int[]`)}) y
        where to_regclass(${YTD_TABLE}::text || '_y' || y) is null order by y`,
  );
  for (const { y } of missing) {
    const part = sql.identifier(yearPartition(y));
    const from = `${String(y).padStart(4, '0')}-01-01`;
    const to = `${String(y + 1).padStart(4, '0')}-01-01`;
    await tx.execute(sql`create table ${part} (like ${clusterEnterpriseYtd})`);
    await tx.execute(
      sql`with moved as (
          delete from ${sql.identifier(YTD_DEFAULT)} d where d.month >= ${from}::date and d.month < ${to}::date
          returning d.cluster_code, d.month, d.enterprise_id, d.scale, d.output_ytd
        )
        insert into ${part} (cluster_code, month, enterprise_id, scale, output_ytd) select * from moved`,
    );
    await tx.execute(
      sql`alter table ${clusterEnterpriseYtd} attach partition ${part} for values from (${sql.raw(`'${from}'`)}) to (${sql.raw(`'${to}'`)})`,
    );
  }
}

/**
 * Detaches a year's partition and drops its index, for rows written in bulk; `attach` builds that index on the
 * partition alone and attaches it again (PostgreSQL takes the built index as the partition's part of the
 * table's index: no second build). The statements in between name the partition itself (`table`): detached,
 * its rows are not the table's. Locks: DETACH PARTITION takes ACCESS EXCLUSIVE on the table and the partition
 * until the import's transaction ends, so readers of the YTD wait for the new figures instead of reading the
 * old ones meanwhile (as when the table's index was dropped before partitioning). ATTACH would scan the
 * partition to check its rows lie in the year; a CHECK constraint of the year, added while the partition holds
 * only the rows it held (none, for a new year) and checked on each row written, spares that scan of the rows
 * written in bulk (PostgreSQL skips it when a valid constraint implies the bound), and is dropped once attached.
 * A rollback undoes all of it.
 */
async function detachYear(
  tx: Db,
  year: string,
): Promise<{ table: SQL; name: string; attach: () => Promise<void> }> {
  const y = Number(year.slice(0, 4));
  const name = yearPartition(y);
  const table = sql`${sql.identifier(name)}`;
  const from = `${String(y).padStart(4, '0')}-01-01`;
  const to = `${String(y + 1).padStart(4, '0')}-01-01`;
  const inYear = sql.identifier(`${name}_in_year`);
  await tx.execute(sql`alter table ${clusterEnterpriseYtd} detach partition ${table}`);
  await tx.execute(
    sql`alter table ${table} add constraint ${inYear} check (month >= ${sql.raw(`'${from}'`)}::date and month < ${sql.raw(`'${to}'`)}::date)`,
  );
  const buildIndexes = await withoutIndexes(tx, name);
  return {
    table,
    name,
    attach: async () => {
      // The index's sort in memory: at the default 64 MB, shared by the build's workers, a province's year
      // (745,812 rows) spilled to disk and was merged again. And in this process alone: the rows come in the
      // index's order (copyYearInBulk, insertYearInBulk), so the sort is a linear check, and the workers only
      // added their start, their sorted runs written to temporary files (10–14 MB each) and the leader's merge
      // of them: a province's 2025 (745,812 rows) took 245–383 ms with two workers, 235–295 ms without (wall;
      // the workers' CPU on top). For the build only.
      const restore = await setLocal(tx, {
        maintenance_work_mem: BULK_WORK_MEM,
        max_parallel_maintenance_workers: '0',
      });
      await buildIndexes();
      await restore();
      await tx.execute(
        sql`alter table ${clusterEnterpriseYtd} attach partition ${table} for values from (${sql.raw(`'${from}'`)}) to (${sql.raw(`'${to}'`)})`,
      );
      await tx.execute(sql`alter table ${table} drop constraint ${inYear}`);
    },
  };
}

/**
 * Writes the rows of CTE `kept` (enterprise_id, month, v, scale) under `_all` and each cluster of the month.
 * With `indexed` false (the table's indexes are built after the rows), ordered by month alone: a month's
 * rows on pages of their own, without a sort on every key of an index that is not there. The last CTE and the
 * insert itself: run with executeCount (the driver's count of rows written; a `returning` kept every row for it).
 */
const insertKept = (
  indexed = true,
  table: SQL | typeof clusterEnterpriseYtd = clusterEnterpriseYtd,
) => sql`mem as (${MEMBERSHIP})
      insert into ${table} (cluster_code, month, enterprise_id, scale, output_ytd)
        select ${ALL_ENTERPRISES}::text, k.month, k.enterprise_id, k.scale, k.v from kept k
        union all
        select distinct m.cluster_code, k.month, k.enterprise_id, k.scale, k.v
          from kept k join mem m on m.enterprise_id = k.enterprise_id and ${memberInMonth(sql`m`, sql`k.month`)}
        -- in the index's order: each row lands beside the previous one (a new month at the index's right
        -- edge) instead of on a page found by a descent from the root for every row
        ${indexed ? sql`order by 2, 1, 4, 5 desc, 3` : sql`order by 2`}`;

interface YearRange {
  /** January of the year, the earliest month rebuilt and the last one (December or the latest month) */
  year: string;
  start: string;
  end: string;
  /** whether the range reaches months the table held nothing for yet (every firm's 累计 carries into them) */
  beyond: boolean;
}

/** Per year, the months a change rebuilds: its earliest changed month to December or the latest month. */
function yearRanges(change: FactsChange, have: string, latest: string): YearRange[] {
  const months = new Set((change.months ?? []).map(monthDate));
  for (let m = nextMonth(have); m <= latest; m = nextMonth(m)) months.add(m);
  const startOfYear = new Map<string, string>();
  for (const m of months) {
    const y = m.slice(0, 4);
    if (m <= latest && (!startOfYear.has(y) || m < startOfYear.get(y)!)) startOfYear.set(y, m);
  }
  return [...startOfYear].map(([y, start]) => {
    const end = `${y}-12-01` < latest ? `${y}-12-01` : latest;
    return { year: `${y}-01-01`, start, end, beyond: end > have };
  });
}

/**
 * Incremental 累计 of one year's months start … end: the month before `start` is unchanged (start is the
 * year's earliest changed month), so each firm's stored `_all` row there is the base and only the facts
 * of start … end are read — a new month reads one month of facts, not the year's. Without a stored row
 * the base is nothing (no report yet, or a sum that was not positive: outputs are never negative).
 * Firms: only these firms' facts changed; used when the range reaches no month the table lacks (there,
 * every firm's 累计 carries into the new months).
 */
async function rebuildYtdRange(
  tx: Db,
  r: YearRange,
  firms: readonly number[] | undefined,
  part: { table: SQL; name: string } | null,
  shared?: BulkShared,
): Promise<number> {
  // the rows are written to the table, or to the year's partition detached without an index (detachYear)
  const detached = part?.table ?? null;
  const table = detached ?? clusterEnterpriseYtd;
  const only = firms && !r.beyond ? idArray(firms) : null;
  const onlyY = only ? sql`and y.enterprise_id = any(${only})` : sql``;
  const onlyMs = only ? sql`and ms.enterprise_id = any(${only})` : sql``;
  await tx.execute(
    sql`delete from ${table} y where y.month between ${r.start}::date and ${r.end}::date ${onlyY}`,
  );
  // the base month: the one before start, in the same year (none when start is January)
  const prev = r.start > r.year ? sql`(${r.start}::date - interval '1 month')::date` : sql`null::date`;
  // Written in bulk, the facts are sorted by firm and month in memory (62 MB for a province's year), and a range
  // after January sorts its rows by month (insertKept: a province's year, 745,812 rows, needs 83 MB in memory;
  // at the refresh's 64 MB it spilled to disk, 0.4 s of merging). For this statement only.
  const restore = detached ? await setLocal(tx, { work_mem: BULK_WORK_MEM }) : null;
  // From January there is no base: the running sums are the 累计 themselves, and the facts are read once (a CTE
  // read once is not materialised; a province's new year: 600,000 facts not copied into a tuplestore and out).
  const fromJanuary = r.start === r.year;
  // No parallel workers: PostgreSQL gives none to a statement that writes (the insert's CTEs included). A
  // CREATE TABLE … AS may scan and sort the facts in workers (Gather Merge keeps each firm's months in order,
  // so the running sums would be the same), but at province scale, forced, they added ≈ 0.6 s of CPU a year
  // and spared the backend none, and the rows copied on from such a table cost 1.3–2.3 s more (issue 13).
  // a range from January written in bulk (a province's new year): by COPY on a server, month by month on PGlite
  if (fromJanuary && part) {
    const n = await writeYearInBulk(tx, r, firms && !r.beyond ? firms : null, part, shared);
    await restore?.();
    return n;
  }
  const base = sql`base as (
        select y.enterprise_id, y.output_ytd as b from ${table} y
        where y.month = ${prev} and y.cluster_code = ${ALL_ENTERPRISES} ${onlyY}
      ),`;
  const n = await executeCount(
    tx,
    sql`with ${fromJanuary ? sql`` : base}
      facts as (
        select ms.enterprise_id, ms.month, ms.output_value from ${monthlyFactRows()} ms
        where ms.month between ${r.start}::date and ${r.end}::date ${onlyMs}
      ),
      -- each report's running sum, carried to the month before the firm's next report (or the range's end):
      -- one pass over the facts in firm and month order, instead of a grid of every firm's months joined
      -- back to the facts
      run as (
        select f.enterprise_id, f.month, sum(f.output_value) over w as s,
               coalesce(lead(f.month) over w - interval '1 month', ${r.end}::date) as last
        from facts f window w as (partition by f.enterprise_id order by f.month)
      ),
      ${fromJanuary ? januaryYtd : baseYtd(r)}
      kept as (
        select y.enterprise_id, y.month, y.v, e.scale
        from ytd y
        -- only these firms: their registry rows by key, not a hash of the whole registry (220,000 at province
        -- scale) for a file of a few thousand firms
        join ${registryRows()} e on e.id = y.enterprise_id ${only ? sql`and e.id = any(${only})` : sql``}
        where y.v > 0
      ),
      ${insertKept(!detached, table)}`,
  );
  await restore?.();
  return n;
}

/** CTE `ytd` (enterprise_id, month, v) of a range from January: each report's running sum over its months. */
const januaryYtd = sql`ytd as (
        select enterprise_id, generate_series(month::timestamp, last, interval '1 month')::date as month, s as v
        from run
      ),`;

/** CTE `ytd` of a range after January: the stored base (CTE `base`, the month before start) plus the range's sums. */
const baseYtd = (r: YearRange) => sql`sums as (
        select enterprise_id, generate_series(month::timestamp, last, interval '1 month')::date as month, s
        from run
        union all
        -- a stored base carried from start up to the firm's first report in the range (or to its end)
        select b.enterprise_id, generate_series(${r.start}::timestamp,
            coalesce(ff.first - interval '1 month', ${r.end}::date), interval '1 month')::date, null
        from base b left join (select enterprise_id, min(month) as first from facts group by 1) ff
          on ff.enterprise_id = b.enterprise_id
        where ff.first is null or ff.first > ${r.start}::date
      ),
      ytd as (
        select y.enterprise_id, y.month, case when b.b is null then y.s else b.b + coalesce(y.s, 0) end as v
        from sums y left join base b on b.enterprise_id = y.enterprise_id
      ),`;

/**
 * The rows of a range from January written in bulk into a year's partition detached without its index: on a
 * PostgreSQL server summed in this process and written back by one binary COPY (copyYearInBulk: a WAL record a
 * page, not a row), on PGlite by one statement (insertYearInBulk). The same rows either way. Measured on a
 * province's 2025 (745,812 rows, into a table created in the transaction, load 5–10 on 2 cores): the statement
 * 4.6 s of backend CPU; the COPY path 1.3–1.5 s of backend CPU and 1.5–1.8 s of Node CPU (issue 13).
 */
async function writeYearInBulk(
  tx: Db,
  r: YearRange,
  firms: readonly number[] | null,
  part: { table: SQL; name: string },
  shared?: BulkShared,
): Promise<number> {
  const months: string[] = [];
  for (let m = r.start; m <= r.end; m = nextMonth(m)) months.push(m);
  const copied = await copyYearInBulk(tx, {
    months,
    allCode: ALL_ENTERPRISES,
    only: firms,
    table: part.name,
    membership: MEMBERSHIP,
    shared,
  });
  return copied ?? insertYearInBulk(tx, r, firms ? idArray(firms) : null, part.table);
}

/**
 * The rows of a range from January written in bulk (a year's partition detached without an index) on PGlite (a
 * server takes copyYearInBulk, writeYearInBulk), month after month: no sort of the range's rows by month
 * (insertKept sorted a province's 745,812 rows of a year, a third of the statement) while a month's rows still
 * lie together on their pages. Each firm's 累计 of the range's months are one array (element k: its facts from January to the range's k-th month), each sum adding the firm's facts in
 * month order as the running sums of rebuildYtdRange do (the facts sorted first: the same additions in the same
 * order, equal to the last bit); a month with no report carries the sum of the months before it, and the months
 * before the firm's first report have none (null: not kept). Then the months are written one by one from the
 * firms' arrays (50,000 rows for a province's file) and their clusters' copies, joined once. Each month's rows are
 * sorted in the partition's index order (by the codes' and scales' ranks, not their text): the index built next
 * (detachYear) finds its input in order (PostgreSQL's sort checks that first) instead of ordering it by text under
 * the collation. Measured on a province's year (745,812 rows, backend CPU, index built in one process): the
 * index build 1.1–2.3 s → 0.3–0.6 s, the statement 0.3–0.9 s more for its sorts; 0.4–1.1 s less in all.
 */
async function insertYearInBulk(tx: Db, r: YearRange, only: SQL | null, table: SQL): Promise<number> {
  const months: string[] = [];
  for (let m = r.start; m <= r.end; m = nextMonth(m)) months.push(m);
  const sums = sql.join(
    months.map((m) => sql`sum(f.output_value) filter (where f.month <= ${m}::date)`),
    sql`, `,
  );
  const monthList = sql.join(
    months.map((m) => sql`${m}::date`),
    sql`, `,
  );
  return executeCount(
    tx,
    sql`with facts as (
        select ms.enterprise_id, ms.month, ms.output_value from ${monthlyFactRows()} ms
        where ms.month between ${r.start}::date and ${r.end}::date
          ${only ? sql`and ms.enterprise_id = any(${only})` : sql``}
        -- each firm's facts in month order: the order its sums add them in
        order by ms.enterprise_id, ms.month
      ),
      firms as (
        select s.enterprise_id, s.v, e.scale
        from (select f.enterprise_id, array[${sums}] as v from facts f group by f.enterprise_id) s
        join ${registryRows()} e on e.id = s.enterprise_id ${only ? sql`and e.id = any(${only})` : sql``}
      ),
      mem as (${MEMBERSHIP}),
      -- the codes and the scales numbered in their text order (the index's collation): a month's rows are sorted
      -- by these small integers, not by text compared under the collation for every pair of rows
      code_ranks as (
        select code, (row_number() over (order by code))::int as r
        from (select cluster_code as code from mem union select ${ALL_ENTERPRISES}::text) c
      ),
      scale_ranks as (
        select scale, (row_number() over (order by scale))::int as r from (select distinct scale from firms) s
      ),
      ranked as (
        select f.enterprise_id, f.v, f.scale, s.r as sr from firms f join scale_ranks s using (scale)
      ),
      -- (read again for every month: joined once)
      firm_mem as materialized (
        select f.enterprise_id, f.v, f.scale, f.sr, m.cluster_code, c.r as cr, m.eff_from, m.valid_to
        from ranked f join mem m on m.enterprise_id = f.enterprise_id join code_ranks c on c.code = m.cluster_code
      )
      insert into ${table} (cluster_code, month, enterprise_id, scale, output_ytd)
      select x.cluster_code, k.month, x.enterprise_id, x.scale, x.v
      from unnest(array[${monthList}]) with ordinality as k(month, i)
      cross join lateral (
        select x.* from (
          select (select r from code_ranks where code = ${ALL_ENTERPRISES}) as cr, f.sr,
                 ${ALL_ENTERPRISES}::text as cluster_code, f.enterprise_id, f.scale, f.v[k.i] as v
            from ranked f where f.v[k.i] > 0
          union all
          select distinct m.cr, m.sr, m.cluster_code, m.enterprise_id, m.scale, m.v[k.i]
            from firm_mem m where m.v[k.i] > 0 and ${memberInMonth(sql`m`, sql`k.month`)}
        ) x
        -- each month's rows in the order of the partition's index (month, code, scale, 累计 desc, firm): the index
        -- built afterwards finds its input sorted already (a linear check instead of a sort under the collation)
        order by x.cr, x.sr, x.v desc, x.enterprise_id
      ) x`,
  );
}
