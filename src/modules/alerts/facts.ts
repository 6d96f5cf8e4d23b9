// Reads the facts the signals need, set-based: one statement per batch of months (or of enterprise ids),
// arrays bound as one parameter each (an array literal), never a parameter per row.
import { sql, type SQL } from 'drizzle-orm';
import { currentMemberships, registryRows } from '../enterprises/index.ts';
import { chainNodeRows, nodePlacements } from '../chains/index.ts';
import { publishedRuns, resultRows } from '../evaluation/index.ts';
import { monthlyFactRows } from '../imports/index.ts';
import { investmentReports, projectRows, projectStageRows } from '../projects/index.ts';
import { queryRows, textArray, type Db } from '../../db/client.ts';
import { setLocal } from '../../db/set-local.ts';
import { inlineParameters, serverClientOf, type CopiedRow, type CopiedType } from '../../db/copy-out.ts';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  chainNodeAtRisk,
  chainNodeSums,
  type ChainNodeSums,
  type FactColumns,
  type FirmFacts,
  type FirmColumns,
  type FirmProject,
} from '../../domain/alerts/index.ts';
import type { InvestmentFact, ProjectStatus, Stage } from '../../domain/projects/index.ts';
import type { Month } from '../../domain/periods.ts';

export interface FirmRecord {
  id: number;
  regionCode: string;
  clusters: string[];
  history: Map<Month, FirmFacts>;
}

interface FactRow {
  id: number;
  m: string;
  output: number | null;
  tax: number | null;
  electricity: number | null;
  employees: number | null;
  revenue: number | null;
  profit: number | null;
}

/**
 * Firms read per statement over months: the driver holds a statement's rows as objects all at once (with
 * 20,000 firms a statement, the monthly import's peak passed 1.4 GiB at province scale, issue 13).
 */
const SLICE_IDS = 5_000;

/**
 * Monthly facts of every firm in the given months, or of the firms with ids in [fromId, toId] over all
 * months (the backtest reads the history in such slices), with each firm's county and current clusters.
 * Over months it reads id range by id range, so only one slice's raw rows are held at a time (at province
 * scale the months of the newest evaluation reach ≈ 1.7 million rows: their objects alone passed 300 MiB).
 */
export async function loadFirms(
  db: Db,
  filter: ({ months: readonly Month[] } | { fromId: number; toId: number }) & {
    enterpriseIds?: readonly number[];
  },
): Promise<Map<number, FirmRecord>> {
  if (!('months' in filter)) {
    const firms = new Map<number, FirmRecord>();
    await loadSlice(db, firms, sql`ms.enterprise_id between ${filter.fromId} and ${filter.toId}`, filter);
    return firms;
  }
  const all = new Map<number, FirmRecord>();
  for await (const slice of firmSlices(db, filter.months, filter.enterpriseIds))
    for (const [id, f] of slice) all.set(id, f);
  return all;
}

/** The facts' rows of the given months (`ms` is the monthly facts), as one array parameter. */
const monthsCondition = (monthList: readonly Month[]): SQL =>
  sql`ms.month = any(${`{${monthList.map((m) => `${m}-01`).join(',')}}`}::date[])`;

/**
 * Up to this many facts in the months, their lowest and highest firm are taken from the facts themselves (read
 * by the month index); with more, from the primary key's ends (min/max by the key, a few index entries when
 * firms at both ends report in those months).
 */
const FEW_FACTS = 200_000;

