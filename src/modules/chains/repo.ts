// Queries of the chain capability. Enterprise-level reads take the caller's Scope.
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { idArray, queryRows, textArray } from '../../db/client.ts';
import {
  chainAssignmentInputs,
  chainEdges,
  chainNodes,
  chains,
  enterpriseChainNodes,
  meta,
} from '../../db/schema.ts';
import { currentMemberships, registryChangeStamps, registryRows } from '../enterprises/index.ts';
import { factsReferenceYear, monthlyFactRows } from '../imports/index.ts';
import { enterpriseScopeCondition, type Scope } from '../../server/scope.ts';
import type { ChainDef, ChainNodeDef, Stage } from '../../domain/chains/index.ts';
import { productsOf } from '../../domain/products.ts';

export type ChainRow = typeof chains.$inferSelect;
export type NodeRow = typeof chainNodes.$inferSelect;

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

export function toNodeDef(n: NodeRow): ChainNodeDef {
  return {
    code: n.code,
    name: n.name,
    stage: n.stage as Stage,
    industryCodes: strings(n.industryCodes),
    keyProducts: strings(n.keyProducts),
  };
}

export async function listChainRows(db: Db) {
  const [rows, nodeCounts, edgeCounts] = await Promise.all([
    db.select().from(chains).orderBy(asc(chains.sortOrder), asc(chains.code)),
    db
      .select({ chainCode: chainNodes.chainCode, n: sql<number>`count(*)::int` })
      .from(chainNodes)
      .groupBy(chainNodes.chainCode),
    db
      .select({ chainCode: chainEdges.chainCode, n: sql<number>`count(*)::int` })
      .from(chainEdges)
      .groupBy(chainEdges.chainCode),
  ]);
  return rows.map((c) => ({
    ...c,
    nodes: nodeCounts.find((x) => x.chainCode === c.code)?.n ?? 0,
    edges: edgeCounts.find((x) => x.chainCode === c.code)?.n ?? 0,
  }));
}

export async function loadChain(
  db: Db,
  code: string,
): Promise<{ chain: ChainRow; nodes: NodeRow[]; def: ChainDef } | undefined> {
  const [chain] = await db.select().from(chains).where(eq(chains.code, code));
  if (!chain) return undefined;
  // one after the other: placement loads chains inside an import's transaction (one connection, where
  // pg deprecates concurrent queries and pg@9 refuses them)
  const nodes = await db
    .select()
    .from(chainNodes)
    .where(eq(chainNodes.chainCode, code))
    .orderBy(asc(chainNodes.sortOrder), asc(chainNodes.code));
  const edges = await db
    .select()
    .from(chainEdges)
    .where(eq(chainEdges.chainCode, code))
    .orderBy(asc(chainEdges.fromCode), asc(chainEdges.toCode));
  return {
    chain,
    nodes,
    def: { code, nodes: nodes.map(toNodeDef), edges: edges.map((e) => ({ from: e.fromCode, to: e.toCode })) },
  };
}

/** The latest calendar year with December figures on record: the year "annual output" refers to. */
export const referenceYear = (db: Db): Promise<number | null> => factsReferenceYear(db);

export interface AssignedFirm {
  nodeCode: string;
  id: number;
  regionCode: string;
  scale: string;
  output: number | null;
  outputPrev: number | null;
  sharedCodeOnly: boolean;
}

const yearStart = (y: number) => `${y}-01-01`;

