// A chain as the city's configuration describes it, and as the database holds it, in one shape (ChainSpec)
// so that seeding (`migrate`) and `clusterscope chains sync` read and write chains the same way.
import { and, asc, eq, ne, notLike, sql } from 'drizzle-orm';
import type { CityConfig } from '../../config/load.ts';
import type { Db } from '../../db/client.ts';
import { bumpChainsVersion } from './cache.ts';
import { chainEdges, chainHistory, chainNodes, chains } from '../../db/schema.ts';
import type { ChainSpec, NodeSpec, Stage } from '../../domain/chains/index.ts';

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The chain `code` of the configuration; undefined when the configuration has no such chain. */
export function configChainSpec(config: CityConfig, code: string): ChainSpec | undefined {
  const chain = config.chains[code];
  if (!chain) return undefined;
  const cluster = config.clusters.find((c) => c.code === chain.cluster);
  const own = code === chain.cluster;
  return {
    fields: {
      clusterCode: chain.cluster,
      name: chain.name ?? (own ? cluster?.name : undefined) ?? code,
      nameEn: chain.nameEn ?? (own ? cluster?.nameEn : undefined) ?? null,
      description: chain.description ?? null,
      proposed: chain.proposed,
      sources: chain.source,
      landmark: chain.landmark,
      policyNote: chain.policyNote ?? null,
    },
    nodes: chain.nodes.map((n) => ({
      code: n.id,
      name: n.name,
      stage: n.stage,
      industryCodes: n.industryCodes,
      keyProducts: n.keyProducts ?? [],
      knownEnterprises: n.knownEnterprises,
    })),
    edges: chain.edges.map(([from, to]) => ({ from, to })),
  };
}

/** The chain as stored (nodes in their order), or undefined. */
export async function storedChainSpec(db: Db, code: string): Promise<ChainSpec | undefined> {
  const [chain] = await db.select().from(chains).where(eq(chains.code, code));
  if (!chain) return undefined;
  const [nodes, edges] = await Promise.all([
    db
      .select()
      .from(chainNodes)
      .where(eq(chainNodes.chainCode, code))
      .orderBy(asc(chainNodes.sortOrder), asc(chainNodes.code)),
    db
      .select()
      .from(chainEdges)
      .where(eq(chainEdges.chainCode, code))
      .orderBy(asc(chainEdges.fromCode), asc(chainEdges.toCode)),
  ]);
  return {
    fields: {
      clusterCode: chain.clusterCode,
      name: chain.name,
      nameEn: chain.nameEn,
      description: chain.description,
      proposed: chain.proposed,
      sources: strings(chain.sources),
      landmark: chain.landmark,
      policyNote: chain.policyNote,
    },
    nodes: nodes.map((n): NodeSpec => ({
      code: n.code,
      name: n.name,
      stage: n.stage as Stage,
      industryCodes: strings(n.industryCodes),
      keyProducts: strings(n.keyProducts),
      knownEnterprises: Array.isArray(n.knownEnterprises) ? n.knownEnterprises : [],
    })),
    edges: edges.map((e) => ({ from: e.fromCode, to: e.toCode })),
  };
}

/** The sort order of a cluster's chains: the cluster's place in clusters.json. */
export function clusterOrder(config: CityConfig, clusterCode: string): number {
  const i = config.clusters.findIndex((c) => c.code === clusterCode);
  return i < 0 ? 99 : i + 1;
}

export const nodeRow = (chainCode: string, n: NodeSpec, i: number) => ({
  chainCode,
  code: n.code,
  name: n.name,
  stage: n.stage,
  industryCodes: [...n.industryCodes],
  keyProducts: [...n.keyProducts],
  knownEnterprises: [...n.knownEnterprises],
  sortOrder: i + 1,
});

/** Writes a new chain with its nodes and edges. */
export async function insertChain(
  tx: Db,
  code: string,
  spec: ChainSpec,
  extra: { origin: 'config' | 'admin'; sortOrder: number },
): Promise<void> {
  const f = spec.fields;
  await tx.insert(chains).values({
    code,
    clusterCode: f.clusterCode,
    name: f.name,
    nameEn: f.nameEn,
    description: f.description,
    proposed: f.proposed,
    sources: [...f.sources],
    landmark: f.landmark,
    policyNote: f.policyNote,
    origin: extra.origin,
    sortOrder: extra.sortOrder,
  });
  if (spec.nodes.length) await tx.insert(chainNodes).values(spec.nodes.map((n, i) => nodeRow(code, n, i)));
  if (spec.edges.length) {
    await tx
      .insert(chainEdges)
      .values(spec.edges.map((e) => ({ chainCode: code, fromCode: e.from, toCode: e.to })))
      .onConflictDoNothing();
  }
  await bumpChainsVersion(tx);
}

/** History actions that are not administrators' edits of the structure. */
export const NOT_EDITS = ['config.sync'] as const;
/** History actions of the 招商 library and chain projects (target.*, project.*): not structure edits either. */
export const ROADMAP_HISTORY_PREFIXES = ['target.', 'project.'] as const;

/** Chains an administrator has edited: those with history rows of structure edits (not syncs, not the
 * target library or the chain projects). */
export async function editedChains(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .select({ code: chainHistory.chainCode, n: sql<number>`count(*)::int` })
    .from(chainHistory)
    .where(
      and(
        ne(chainHistory.action, NOT_EDITS[0]),
        ...ROADMAP_HISTORY_PREFIXES.map((p) => notLike(chainHistory.action, `${p}%`)),
      ),
    )
    .groupBy(chainHistory.chainCode);
  return new Map(rows.map((r) => [r.code, Number(r.n)]));
}