/** The first id of each slice of SLICE_IDS ids between the lowest and highest firm with facts in `months`. */
async function* sliceStarts(db: Db, months: SQL): AsyncGenerator<number> {
  // The key's ends alone are whole-table work when the months are an old span beside newer facts: an xlsx of
  // 2023 into a province of 2024–2026 (the alert rules' history reaches back years) walked the key backwards
  // past the 1.5 million facts of firms above the file's, 0.35 s of a 6 s import. The months' facts are
  // counted first, up to FEW_FACTS: a few, and their own ends answer (the same two ids).
  const [few] = await queryRows<{ n: number; lo: number | null; hi: number | null }>(
    db,
    sql`select count(*)::int as n, min(f.id)::int as lo, max(f.id)::int as hi
        from (select ms.enterprise_id as id from ${monthlyFactRows()} ms where ${months} limit ${FEW_FACTS + 1}) f`,
  );
  const range =
    few && few.n <= FEW_FACTS
      ? few
      : (
          await queryRows<{ lo: number | null; hi: number | null }>(
            db,
            sql`select min(ms.enterprise_id)::int as lo, max(ms.enterprise_id)::int as hi from ${monthlyFactRows()} ms where ${months}`,
          )
        )[0];
  if (range?.lo == null || range.hi == null) return;
  for (let lo = range.lo; lo <= range.hi; lo += SLICE_IDS) yield lo;
}

/**
 * The firms with monthly facts in the given months, one id range at a time (each slice's firms with all
 * their facts of those months): a caller that keeps less than the whole history per firm never holds
 * every firm's at once.
 */
export async function* firmSlices(
  db: Db,
  monthList: readonly Month[],
  enterpriseIds?: readonly number[],
): AsyncGenerator<Map<number, FirmRecord>> {
  const months = monthsCondition(monthList);
  for await (const lo of sliceStarts(db, months)) {
    const firms = new Map<number, FirmRecord>();
    await loadSlice(db, firms, sql`${months} and ms.enterprise_id between ${lo} and ${lo + SLICE_IDS - 1}`, {
      enterpriseIds,
    });
    if (firms.size) yield firms;
  }
}

/**
 * firmSlices with each firm's facts as arrays, one row per firm (a json array per measure)
 * and its county and clusters in the same statement: no row object, 'YYYY-MM' string or FirmFacts per
 * month. At province scale those per-fact objects (≈ 8 million over an import's months) were the
 * evaluation's garbage and the import's peak memory (issue 13). Firms come in id order.
 */
export async function* firmColumnSlices(db: Db, monthList: readonly Month[]): AsyncGenerator<FirmColumns[]> {
  const months = monthsCondition(monthList);
  for await (const lo of sliceStarts(db, months)) {
    const rows = await queryRows<
      { id: number; region: string | null; clusters: string[] | null } & FactColumns
    >(
      db,
      sql`select s.id::int as id, s.region, s.clusters, s.months, s.output, s.tax, s.electricity, s.employees,
            s.revenue, s.profit
          from (${firmColumnsOfSlice(months, lo)}) s order by s.id`,
    );
    if (rows.length)
      yield rows.map((r) => {
        monthIndexesOfDays(r.months as number[]);
        return { id: r.id, regionCode: r.region ?? '', clusters: r.clusters ?? [], facts: r };
      });
  }
}

/**
 * firmColumnSlices' statement: the firms with ids from `lo` (a slice) as rows of id (bigint), region, clusters,
 * columns.
 */
