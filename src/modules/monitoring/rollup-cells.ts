// cluster_region_month from the facts (issue 13): each fact row is tagged once with every code it counts for
// (its clusters of the month, `_clusters`, `_industry`, `_other`). The sums come from one hash aggregate over
// the rows listed under each of their codes, in the facts' order (floating-point sums equal to the last bit
// whatever else changes). The two largest firms per measure are exact in any grouping, so they are found
// in two levels: per county × zone × scale × month × set of codes (each fact row compared once, not once
// per code: a firm counts for two or three codes), the second largest by a second aggregate joined to the
// group's maximum (the largest below it, or the maximum again when two firms share it) over the few rows
// that can be it (at or above a floor the first pass finds), then the groups' two largest combined per
// cell. No sort per measure and cell.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { idArray, queryRows, textArray } from '../../db/client.ts';
import { setLocal } from '../../db/set-local.ts';
import { clusterRegionMonth } from '../../db/schema.ts';
import { registryRows } from '../enterprises/index.ts';
import { monthlyFactRows } from '../imports/index.ts';

/** Reserved cluster codes of cluster_region_month. */
export const ANY_CLUSTER = '_clusters';
export const ALL_INDUSTRY = '_industry';
/** Industrial enterprises in no cluster: the "other industry" remainder (industry minus the clusters). */
export const OTHER_INDUSTRY = '_other';
/** GB/T 4754 sections counted as 工业 (mining, manufacturing, utilities). */
export const INDUSTRIAL_SECTIONS = ['B', 'C', 'D'] as const;

/** The measures whose two largest firms are kept: column prefix and the value ranked (profit by |profit|). */
const RANKED: readonly [string, (t: string) => string][] = [
  ['output', (t) => `${t}output_value`],
  ['revenue', (t) => `${t}revenue`],
  ['profit', (t) => `abs(${t}profit)`],
  ['tax', (t) => `${t}tax`],
  ['energy_tce', (t) => `${t}energy_tce`],
  ['electricity', (t) => `${t}electricity`],
  ['employees', (t) => `${t}employees`],
  ['export_value', (t) => `${t}export_value`],
];
/** The cells' columns, and the same key inside the statement: code, group (county × zone × scale) and month ids. */
const KEY = 'cluster_code, region_code, zone_code, scale, month';
const CELL = 'cid, gid, month';
const CELL_OF_C = 'c.cid, c.gid, c.month';
/** The summed columns and their aggregates (counts as int). */
const SUMMED: readonly [string, string][] = [
  ['output_value', 'sum(output_value)'],
  ['revenue', 'sum(revenue)'],
  ['profit', 'sum(profit)'],
  ['tax', 'sum(tax)'],
  ['energy_tce', 'sum(energy_tce)'],
  ['electricity', 'sum(electricity)'],
  ['employees', 'sum(employees)'],
  ['export_value', 'sum(export_value)'],
  ['enterprises', 'count(*)'],
  ['output_reporters', 'count(output_value)'],
  ['profit_abs', 'sum(abs(profit))'],
];
const COUNTS = new Set(['enterprises', 'output_reporters']);
/** The sums of the rows (those passing `filter`), as columns named with `prefix`. */
const sums = (filter?: string, prefix = '') =>
  SUMMED.map(
    ([c, a]) =>
      `${filter ? `(${a} filter (where ${filter}))` : a}${COUNTS.has(c) ? '::int' : ''} as ${prefix}${c}`,
  ).join(', ');