/** Firms in force on the chain's nodes (assigned, not closed) with output of the year and the year before. */
export async function assignedFirms(
  db: Db,
  chainCode: string,
  year: number | null,
  scope: Scope = { kind: 'all' },
): Promise<(AssignedFirm & { visible: boolean })[]> {
  const y = year ?? 0;
  // the reader's scope inside the query, on each firm's own row (a lookup by its id): a separate set of the
  // scope's firms matched against the chain's firms was planned as a nested loop over both (a cluster
  // agency: 6,649 members × 2,734 firms = 14.5 M comparisons, 3.4 s on the city demo)
  const cond = enterpriseScopeCondition(scope) ?? sql`true`;
  const rows = await queryRows<{
    node_code: string;
    id: number;
    region_code: string;
    scale: string;
    shared: boolean;
    output: number | null;
    output_prev: number | null;
    visible: boolean;
    town_code: string | null;
    zone_code: string | null;
  }>(
    db,
    sql`with firms as (
          select ecn.node_code, enterprises.id, enterprises.region_code, enterprises.town_code, enterprises.zone_code,
                 enterprises.scale, (ecn.basis = 'auto' and ecn.match = 'shared_code') as shared, (${cond}) as visible
          from ${enterpriseChainNodes} ecn join ${registryRows()} enterprises on enterprises.id = ecn.enterprise_id
          where ecn.chain_code = ${chainCode} and ecn.assigned and enterprises.status <> 'closed'),
        facts as (
          select ms.enterprise_id,
                 sum(ms.output_value) filter (where ms.month >= ${yearStart(y)}::date) as output,
                 sum(ms.output_value) filter (where ms.month < ${yearStart(y)}::date) as output_prev
          from ${monthlyFactRows()} ms
          where ms.month >= ${yearStart(y - 1)}::date and ms.month < ${yearStart(y + 1)}::date
            and ms.enterprise_id in (select id from firms)
          group by ms.enterprise_id)
        select f.node_code, f.id::int as id, f.region_code, f.town_code, f.zone_code, f.scale, f.shared, facts.output, facts.output_prev,
               f.visible
        from firms f left join facts on facts.enterprise_id = f.id
        order by f.node_code, f.id`,
  );
  return rows.map((r) => ({
    nodeCode: r.node_code,
    id: Number(r.id),
    regionCode: r.region_code,
    scale: r.scale,
    output: r.output == null ? null : Number(r.output),
    outputPrev: r.output_prev == null ? null : Number(r.output_prev),
    sharedCodeOnly: r.shared === true,
    townCode: r.town_code,
    zoneCode: r.zone_code,
    visible: r.visible === true,
  }));
}

/** Σ output of the year over the cluster's current members (not closed), 万元. */
export async function clusterOutput(db: Db, clusterCode: string, year: number | null): Promise<number> {
  if (year == null) return 0;
  const rows = await queryRows<{ v: number | null }>(
    db,
    sql`select sum(ms.output_value) as v from ${monthlyFactRows()} ms
        join ${currentMemberships()} ec on ec.enterprise_id = ms.enterprise_id and ec.cluster_code = ${clusterCode}
        where ms.month >= ${yearStart(year)}::date and ms.month < ${yearStart(year + 1)}::date`,
  );
  return Number(rows[0]?.v ?? 0);
}

/** Σ output of the year per county over all enterprises: the denominator of county quotients. */
export async function outputByCounty(db: Db, year: number | null): Promise<Map<string, number>> {
  if (year == null) return new Map();
  const rows = await queryRows<{ region_code: string; v: number | null }>(
    db,
    sql`select e.region_code, sum(ms.output_value) as v from ${monthlyFactRows()} ms join ${registryRows()} e on e.id = ms.enterprise_id
        where ms.month >= ${yearStart(year)}::date and ms.month < ${yearStart(year + 1)}::date
        group by e.region_code`,
  );
  return new Map(rows.map((r) => [r.region_code, Number(r.v ?? 0)]));
}

export async function enterpriseNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: number | string; name: string }>(
    db,
    sql`select e.id, e.name from ${registryRows()} e where e.id = any(${idArray(ids)})`,
  );
  return new Map(rows.map((r) => [Number(r.id), r.name]));
}