function firmColumnsOfSlice(months: SQL, lo: number, nodes = false, arrays = false): SQL {
  // Read as rows (firmColumnSlices; PGlite's slices), json, not float8[]: the drivers parse an array literal
  // character by character in JavaScript (the read took twice the CPU of row objects), json with JSON.parse
  // (a third of it). With `arrays` (a server's binary COPY, rawFirmSlices) float8[] is read as its bytes,
  // decoded by copiedTuples: no text at all. float8 prints its
  // shortest exact form, so each value parses back to the same double; employees (bigint) is exact as
  // float8. No `order by` in the aggregates: each would sort apart, and the arrays of one group take the
  // rows in the same order, so they stay parallel (the consumers place each value by its month). The
  // joins name the slice's id range too, so the registry is read by its key, not scanned per slice. The
  // clusters come from one grouped read of the slice's memberships: a sub-select per firm (an index scan
  // each) was a third of the statement's database time at province scale (issue 13), for the same arrays.
  // The month's index by date_part (float8, exact for these integers), not extract: extract answers numeric,
  // and its numeric arithmetic over ≈ 1.7 million facts was ≈ 0.3 s of the slices' ≈ 3.1 s of database CPU
  // at province scale (the same texts, md5-identical). Then the month as its day number (DAY_ZERO), turned
  // into its index in Node (monthIndexesOfDays): date_part twice per fact was ≈ a fifth of the statement's
  // backend CPU where measured alone (1.18 million facts of 60,000 firms: 2.1–2.8 s → 1.9 s); the 220,000
  // firms read for the province import 4.11 s → 3.79 s, the same firms once parsed. The id stays the
  // grouping's own bigint: as `::int` it was another expression, whose order the planner does not know, and
  // each slice's grouped rows (with their json) were sorted again for the joins and the order — at province
  // scale on disk for the file's firms (work_mem), ≈ 0.2 s of the slices' ≈ 2.2 s of backend CPU (issue 13).
  const hi = lo + SLICE_IDS - 1;
  // with `nodes`, each firm's placements in force too (ChainNodeTally, chain-tally.ts), read as its clusters are
  // (as `arrays`, two parallel text arrays: chains and nodes, one aggregation's order)
  const placed = nodes
    ? sql`
          left join (select p.enterprise_id as id, ${
            arrays
              ? sql`array_agg(p.chain_code) as chains, array_agg(p.node_code) as nodes`
              : sql`json_agg(json_build_array(p.chain_code, p.node_code)) as nodes`
          }
                     from ${nodePlacements()} p where p.enterprise_id between ${lo} and ${hi}
                     group by p.enterprise_id) p on p.id = f.id`
    : sql``;
  // `arrays` (a binary COPY, see rawFirmSlices): the months an int4[], the six measures one float8[][] of a
  // row per fact (MEASURES' order), taken apart into columns as it is decoded (copy-out.ts, columnsOf). Six
  // float8[] aggregates cost the server a transition call per measure and fact and six arrays built and sent
  // per firm: at province scale (1 M-row monthly import, 44 slices, 1.66 million facts) the slices' backend
  // CPU fell from ≈ 1.16 s to ≈ 1.03 s read as one (the same doubles, in the same order; issue 13).
  const measures = arrays
    ? sql`array_agg(array[ms.output_value::float8, ms.tax::float8, ms.electricity::float8,
                  ms.employees::float8, ms.revenue::float8, ms.profit::float8]) as measures`
    : sql`json_agg(ms.output_value::float8) as output,
                  json_agg(ms.tax::float8) as tax,
                  json_agg(ms.electricity::float8) as electricity,
                  json_agg(ms.employees::float8) as employees,
                  json_agg(ms.revenue::float8) as revenue,
                  json_agg(ms.profit::float8) as profit`;
  const agg = arrays ? sql`array_agg` : sql`json_agg`;
  return sql`select f.id, e.region_code as region, m.clusters,
            f.months, ${arrays ? sql`f.measures` : sql`f.output, f.tax, f.electricity, f.employees, f.revenue, f.profit`}${nodes ? (arrays ? sql`, p.chains, p.nodes` : sql`, p.nodes`) : sql``}
          from (select ms.enterprise_id as id,
                  ${agg}(ms.month - date '2000-01-01') as months,
                  ${measures}
                from ${monthlyFactRows()} ms
                where ${months} and ms.enterprise_id between ${lo} and ${hi}
                group by ms.enterprise_id) f
          left join ${registryRows()} e on e.id = f.id and e.id between ${lo} and ${hi}
          left join (select ec.enterprise_id as id, array_agg(ec.cluster_code order by ec.cluster_code) as clusters
                     from ${currentMemberships()} ec where ec.enterprise_id between ${lo} and ${hi}
                     group by ec.enterprise_id) m on m.id = f.id${placed}`;
}