const MAXIMA = RANKED.map(([p, v]) => `max(${v('')}) as ${p}_top1`).join(', ');
// a group's largest from its halves' largest; the smaller of the two is a floor under the group's second
// largest (two different firms reach it), none when a half has no value
const HALVES_MAXIMA = RANKED.map(
  ([p]) =>
    `max(${p}_top1) as ${p}_top1, case when count(${p}_top1) = 2 then min(${p}_top1) end as ${p}_floor`,
).join(', ');
// the rows that can be a group's largest or second largest for some measure: at or above its floor
const NEAR_TOP = RANKED.map(([p, v]) => `a.${p}_floor is null or ${v('c.')} >= a.${p}_floor`).join(
  '\n          or ',
);
// what a sorted list's second element needs: how many firms are at the maximum, and the largest below it
const SECONDS = RANKED.map(
  ([p, v]) => `count(*) filter (where ${v('c.')} = a.${p}_top1) as ${p}_ties,
      max(${v('c.')}) filter (where ${v('c.')} < a.${p}_top1) as ${p}_below`,
).join(',\n');
/** A first-level group: the cells' key without the code, with the set of codes its rows count for (`tag`). */
const PART_KEY = 'gid, month, tag';
const PART_KEY_OF_C = 'c.gid, c.month, c.tag';
// the second element: the maximum again when two firms share it, else the largest below it
const PART_TOPS = RANKED.map(
  ([p]) => `p.${p}_top1, case when ${p}_ties > 1 then p.${p}_top1 else ${p}_below end as ${p}_top2`,
).join(', ');
const CELL_MAXIMA = RANKED.map(([p]) => `max(${p}_top1) as ${p}_top1`).join(', ');
// the second of the groups' two largest together: the maximum again when two firms share it (two groups
// at it, or one whose second is it too), else the largest below it among the groups' firsts and seconds
const CELL_SECONDS = RANKED.map(
  ([p]) => `case when count(*) filter (where c.${p}_top1 = a.${p}_top1)
        + count(*) filter (where c.${p}_top2 = a.${p}_top1) > 1 then min(a.${p}_top1)
      else greatest(max(c.${p}_top1) filter (where c.${p}_top1 < a.${p}_top1),
        max(c.${p}_top2) filter (where c.${p}_top2 < a.${p}_top1)) end as ${p}_top2`,
).join(',\n');
const COLUMNS = `output_value, revenue, profit, tax, energy_tce, electricity, employees, export_value,
  enterprises, output_reporters, profit_abs, ${RANKED.map(([p]) => `${p}_top1, ${p}_top2`).join(', ')}`;

/** Which cells a refresh rewrites: months, and optionally only the county × zone × scale groups of some firms. */
export interface CellScope {
  /** 'YYYY-MM-DD' first days; null = every month */
  months: readonly string[] | null;
  /**
   * Firms whose monthly facts alone changed (registry unchanged): only the cells of their county × zone ×
   * scale in those months are rewritten, from every firm's facts there. Omitted: the whole months.
   */
  firms?: readonly number[];
}

/**
 * Deletes the cells in scope and writes them again from the facts, inside the caller's transaction.
 * Membership as at each month's end (`membership`: the MEMBERSHIP relation, `inMonth` its condition).
 */
