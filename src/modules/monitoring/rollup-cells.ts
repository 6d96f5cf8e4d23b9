// cluster_region_month from the facts (issue 13): each fact row is tagged once with every code it counts for
// (its clusters of the month, `_clusters`, `_industry`, `_other`). The sums come from one hash aggregate over
// the rows listed under each of their codes, in the facts' order (floating-point sums equal to the last bit
// whatever else changes). The two largest firms per measure are exact in any grouping, so they are found
// in two levels: per county × zone × scale × month × set of codes (each fact row compared once, not once
// per code: a firm counts for two or three codes), the second largest by a second aggregate joined to the
// group's maximum (the largest below it, or the maximum again when two firms share it), then the groups'
// two largest combined per cell. No sort per measure and cell.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { idArray, queryRows, textArray } from '../../db/client.ts';
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
const KEY = 'cluster_code, region_code, zone_code, scale, month';
const KEY_OF_C = KEY.split(', ')
  .map((k) => `c.${k}`)
  .join(', ');
const SUMS = `sum(output_value) as output_value, sum(revenue) as revenue, sum(profit) as profit, sum(tax) as tax,
  sum(energy_tce) as energy_tce, sum(electricity) as electricity, sum(employees) as employees,
  sum(export_value) as export_value, count(*)::int as enterprises, count(output_value)::int as output_reporters,
  sum(abs(profit)) as profit_abs`;
const MAXIMA = RANKED.map(([p, v]) => `max(${v('')}) as ${p}_top1`).join(', ');
// a sorted list's second element: the maximum again when two firms share it, else the largest below it
const SECONDS = RANKED.map(
  ([p, v]) => `case when count(*) filter (where ${v('c.')} = a.${p}_top1) > 1 then min(a.${p}_top1)
      else max(${v('c.')}) filter (where ${v('c.')} < a.${p}_top1) end as ${p}_top2`,
).join(',\n');
/** A first-level group: the cells' key without the cluster, with the set of codes its rows count for. */
const PART_KEY = 'region_code, zone_code, scale, month, codes';
const PART_KEY_OF_C = PART_KEY.split(', ')
  .map((k) => `c.${k}`)
  .join(', ');