/**
 * One of rawFirmSlices' slices, its firms not taken apart yet: on a PostgreSQL server the chunks of its binary
 * COPY (firmColumnsOfCopied takes a row apart), on PGlite one JSON text per firm (firmColumnsOf).
 */
export type RawFirmSlice = { copied: Buffer[] } | { texts: string[] };

/**
 * firmColumnSlices read now and taken apart later: each slice's firms as they came (RawFirmSlice), handed to
 * `take` slice by slice as they arrive (the next is read once `take` resolves). An evaluation that runs
 * beside the reads and then beside other statements on the connection (the import's alert hook, hooks.ts)
 * takes the slices apart in its own turns, while the database reads the next slice, and only the slices not
 * evaluated yet are held.
 *
 * On a server each slice is one binary COPY on the transaction's connection (its snapshot: the facts the
 * import wrote), the measures as one float8[][] (copiedTuples): each float8 its 8 bytes, no float printed as text
 * nor JSON built by the server, the same doubles as the JSON text read before (float8 printed shortest-exact,
 * parsed back by JSON.parse). At province scale (1 M-row monthly import, 220,000 firms, 44 slices) the step's
 * backend CPU fell from 2.36–2.52 s to 1.90–1.98 s; Node's CPU stayed as it was (decoding ≈ 183 MB of binary
 * rows costs it about what JSON.parse of ≈ 99 MB of texts did), the tables md5-identical (issue 13). PGlite
 * (no COPY TO STDOUT stream) keeps a JSON text per firm.
 */
export async function rawFirmSlices(
  db: Db,
  monthList: readonly Month[],
  take: (slice: RawFirmSlice) => Promise<void>,
): Promise<void> {
  const months = monthsCondition(monthList);
  // Plain statements run to completion (no cursor): PostgreSQL may give them parallel workers, but on its costs
  // it gives a slice none, and forced to (no setup or tuple cost) the workers took the CPU the evaluation beside
  // the reads needs: at province scale no faster, as much CPU in all (issue 13).
  // the slices' starts read first, as the planner would read them (inKeyOrder is for the slices alone)
  const starts: number[] = [];
  for await (const lo of sliceStarts(db, months)) starts.push(lo);
  const client = serverClientOf(db);
  const restore = await inKeyOrder(db);
  for (const lo of starts) {
    if (client) {
      const copied = await copiedSlice(
        client,
        sql`select s.id, s.region, s.clusters, s.months, s.measures, s.chains, s.nodes
            from (${firmColumnsOfSlice(months, lo, true, true)}) s order by s.id`,
      );
      if (copied) await take({ copied });
      continue;
    }
    // a text per firm, not one per slice: a value of megabytes is gathered by the driver piece by piece (at
    // province scale the process's peak rose by ≈ 100 MiB); the id a bigint, in json the same digits
    const rows = await queryRows<{ f: string }>(
      db,
      sql`select json_build_array(s.id, s.region, s.clusters, s.months, s.output, s.tax, s.electricity,
            s.employees, s.revenue, s.profit, s.nodes)::text as f
          from (${firmColumnsOfSlice(months, lo, true)}) s order by s.id`,
    );
    if (rows.length) await take({ texts: rows.map((r) => r.f) });
  }
  await restore();
}

/** The chunks of a binary COPY of `query` as they came, or null when it has no row (a header and trailer alone). */
async function copiedSlice(client: pg.ClientBase, query: SQL): Promise<Buffer[] | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of client.query(
    copyTo(`COPY (${inlineParameters(query)}) TO STDOUT WITH (FORMAT binary)`),
  ) as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    bytes += chunk.length;
  }
  // the header (19 bytes, no extension) and the trailer (2)
  return bytes > 21 ? chunks : null;
}