/** The node's firms inside the scope, with their assignment (excluded ones too). */
export async function nodeEnterpriseRows(
  db: Db,
  scope: Scope,
  chainCode: string,
  nodeCode: string,
  year: number | null,
) {
  const y = year ?? 0;
  const cond = enterpriseScopeCondition(scope);
  const rows = await queryRows<{
    id: number | string;
    name: string;
    region_code: string;
    region_name: string | null;
    industry_code: string;
    scale: string;
    status: string;
    basis: string;
    assigned: boolean;
    match: string;
    decided_by_name: string | null;
    decided_at: string | Date;
    note: string | null;
    output: number | string | null;
    output_prev: number | string | null;
  }>(
    db,
    sql`select enterprises.id, enterprises.name, enterprises.region_code, g.name as region_name,
               enterprises.industry_code, enterprises.scale, enterprises.status, ecn.basis, ecn.assigned,
               ecn.match, ecn.decided_by_name, ecn.decided_at, ecn.note,
               (select sum(ms.output_value) from ${monthlyFactRows()} ms where ms.enterprise_id = enterprises.id
                  and ms.month >= ${yearStart(y)}::date and ms.month < ${yearStart(y + 1)}::date) as output,
               (select sum(ms.output_value) from ${monthlyFactRows()} ms where ms.enterprise_id = enterprises.id
                  and ms.month >= ${yearStart(y - 1)}::date and ms.month < ${yearStart(y)}::date) as output_prev
        from ${enterpriseChainNodes} ecn
        join ${registryRows()} enterprises on enterprises.id = ecn.enterprise_id
        left join regions g on g.code = enterprises.region_code
        where ecn.chain_code = ${chainCode} and ecn.node_code = ${nodeCode} and enterprises.status <> 'closed'
          ${cond ? sql`and ${cond}` : sql``}`,
  );
  const out = rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    regionCode: r.region_code,
    regionName: r.region_name,
    industryCode: r.industry_code,
    scale: r.scale,
    status: r.status,
    basis: r.basis,
    assigned: r.assigned,
    match: r.match,
    decidedByName: r.decided_by_name,
    decidedAt: new Date(r.decided_at),
    note: r.note,
    output: r.output == null ? null : Number(r.output),
    outputPrev: r.output_prev == null ? null : Number(r.output_prev),
  }));
  // largest first; firms without a figure last
  return out.sort((a, b) => (b.output ?? -1) - (a.output ?? -1) || a.id - b.id);
}

// ---------------------------------------------------------------- automatic assignment state

export const ASSIGNMENT_META_KEY = 'chains_assignment';

export interface AssignmentState {
  /** cheap gate: changes whenever enterprises, memberships or node rules may have changed */
  fingerprint: string;
  /** the node rules alone: when these change every placement is recomputed */
  nodes: string;
}

/** Changes whenever enterprises, memberships or node rules change: the automatic rows may then be stale. */
export async function assignmentFingerprint(db: Db): Promise<AssignmentState> {
  const stamps = registryChangeStamps();
  const [row] = await queryRows<{ e: string; m: string; n: string }>(
    db,
    sql`select ${stamps.enterprises} as e,
               ${stamps.memberships} as m,
               (select count(*)::text || '/' || coalesce(max(updated_at)::text, '') || '/' || (select count(*) from ${chains})::text from ${chainNodes}) as n`,
  );
  return { fingerprint: JSON.stringify(row ?? {}), nodes: row?.n ?? '' };
}

export async function storedAssignmentState(db: Db): Promise<AssignmentState | null> {
  const [row] = await db.select().from(meta).where(eq(meta.key, ASSIGNMENT_META_KEY));
  const v = row?.value as Partial<AssignmentState> | undefined;
  return v?.fingerprint != null && v.nodes != null ? { fingerprint: v.fingerprint, nodes: v.nodes } : null;
}

/** What placing an enterprise needs, with the digest of it (see chainAssignmentInputs). */
export interface PlacementFacts {
  id: number;
  name: string;
  industryCode: string;
  status: string;
  mainProducts: string[] | null;
  clusters: string[];
  digest: string;
}

export { idArray, textArray } from '../../db/client.ts';

/** Writes automatic placement rows in one statement per chunk (no parameter per value). */
export async function insertAutoRows(
  db: Db,
  rows: readonly { enterpriseId: number; chainCode: string; nodeCode: string; match: string }[],
): Promise<void> {
  const CHUNK = 20_000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await db.execute(
      sql`insert into ${enterpriseChainNodes} (enterprise_id, chain_code, node_code, basis, assigned, match)
          select u.e, u.c, u.n, 'auto', true, u.m
          from unnest(${idArray(part.map((r) => r.enterpriseId))}, ${textArray(part.map((r) => r.chainCode))},
                      ${textArray(part.map((r) => r.nodeCode))}, ${textArray(part.map((r) => r.match))}) as u(e, c, n, m)
          on conflict do nothing`,
    );
  }
}