export async function rewriteCells(
  tx: Db,
  scope: CellScope,
  membership: SQL,
  inMonth: (m: SQL, month: SQL) => SQL,
): Promise<number> {
  const monthList = scope.months
    ? sql.join(
        scope.months.map((m) => sql`${m}::date`),
        sql`, `,
      )
    : null;
  const inMonths = (col: SQL) => (monthList ? sql`${col} in (${monthList})` : sql`true`);
  const groups = scope.firms ? await groupsOf(tx, scope.firms) : null;
  const reporting = monthList && smallScope(scope) ? await firmsReporting(tx, inMonths) : null;
  // (zone: '' for none, as in the cells)
  const inGroups = (region: SQL, zone: SQL, scale: SQL) =>
    groups
      ? sql`and (${region}, ${zone}, ${scale}) in
          (select * from unnest(${textArray(groups.map((g) => g.region))}, ${textArray(groups.map((g) => g.zone))},
            ${textArray(groups.map((g) => g.scale))}))`
      : sql``;
  if (!monthList && !groups) await tx.execute(sql`truncate ${clusterRegionMonth}`);
  else
    await tx.execute(
      sql`delete from ${clusterRegionMonth} d where ${inMonths(sql`d.month`)} ${inGroups(sql`d.region_code`, sql`d.zone_code`, sql`d.scale`)}`,
    );
  const sections = sql.join(
    INDUSTRIAL_SECTIONS.map((s) => sql`${s}`),
    sql`, `,
  );
  // The facts in their order. For the reporting firms only, the registry side may be the smaller one and
  // the planner may hash the facts instead (their order lost): they are numbered as read and put back in
  // that order, a sort of a small file's months.
  const facts = reporting
    ? sql`(select row_number() over () as seq, f0.* from ${monthlyFactRows()} f0 where ${inMonths(sql`f0.month`)})`
    : monthlyFactRows();
  // (the reporting firms' registry rows are read by three parts of the statement: listed once)
  // Hash joins and hash aggregates only: the planner cannot count a CTE's groups (it guessed 100,000 cells
  // for 2,000) and chose sorts of every row by five keys for the second pass, a sort per join.
  // And the facts read from their first page: with synchronised scans PostgreSQL starts a sequential scan of a
  // big table where the last one of it stood (another session's, or one stopped by a limit), so the sums'
  // additions, in the facts' order, would depend on what read the facts before (their last bits did).
  // And the tagged rows kept in memory: they take about 144 bytes each there (a 1,000,000-row month range
  // about 144 MB), past the refresh's 64 MB, which wrote them to a temporary file (100 MB) and read it back
  // in every later pass; in memory the statement costs 0.15–0.2 s less backend CPU (of about 3 s).
  const restore = await setLocal(tx, {
    enable_mergejoin: 'off',
    enable_sort: 'off',
    synchronize_seqscans: 'off',
    work_mem: '256MB',
  });
  const rows = await queryRows<{ n: number }>(
    tx,
    sql`with reg as ${reporting ? sql`materialized` : sql`not materialized`} (
        select e.id, e.region_code, coalesce(e.zone_code, '') as zone_code, e.scale,
               coalesce(i.section in (${sections}), false) as industrial
        from ${registryRows()} e left join industries i on i.code = e.industry_code
        where ${reporting ? sql`e.id in (select unnest(${idArray(reporting)}))` : sql`true`} ${inGroups(sql`e.region_code`, sql`coalesce(e.zone_code, '')`, sql`e.scale`)}
      ),
      -- the county × zone × scale groups and the codes, numbered: the statement groups by small integers
      grp as (
        select region_code, zone_code, scale, (row_number() over ())::int as gid
        from (select distinct region_code, zone_code, scale from reg) g
      ),
      -- (for the reporting firms: their memberships only, so that segments and sets are built for them alone)
      mem as (${reporting ? sql`select m.* from (${membership}) m where m.enterprise_id in (select id from reg)` : membership}),
      -- code ids: positions in one list, the reserved codes first (ids 1–3), then the clusters
      codes as (
        select array[${ANY_CLUSTER}::text, ${ALL_INDUSTRY}::text, ${OTHER_INDUSTRY}::text]
          || array(select distinct cluster_code from mem) as list
      ),
      ${segments(inMonth)},
      -- a row's tag: its set of clusters (0: none) and whether its firm is industrial
      tags as (
        select st.set_id * 2 + i.industrial::int as tag, ${tagCodes(sql`st.cids`, sql`i.industrial`)} as codes
        from (select distinct set_id, cids from seg_codes where cids is not null union all select 0, null::int[]) st
        cross join (values (false), (true)) i(industrial)
      ),
      -- every firm's segments with its group, tag and codes; those that count for nothing (non-industrial
      -- firms in no cluster) are left out. Built whole before the facts join it (offset 0: not merged into
      -- that join, which would then look up the group and the set once per fact instead of once per firm)
      firm_segs as (
        select r.id as enterprise_id, s.lo, s.hi, g.gid, coalesce(s.set_id, 0) * 2 + r.industrial::int as tag,
               s.cids, r.industrial
        from reg r left join grp g using (region_code, zone_code, scale)
        left join seg_codes s on s.enterprise_id = r.id
        where s.cids is not null or r.industrial
        offset 0
      ),
      -- every fact row with its firm's segment of the month, the facts in their order: one hash join with the
      -- facts streaming through it, never hashed themselves (that would hand them on in the hash table's
      -- order). The facts' key is an expression without statistics: building the hash table on that side
      -- costs the planner as if a tenth of the rows shared one bucket, whatever their number (a 100,000-row
      -- file beside a 220,000-firm registry too).
      tagged as materialized (
        select f.gid, ms.month, f.tag, (ms.enterprise_id & 1)::int as half, f.cids, f.industrial,
               ms.output_value, ms.revenue, ms.profit, ms.tax, ms.energy_tce, ms.electricity, ms.employees,
               ms.export_value
        from ${facts} ms join firm_segs f on f.enterprise_id = ms.enterprise_id + 0
          and (f.lo is null or ms.month >= f.lo) and (f.hi is null or ms.month < f.hi)
        where ${inMonths(sql`ms.month`)}
        ${reporting ? sql`order by ms.seq` : sql``}
      ),
      -- the sums: every row under each code it counts for, in the facts' order (the same additions in the
      -- same order as before: floating-point sums equal to the last bit). Under its clusters: unnest in the
      -- select list keeps each row's clusters together, in the rows' order; under the reserved codes: one
      -- pass by group and month, each code's sums over the rows that count for it
      cluster_sums as (
        select cid, gid, month, ${sql.raw(sums())}
        from (select unnest(t.cids) as cid, t.* from tagged t where t.cids is not null) u
        group by cid, gid, month
      ),
      -- every row once under \`_clusters\` (in a cluster) or \`_other\` (industrial, in none), and under
      -- \`_industry\` when industrial: two grouping sets of one pass
      reserved_sums as (
        select coalesce(k1, k2) as cid, gid, month, ${sql.raw(sums())}
        from (select t.*, case when t.cids is not null then ${cidOf(ANY_CLUSTER)} else ${cidOf(OTHER_INDUSTRY)} end as k1,
                     case when t.industrial then ${cidOf(ALL_INDUSTRY)} end as k2
              from tagged t) t
        group by grouping sets ((k1, gid, month), (k2, gid, month))
        having grouping(k2) = 1 or k2 is not null
      ),
      sums as (select * from cluster_sums union all select * from reserved_sums),
      -- the two largest firms in two levels (exact in any grouping): first per county × zone × scale × month
      -- × set of codes (a few thousand groups), so each fact row is compared once, not once per code
      -- (in two halves of its firms, odd and even ids: see part_seconds)
      halves as (
        select ${sql.raw(PART_KEY)}, half, ${sql.raw(MAXIMA)} from tagged group by ${sql.raw(PART_KEY)}, half
      ),
      parts as (
        select ${sql.raw(PART_KEY)}, ${sql.raw(HALVES_MAXIMA)} from halves group by ${sql.raw(PART_KEY)}
      ),
      -- the second largest needs only the rows at or above the group's floor: the smaller of its halves'
      -- largest, which two different firms reach, so the second largest is at or above it, and so is the
      -- maximum (its ties). The rows above a half's largest in the other half are a few per group: at
      -- province scale 14,900 of the 1,000,000 rows pass the join's condition, and the 16 filtered aggregates
      -- per row that the pass cost (0.65 s of 3.0 s of backend CPU) are counted on those alone. Every group
      -- keeps rows: its largest, or all of them for a measure without a floor (a half without a value).
      part_seconds as (
        select ${sql.raw(PART_KEY_OF_C)}, ${sql.raw(SECONDS)}
        from tagged c join parts a using (${sql.raw(PART_KEY)})
        where ${sql.raw(NEAR_TOP)}
        group by ${sql.raw(PART_KEY_OF_C)}
      ),
      -- then each group under every code of its set: a cell's two largest are the two largest of its
      -- groups' two largest
      tops as materialized (
        select unnest(t.codes) as cid, p.gid, p.month, ${sql.raw(PART_TOPS)}
        from parts p join part_seconds using (${sql.raw(PART_KEY)}) join tags t using (tag)
      ),
      top1 as (
        select ${sql.raw(CELL)}, ${sql.raw(CELL_MAXIMA)} from tops group by ${sql.raw(CELL)}
      ),
      top2 as (
        select ${sql.raw(CELL_OF_C)}, ${sql.raw(CELL_SECONDS)}
        from tops c join top1 a using (${sql.raw(CELL)})
        group by ${sql.raw(CELL_OF_C)}
      ),
      agg as (
        select (select list from codes)[cid] as cluster_code, g.region_code, g.zone_code, g.scale, month, ${sql.raw(COLUMNS)}
        from sums join top1 using (${sql.raw(CELL)}) join top2 using (${sql.raw(CELL)})
        join grp g using (gid)
      ),
      ins as (
        insert into ${clusterRegionMonth} (${sql.raw(KEY)}, ${sql.raw(COLUMNS)})
        select ${sql.raw(KEY)}, ${sql.raw(COLUMNS)} from agg
        returning 1
      )
      select count(*)::int as n from ins`,
  );
  await restore();
  return rows[0]?.n ?? 0;
}