/** The columns of rawFirmSlices' COPY, in its order. */
export const COPIED_FIRM_TYPES: readonly CopiedType[] = [
  'int8',
  'code',
  'code[]',
  'int4[]',
  'float8[][]',
  'code[]',
  'code[]',
];

/** A firm's measures in the COPY's float8[][] (firmColumnsOfSlice), by column. */
const MEASURES = ['output', 'tax', 'electricity', 'employees', 'revenue', 'profit'] as const;

/** A firm of rawFirmSlices' COPY (a row of COPIED_FIRM_TYPES, reused: only its arrays are kept), as firmColumnsOf gives it. */
export function firmColumnsOfCopied(r: CopiedRow): FirmColumns {
  const chains = r[5] as string[] | null;
  const nodes = r[6] as string[] | null;
  // a firm has a fact at least (the grouping's rows): its measures have every column
  const measures = r[4] as (number | null)[][];
  if (measures.length !== MEASURES.length)
    throw new Error(`firm ${String(r[0])}: ${measures.length} measures`);
  return {
    id: r[0] as number,
    regionCode: (r[1] as string | null) ?? '',
    clusters: (r[2] as string[] | null) ?? [],
    facts: {
      months: monthIndexesOfDays(r[3] as number[]),
      output: measures[0]!,
      tax: measures[1]!,
      electricity: measures[2]!,
      employees: measures[3]!,
      revenue: measures[4]!,
      profit: measures[5]!,
    },
    nodes: chains && nodes ? chains.map((c, i) => [c, nodes[i]!] as const) : [],
  };
}

/**
 * The slices' facts read in the order of the facts' key (firm, month) until the function answered is called:
 * no bitmap scans, no sorts (set_config(…, true): this transaction, then set back to what they were). On its
 * costs the planner read a slice's facts by a bitmap of the key's range — in the heap's order, which after an
 * import is the file's, not the firms' — and sorted them by firm for the grouping: at province scale
 * (≈ 115,000 facts a slice of the file's firms, more than the default work_mem) each sort went to disk. Read by
 * the key the facts come grouped and no sort is needed; the joins' sides (registry, memberships, placements)
 * are read by their keys too. The slices' backend CPU fell by ≈ a tenth to a fifth (issue 13; see
 * firmColumnsOfSlice). The months of a firm now come in order; the columns may come in any (FactColumns).
 */
const inKeyOrder = (db: Db) => setLocal(db, { enable_bitmapscan: 'off', enable_sort: 'off' });

/** rawFirmSlices' firm as a JSON text (PGlite): id, county, clusters, the FactColumns in their order, then its placements */
type FirmColumnsRow = [number, string | null, string[] | null, ...FactColumns[keyof FactColumns][]];

/** The day the facts' months are counted from as day numbers (firmColumnsOfSlice): 2000-01-01. */
const DAY_ZERO = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/** Month index (year × 12 + month − 1) per day number seen: the facts' months are a few distinct days. */
const monthIndexOfDay = new Map<number, number>();

/** The facts' day numbers (days after DAY_ZERO) as their month indexes (monthIndex), in place. */
export function monthIndexesOfDays(days: number[]): number[] {
  for (let i = 0; i < days.length; i++) {
    const day = days[i]!;
    let month = monthIndexOfDay.get(day);
    if (month === undefined) {
      const d = new Date(DAY_ZERO + day * DAY_MS);
      monthIndexOfDay.set(day, (month = d.getUTCFullYear() * 12 + d.getUTCMonth()));
    }
    days[i] = month;
  }
  return days;
}

/** The firms of one of rawFirmSlices' JSON slices, as firmColumnSlices gives them, with their placements (`nodes`). */
export function firmColumnsOf(texts: readonly string[]): FirmColumns[] {
  return texts.map((text) => {
    const r = JSON.parse(text) as FirmColumnsRow;
    return {
      id: r[0],
      regionCode: r[1] ?? '',
      clusters: r[2] ?? [],
      facts: {
        months: monthIndexesOfDays(r[3] as number[]),
        output: r[4]!,
        tax: r[5]!,
        electricity: r[6]!,
        employees: r[7]!,
        revenue: r[8]!,
        profit: r[9]!,
      },
      nodes: ((r as unknown[])[10] as [string, string][] | null) ?? [],
    };
  });
}