/** Records the digests the placements of these enterprises were computed from. */
export async function recordInputs(db: Db, facts: readonly { id: number; digest: string }[]): Promise<void> {
  const CHUNK = 20_000;
  for (let i = 0; i < facts.length; i += CHUNK) {
    const part = facts.slice(i, i + CHUNK);
    await db.execute(
      sql`insert into ${chainAssignmentInputs} (enterprise_id, digest)
          select u.e, u.d from unnest(${idArray(part.map((f) => f.id))}, ${textArray(part.map((f) => f.digest))}) as u(e, d)
          on conflict (enterprise_id) do update set digest = excluded.digest`,
    );
  }
}

/**
 * Enterprises whose placement inputs differ from the ones their automatic rows were computed from (new
 * ones, changed ones), with their facts; `ids` limits the look to those enterprises, `all` ignores the
 * recorded digests (a full rebuild). Also the ids recorded before that no longer exist.
 */
export async function stalePlacementFacts(
  db: Db,
  opts: { ids?: readonly number[]; all?: boolean } = {},
): Promise<{ facts: PlacementFacts[]; gone: number[] }> {
  const only = opts.ids ? sql`where e.id = any(${idArray(opts.ids)})` : sql``;
  const onlyClusters = opts.ids ? sql`and ec.enterprise_id = any(${idArray(opts.ids)})` : sql``;
  const stale = opts.all ? sql`` : sql`where i.digest is distinct from x.digest`;
  const rows = await queryRows<{
    id: number | string;
    name: string;
    industry_code: string;
    status: string;
    main_products: unknown;
    clusters: string | null;
    digest: string;
  }>(
    db,
    sql`select x.* from (
          select e.id, e.name, e.industry_code, e.status, e.main_products, c.clusters,
                 md5(e.name || '|' || e.industry_code || '|' || e.status || '|' || coalesce(e.main_products::text, '')
                     || '|' || coalesce(c.clusters, '')) as digest
          from ${registryRows()} e
          left join (select ec.enterprise_id, string_agg(ec.cluster_code, ',' order by ec.cluster_code) as clusters
                     from ${currentMemberships()} ec where true ${onlyClusters}
                     group by ec.enterprise_id) c on c.enterprise_id = e.id
          ${only}) x
        left join ${chainAssignmentInputs} i on i.enterprise_id = x.id
        ${stale}`,
  );
  const goneOnly = opts.ids ? sql`and i.enterprise_id = any(${idArray(opts.ids)})` : sql``;
  const gone = opts.all
    ? []
    : await queryRows<{ id: number | string }>(
        db,
        sql`select i.enterprise_id as id from ${chainAssignmentInputs} i
            where not exists (select 1 from ${registryRows()} e where e.id = i.enterprise_id) ${goneOnly}`,
      );
  return {
    facts: rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      industryCode: r.industry_code,
      status: r.status,
      mainProducts: r.main_products == null ? null : productsOf(r.main_products),
      clusters: r.clusters ? r.clusters.split(',') : [],
      digest: r.digest,
    })),
    gone: gone.map((g) => Number(g.id)),
  };
}

/**
 * Every chain node as administrators keep them in the database, in chain and node order, once per
 * cluster: a node code names one node within a cluster, whichever of the cluster's chains lists it.
 * What other capabilities (projects) link to.
 */
export async function clusterNodeList(db: Db): Promise<{ clusterCode: string; id: string; name: string }[]> {
  const rows = await db
    .select({ clusterCode: chains.clusterCode, id: chainNodes.code, name: chainNodes.name })
    .from(chainNodes)
    .innerJoin(chains, eq(chains.code, chainNodes.chainCode))
    .orderBy(asc(chains.sortOrder), asc(chains.code), asc(chainNodes.sortOrder), asc(chainNodes.code));
  const seen = new Set<string>();
  return rows.filter((n) => !seen.has(`${n.clusterCode}/${n.id}`) && seen.add(`${n.clusterCode}/${n.id}`));
}