/** The reserved codes' ids (first in the list of codes). */
const RESERVED_IDS: Record<string, number> = { [ANY_CLUSTER]: 1, [ALL_INDUSTRY]: 2, [OTHER_INDUSTRY]: 3 };
const cidOf = (code: string) => sql.raw(String(RESERVED_IDS[code]));

/** The codes a row counts for, from its clusters' ids (null: none) and whether its firm is industrial. */
const tagCodes = (cids: SQL, industrial: SQL) =>
  sql`case when ${cids} is null then '{}'::int[]
        else ${cids} || ${cidOf(ANY_CLUSTER)} end
    || case when not ${industrial} then '{}'::int[]
         when ${cids} is null then array[${cidOf(ALL_INDUSTRY)}, ${cidOf(OTHER_INDUSTRY)}]
         else array[${cidOf(ALL_INDUSTRY)}] end`;

/**
 * CTE `seg_codes` (enterprise_id, lo, hi, cids, set_id): each member firm's months cut where its clusters may
 * change, with the ids of its clusters there (null: none) and their set's number (0: none). A membership
 * counts in a month by \`inMonth\`, which compares the month's end with its start (eff_from) and end
 * (valid_to): its answer changes only at the first day of the month of either, so between two such days
 * (lo inclusive, hi exclusive, null: open) every month has the clusters of the segment's first month (or,
 * for the open start, of the month before hi). A fact row then finds its clusters by one join on its firm,
 * not by a lookup per month. Most firms have no such day (every membership from the earliest, still
 * current): one open segment each, their clusters once each (a firm's rows of one cluster differ in
 * valid_from, and only one can be its earliest).
 */