async function loadSlice(
  db: Db,
  firms: Map<number, FirmRecord>,
  slice: SQL,
  filter: { enterpriseIds?: readonly number[] },
): Promise<void> {
  let where = slice;
  if (filter.enterpriseIds)
    where = sql`${where} and ms.enterprise_id = any(${`{${filter.enterpriseIds.join(',')}}`}::bigint[])`;
  const rows = await queryRows<FactRow>(
    db,
    sql`select ms.enterprise_id::int as id, to_char(ms.month, 'YYYY-MM') as m, ms.output_value as output,
          ms.tax, ms.electricity, ms.employees, ms.revenue, ms.profit
        from ${monthlyFactRows()} ms where ${where}`,
  );
  const added: number[] = [];
  for (const r of rows) {
    let f = firms.get(r.id);
    if (!f) {
      firms.set(r.id, (f = { id: r.id, regionCode: '', clusters: [], history: new Map() }));
      added.push(r.id);
    }
    f.history.set(r.m, {
      output: r.output,
      tax: r.tax,
      electricity: r.electricity,
      employees: r.employees,
      revenue: r.revenue,
      profit: r.profit,
    });
  }
  rows.length = 0;
  if (added.length === 0) return;
  const places = await queryRows<{ id: number; region: string; clusters: string[] | null }>(
    db,
    sql`select e.id::int as id, e.region_code as region,
          (select array_agg(ec.cluster_code order by ec.cluster_code) from ${currentMemberships()} ec
            where ec.enterprise_id = e.id) as clusters
        from ${registryRows()} e where e.id = any(${`{${added.join(',')}}`}::bigint[])`,
  );
  for (const p of places) {
    const f = firms.get(p.id);
    if (f) {
      f.regionCode = p.region;
      f.clusters = p.clusters ?? [];
    }
  }
}

/** The latest month with monthly facts, or null on an empty database. */
/** Whether any firm has monthly facts in `month` ('YYYY-MM'). */
export async function monthHasFacts(db: Db, month: Month): Promise<boolean> {
  const [r] = await queryRows<{ has: boolean }>(
    db,
    sql`select exists (select 1 from ${monthlyFactRows()} ms where ms.month = ${`${month}-01`}::date) as has`,
  );
  return r?.has === true;
}

export async function latestMonth(db: Db): Promise<Month | null> {
  const [r] = await queryRows<{ m: string | null }>(
    db,
    sql`select to_char(max(ms.month), 'YYYY-MM') as m from ${monthlyFactRows()} ms`,
  );
  return r?.m ?? null;
}

/**
 * Local firms per chain node of each cluster's chain in each of the months (断链 risk), as sums
 * (ChainNodeSums): a node's firms are the assigned placements of firms that reported an output in the month.
 * One statement for all the months, reading only their facts (by the month index) and joining the
 * placements to them: it used to join every node's placements to every fact of every month (at province
 * scale a hash of all 1.8 million facts, spilled to disk: 1–3.5 s) and send each node's outputs as an
 * array. The database sums in its own order; the rare node whose CR1 lies so near the threshold that the
 * order could matter (chainNodeAtRisk answers null) has its positive outputs read and summed as
 * concentration sums them, so every node's verdict is the one of its outputs. Every node of every month is
 * listed (0 firms when none reported), by month, cluster and node. The import's evaluation beside the other
 * hooks tallies the same from the firms it reads ahead instead (ChainNodeTally, chain-tally.ts).
 */