const PART_TOPS = RANKED.map(([p]) => `p.${p}_top1, ${p}_top2`).join(', ');
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
  // the county × zone × scale groups of the changed firms (a handful: a correction rewrites its own cells)
  const groups = scope.firms
    ? sql`(select distinct g.region_code, coalesce(g.zone_code, '') as zone_code, g.scale
           from ${registryRows()} g where g.id = any(${idArray(scope.firms)}))`
    : null;
  const inGroups = (t: string) =>
    groups
      ? sql`and (${sql.raw(`${t}.region_code, ${t}.zone_code, ${t}.scale`)}) in (select region_code, zone_code, scale from ${groups} gr)`
      : sql``;
  if (!monthList && !groups) await tx.execute(sql`truncate ${clusterRegionMonth}`);
  else
    await tx.execute(
      sql`delete from ${clusterRegionMonth} d where ${inMonths(sql`d.month`)} ${inGroups('d')}`,
    );
  const sections = sql.join(
    INDUSTRIAL_SECTIONS.map((s) => sql`${s}`),
    sql`, `,
  );
  // Hash joins and hash aggregates only: the planner cannot count a CTE's groups (it guessed 100,000 cells
  // for 2,000) and chose sorts of every row by five keys for the second pass, a sort per join.
  const restore = await plannerOff(tx, ['enable_mergejoin', 'enable_sort']);
  const rows = await queryRows<{ n: number }>(
    tx,
    sql`with facts as materialized (
        select ms.enterprise_id, ms.month, ms.output_value, ms.revenue, ms.profit, ms.tax, ms.energy_tce,
               ms.electricity, ms.employees, ms.export_value,
               e.region_code, coalesce(e.zone_code, '') as zone_code, e.scale,
               coalesce(i.section in (${sections}), false) as industrial
        from ${monthlyFactRows()} ms join ${registryRows()} e on e.id = ms.enterprise_id
        left join industries i on i.code = e.industry_code
        where ${inMonths(sql`ms.month`)} ${groups ? sql`and (e.region_code, coalesce(e.zone_code, ''), e.scale) in (select region_code, zone_code, scale from ${groups} gr)` : sql``}
      ),
      mem as (${membership}),
      -- each member firm's clusters of the month, once each (no ordered or distinct aggregate: hashable)
      fm as (
        select enterprise_id, month, array_agg(cluster_code) as codes from (
          select distinct f.enterprise_id, f.month, m.cluster_code
          from facts f join mem m on m.enterprise_id = f.enterprise_id and ${inMonth(sql`m`, sql`f.month`)}) x
        group by enterprise_id, month
      ),
      -- every fact row with the codes it counts for (its clusters, \`_clusters\`, \`_industry\`, \`_other\`);
      -- rows that count for none (non-industrial firms in no cluster) are left out
      tagged as materialized (
        select * from (
          select f.region_code, f.zone_code, f.scale, f.month, f.output_value, f.revenue, f.profit, f.tax,
                 f.energy_tce, f.electricity, f.employees, f.export_value,
                 case when fm.codes is null then '{}'::text[] else fm.codes || array[${ANY_CLUSTER}::text] end
                 || case when not f.industrial then '{}'::text[]
                         when fm.codes is null then array[${ALL_INDUSTRY}::text, ${OTHER_INDUSTRY}::text]
                         else array[${ALL_INDUSTRY}::text] end as codes
          from facts f left join fm on fm.enterprise_id = f.enterprise_id and fm.month = f.month) t
        where codes <> '{}'
      ),
      -- the sums: every row under each code it counts for, in the facts' order (the same additions in the
      -- same order as before: floating-point sums equal to the last bit)
      sums as (
        select c.code as cluster_code, t.region_code, t.zone_code, t.scale, t.month, ${sql.raw(SUMS)}
        from tagged t cross join lateral unnest(t.codes) as c(code)
        group by 1, 2, 3, 4, 5
      ),
      -- the two largest firms in two levels (exact in any grouping): first per county × zone × scale × month
      -- × set of codes (a few thousand groups), so each fact row is compared once, not once per code
      parts as (
        select ${sql.raw(PART_KEY)}, ${sql.raw(MAXIMA)} from tagged group by ${sql.raw(PART_KEY)}
      ),
      part_seconds as (
        select ${sql.raw(PART_KEY_OF_C)}, ${sql.raw(SECONDS)}
        from tagged c join parts a using (${sql.raw(PART_KEY)})
        group by ${sql.raw(PART_KEY_OF_C)}
      ),
      -- then each group under every code of its set: a cell's two largest are the two largest of its
      -- groups' two largest
      tops as materialized (
        select c.code as cluster_code, p.region_code, p.zone_code, p.scale, p.month, ${sql.raw(PART_TOPS)}
        from parts p join part_seconds using (${sql.raw(PART_KEY)}) cross join lateral unnest(p.codes) as c(code)
      ),
      top1 as (
        select ${sql.raw(KEY)}, ${sql.raw(CELL_MAXIMA)} from tops group by ${sql.raw(KEY)}
      ),
      top2 as (
        select ${sql.raw(KEY_OF_C)}, ${sql.raw(CELL_SECONDS)}
        from tops c join top1 a using (${sql.raw(KEY)})
        group by ${sql.raw(KEY_OF_C)}
      ),
      agg as (select * from sums join top1 using (${sql.raw(KEY)}) join top2 using (${sql.raw(KEY)})),
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

/**
 * Turns planner methods off until `restore` (inside the caller's transaction: an error aborts it anyway,
 * nothing to restore then); answers the function that puts the previous values back.
 */
export async function plannerOff(tx: Db, settings: readonly string[]): Promise<() => Promise<void>> {
  const prev = await queryRows<{ name: string; v: string }>(
    tx,
    sql`select name, setting as v from pg_settings where name = any(${textArray(settings)})`,
  );
  for (const name of settings) await tx.execute(sql`select set_config(${name}, 'off', true)`);
  return async () => {
    for (const p of prev) await tx.execute(sql`select set_config(${p.name}, ${p.v}, true)`);
  };
}