const segments = (inMonth: (m: SQL, month: SQL) => SQL) => sql`mem_c as (
        select m.*, array_position((select list from codes), m.cluster_code) as cid from mem m
      ),
      bounds as (
        select enterprise_id, eff_from - extract(day from eff_from)::int + 1 as b from mem_c where eff_from is not null
        union
        select enterprise_id, valid_to - extract(day from valid_to)::int + 1 from mem_c where valid_to is not null
      ),
      segs as (
        select s.enterprise_id, s.lo, min(n.b) as hi
        from (select distinct enterprise_id, null::date as lo from bounds union all select enterprise_id, b from bounds) s
        left join bounds n on n.enterprise_id = s.enterprise_id and (s.lo is null or n.b > s.lo)
        group by s.enterprise_id, s.lo
      ),
      cut as (
        -- each segment's clusters, once each (no ordered or distinct aggregate: hashable)
        select enterprise_id, lo, hi, array_agg(cid) filter (where cid is not null) as cids from (
          select distinct s.enterprise_id, s.lo, s.hi, m.cid
          from segs s left join mem_c m on m.enterprise_id = s.enterprise_id
           and ${inMonth(sql`m`, sql`coalesce(s.lo, (s.hi - interval '1 month')::date, date '2000-01-01')`)}) x
        group by enterprise_id, lo, hi
      ),
      firm_codes as (
        select enterprise_id, null::date as lo, null::date as hi, array_agg(cid) as cids from mem_c m
        where not exists (select from bounds b where b.enterprise_id = m.enterprise_id)
        group by enterprise_id
        union all
        select * from cut
      ),
      sets as (
        select cids, (row_number() over ())::int as set_id from (select distinct cids from firm_codes where cids is not null) x
      ),
      seg_codes as (
        select f.*, coalesce(st.set_id, 0) as set_id from firm_codes f left join sets st on st.cids = f.cids
      )`;

/**
 * Below this many rows of the file (its firms × its months) the registry side of the statement is built
 * for the firms reporting in those months only, not for every firm of the registry: at province scale
 * (220,000 firms, 53,000 memberships) that side costs about 0.6 s of backend CPU whatever the file, the
 * whole of a 100,000-row file's refresh but for 0.2 s. Above it the months' facts are many (a million
 * rows) and listing their firms first would read them twice.
 */
const SMALL_SCOPE_ROWS = 200_000;
const smallScope = (scope: CellScope) =>
  Boolean(scope.months && scope.firms && scope.firms.length * scope.months.length <= SMALL_SCOPE_ROWS);

/**
 * The firms with facts in the months rewritten (by the month index): the only ones whose registry rows,
 * groups and memberships the cells need. Any firm's, not only the file's: a month's other firms count too.
 */
async function firmsReporting(tx: Db, inMonths: (col: SQL) => SQL): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    tx,
    sql`select distinct ms.enterprise_id::int as id from ${monthlyFactRows()} ms where ${inMonths(sql`ms.month`)}`,
  );
  return rows.map((r) => r.id);
}

/**
 * The county × zone × scale groups of the changed firms (a correction rewrites its own cells), or null when
 * they are every group of the registry (a big file): then whole months are rewritten without a filter.
 */
async function groupsOf(
  tx: Db,
  firms: readonly number[],
): Promise<{ region: string; zone: string; scale: string }[] | null> {
  // In this process alone: at province scale (220,000 firms, a file's 50,000) two parallel workers each parsed
  // the list and built its hash again, and the read took as long (54–84 ms against 65–72 ms) at about three
  // times the CPU, beside the import's evaluation in Node (issue 13).
  const restore = await setLocal(tx, { max_parallel_workers_per_gather: '0' });
  const rows = await queryRows<{ region: string; zone: string; scale: string; touched: boolean }>(
    tx,
    sql`select e.region_code as region, coalesce(e.zone_code, '') as zone, e.scale,
          bool_or(e.id = any(${idArray(firms)})) as touched
        from ${registryRows()} e group by 1, 2, 3`,
  );
  await restore();
  const touched = rows.filter((r) => r.touched);
  return touched.length === rows.length ? null : touched;
}