export async function chainNodeTotals(
  db: Db,
  months: readonly Month[],
): Promise<({ month: Month; cluster: string } & ChainNodeSums)[]> {
  if (months.length === 0) return [];
  const monthArray = sql`${`{${months.map((m) => `${m}-01`).join(',')}}`}::date[]`;
  const positive = sql`ms.output_value > 0 and ms.output_value < 'Infinity'::float8`;
  const rows = await queryRows<{
    m: string;
    cluster: string;
    node: string;
    firms: number | null;
    top: number | null;
    total: number | null;
  }>(
    db,
    sql`select to_char(mo.m, 'YYYY-MM') as m, n.chain_code as cluster, n.code as node, f.firms, f.top, f.total
        from unnest(${monthArray}) as mo(m)
        cross join ${chainNodeRows()} n
        join clusters c on c.code = n.chain_code
        left join (
          select ms.month, ecn.chain_code, ecn.node_code, count(*)::int as firms,
            max(ms.output_value) filter (where ${positive}) as top,
            sum(ms.output_value) filter (where ${positive}) as total
          from ${monthlyFactRows()} ms
          join ${nodePlacements()} ecn on ecn.enterprise_id = ms.enterprise_id
          where ms.month = any(${monthArray}) and ms.output_value is not null
          group by ms.month, ecn.chain_code, ecn.node_code) f
          on f.month = mo.m and f.chain_code = n.chain_code and f.node_code = n.code
        order by mo.m, n.chain_code, n.code`,
  );
  const out = rows.map((r) => ({
    month: r.m,
    cluster: r.cluster,
    node: r.node,
    firms: r.firms ?? 0,
    top: r.top,
    total: r.total,
    exact: false,
  }));
  const close = out.filter((n) => chainNodeAtRisk(n) === null);
  if (close.length === 0) return out;
  const positives = await queryRows<{ m: string; cluster: string; node: string; outputs: number[] }>(
    db,
    // json: float8 prints its shortest exact form, so JSON.parse gives back the same doubles
    sql`select to_char(ms.month, 'YYYY-MM') as m, ecn.chain_code as cluster, ecn.node_code as node,
          json_agg(ms.output_value) as outputs
        from ${monthlyFactRows()} ms
        join ${nodePlacements()} ecn on ecn.enterprise_id = ms.enterprise_id
        join unnest(${sql`${`{${close.map((n) => `${n.month}-01`).join(',')}}`}::date[]`},
                    ${textArray(close.map((n) => n.cluster))}, ${textArray(close.map((n) => n.node))})
          as x(month, chain_code, node_code)
          on x.month = ms.month and x.chain_code = ecn.chain_code and x.node_code = ecn.node_code
        where ms.month = any(${monthArray}) and ${positive}
        group by ms.month, ecn.chain_code, ecn.node_code`,
  );
  const exact = new Map(positives.map((r) => [`${r.m}\t${r.cluster}\t${r.node}`, r.outputs]));
  for (const n of close) {
    const sums = chainNodeSums(n.node, exact.get(`${n.month}\t${n.cluster}\t${n.node}`) ?? []);
    Object.assign(n, { top: sums.top, total: sums.total, exact: true });
  }
  return out;
}

/**
 * The nodes of each cluster's chain, as chainNodeTotals lists them in each month (by cluster and node): what
 * ChainNodeTally (chain-tally.ts) answers for, from the firms read ahead.
 */
export async function chainNodeList(db: Db): Promise<{ cluster: string; node: string }[]> {
  return queryRows<{ cluster: string; node: string }>(
    db,
    sql`select n.chain_code as cluster, n.code as node from ${chainNodeRows()} n join clusters c on c.code = n.chain_code
        order by n.chain_code, n.code`,
  );
}

/** Firms of a cluster (current members) or of a county that have monthly facts. */
export async function areaMembers(
  db: Db,
  subject: { cluster: string } | { county: string },
): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    'cluster' in subject
      ? sql`select distinct ec.enterprise_id::int as id from ${currentMemberships()} ec where ec.cluster_code = ${subject.cluster}`
      : sql`select e.id::int as id from ${registryRows()} e where e.region_code = ${subject.county} and e.scale = 'above'`,
  );
  return rows.map((r) => r.id);
}

/**
 * Each firm's 亩均 class in the latest two published evaluation years up to `year` (the run in force of each
 * county and year: published, not superseded): the input of the class-drop signal.
 */
export async function muClasses(
  db: Db,
  year: number,
): Promise<Map<number, { previous: string | null; current: string | null }>> {
  const rows = await queryRows<{ id: number; y: number; c: string | null; latest: number }>(
    db,
    sql`with runs as (
          select id, year from ${publishedRuns()} pr where pr.year <= ${year}),
        years as (select max(year) as latest from runs)
        select r.enterprise_id::int as id, runs.year as y, r.class as c, years.latest
        from ${resultRows()} r join runs on runs.id = r.run_id cross join years
        where runs.year in (years.latest, years.latest - 1)`,
  );
  const out = new Map<number, { previous: string | null; current: string | null }>();
  for (const r of rows) {
    const v = out.get(r.id) ?? { previous: null, current: null };
    if (r.y === r.latest) v.current = r.c;
    else v.previous = r.c;
    out.set(r.id, v);
  }
  return out;
}

/**
 * The projects of each registered investor firm with their stage dates (the project-delay signal), one
 * statement; projects whose investor is not a registered firm have no firm to warn about.
 */
export async function firmProjects(db: Db, enterpriseId?: number): Promise<Map<number, FirmProject[]>> {
  const only = enterpriseId == null ? sql`` : sql` and p.investor_enterprise_id = ${enterpriseId}`;
  const rows = await queryRows<{
    firm: number;
    stage: Stage;
    status: ProjectStatus;
    stages: { stage: Stage; plannedDate: string | null; actualDate: string | null }[] | null;
  }>(
    db,
    sql`select p.investor_enterprise_id::int as firm, p.stage, p.status,
          (select json_agg(json_build_object('stage', s.stage, 'plannedDate', s.planned_date::text,
             'actualDate', s.actual_date::text)) from ${projectStageRows()} s where s.project_id = p.id) as stages
        from ${projectRows()} p where p.investor_enterprise_id is not null${only}`,
  );
  const out = new Map<number, FirmProject[]>();
  for (const r of rows) {
    const list = out.get(r.firm) ?? [];
    list.push({ stage: r.stage, status: r.status, stages: r.stages ?? [] });
    out.set(r.firm, list);
  }
  return out;
}

/**
 * 本月完成投资 of the project library by month, per cluster ('cluster:<code>') and per county
 * ('county:<code>') — the groups are the alert subjects' keys — from the January of the year before `from`
 * to `to` (year-on-year 1–N月 growth needs both years).
 */
export async function investmentFacts(
  db: Db,
  from: Month,
  to: Month,
): Promise<{ county: InvestmentFact[]; cluster: InvestmentFact[] }> {
  const rows = await queryRows<{ cluster: string | null; region: string; m: string; amount: number }>(
    db,
    sql`select pp.cluster_code as cluster, pp.region_code as region, to_char(pp.month, 'YYYY-MM') as m,
          sum(pp.investment_month)::float8 as amount
        from ${investmentReports()} pp
        where pp.month between ${`${Number(from.slice(0, 4)) - 1}-01-01`}::date and ${`${to}-01`}::date
        group by 1, 2, 3`,
  );
  // each list holds every project once, so each list's total is the city's
  return {
    county: rows.map((r) => ({ group: `county:${r.region}`, month: r.m, amount: r.amount })),
    // projects of no cluster count for the city (and their county), never as a cluster of their own
    cluster: rows.map((r) => ({ group: `cluster:${r.cluster ?? '_none'}`, month: r.m, amount: r.amount })),
  };
}
