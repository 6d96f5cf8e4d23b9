// `clusterscope chains sync`: brings the chains in the database in line with config/<city>/chains.json.
// A chain no administrator has edited follows the configuration; an edited one is skipped unless forced.
// A node the configuration drops takes its automatic placements with it, but never people's decisions,
// target enterprises or chain projects: a chain whose sync would drop those is blocked (reported, not
// changed) until someone moves or resets them. Every applied sync is written to chain_history as
// `config.sync` (before/after) and to the audit log; automatic placements are rebuilt afterwards.
import { and, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { CityConfig } from '../../config/load.ts';
import type { Db } from '../../db/client.ts';
import {
  chainEdges,
  chainHistory,
  chainNodes,
  chainProjects,
  chains,
  enterpriseChainNodes,
  targetEnterprises,
} from '../../db/schema.ts';
import { diffChain, isEmptyDiff, type ChainDiff, type ChainSpec } from '../../domain/chains/index.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import {
  clusterOrder,
  configChainSpec,
  editedChains,
  insertChain,
  nodeRow,
  storedChainSpec,
} from './seed.ts';
import { refreshAssignments } from './service.ts';
import { bumpChainsVersion } from './cache.ts';

/**
 * added: new in the configuration, written · updated: changed, applied · unchanged · edited: an
 * administrator edited it, skipped (apply with force) · blocked: the sync would drop people's work
 * (see `blockers`) · admin_chain: the code belongs to a chain an administrator created · not_in_config: seeded
 * from the configuration once, no longer there (left alone).
 */
export type ChainSyncStatus =
  'added' | 'updated' | 'unchanged' | 'edited' | 'blocked' | 'admin_chain' | 'not_in_config';

export interface NodeBlockers {
  node: string;
  /** people's placement decisions (confirmed or override) on the node */
  decisions: number;
  targets: number;
  projects: number;
}

export interface ChainSyncResult {
  code: string;
  status: ChainSyncStatus;
  /** false on a dry run, or when nothing was written */
  applied: boolean;
  /** administrators' edits on record (history rows other than config.sync) */
  edits: number;
  diff: ChainDiff | null;
  blockers: NodeBlockers[];
}

export interface SyncReport {
  dryRun: boolean;
  force: boolean;
  chains: ChainSyncResult[];
  /** automatic placements written by the rebuild after the sync; null when nothing was applied */
  placements: number | null;
}

/** People's work on the nodes a sync would remove: decisions, target enterprises, chain projects. */
async function blockersOf(db: Db, code: string, nodes: readonly string[]): Promise<NodeBlockers[]> {
  if (nodes.length === 0) return [];
  const [decisions, targets, projects] = await Promise.all([
    db
      .select({ node: enterpriseChainNodes.nodeCode, n: sql<number>`count(*)::int` })
      .from(enterpriseChainNodes)
      .where(
        and(
          eq(enterpriseChainNodes.chainCode, code),
          inArray(enterpriseChainNodes.nodeCode, [...nodes]),
          ne(enterpriseChainNodes.basis, 'auto'),
        ),
      )
      .groupBy(enterpriseChainNodes.nodeCode),
    db
      .select({ node: targetEnterprises.nodeCode, n: sql<number>`count(*)::int` })
      .from(targetEnterprises)
      .where(and(eq(targetEnterprises.chainCode, code), inArray(targetEnterprises.nodeCode, [...nodes])))
      .groupBy(targetEnterprises.nodeCode),
    db
      .select({ node: chainProjects.nodeCode, n: sql<number>`count(*)::int` })
      .from(chainProjects)
      .where(and(eq(chainProjects.chainCode, code), inArray(chainProjects.nodeCode, [...nodes])))
      .groupBy(chainProjects.nodeCode),
  ]);
  const count = (rows: { node: string | null; n: number }[], node: string) =>
    Number(rows.find((r) => r.node === node)?.n ?? 0);
  return nodes
    .map((node) => ({
      node,
      decisions: count(decisions, node),
      targets: count(targets, node),
      projects: count(projects, node),
    }))
    .filter((b) => b.decisions + b.targets + b.projects > 0);
}

/** Writes the difference to the chain, with its history and audit rows. */
async function applyDiff(
  tx: Db,
  code: string,
  before: ChainSpec,
  wanted: ChainSpec,
  diff: ChainDiff,
  actor: Actor,
  sortOrder: number,
) {
  const now = new Date();
  const removed = diff.nodesRemoved.map((n) => n.code);
  if (diff.fields.length) {
    const f = wanted.fields;
    await tx
      .update(chains)
      .set({
        clusterCode: f.clusterCode,
        name: f.name,
        nameEn: f.nameEn,
        description: f.description,
        proposed: f.proposed,
        sources: [...f.sources],
        landmark: f.landmark,
        policyNote: f.policyNote,
        sortOrder,
      })
      .where(eq(chains.code, code));
  }
  for (const e of diff.edgesRemoved)
    await tx
      .delete(chainEdges)
      .where(
        and(eq(chainEdges.chainCode, code), eq(chainEdges.fromCode, e.from), eq(chainEdges.toCode, e.to)),
      );
  if (removed.length) {
    await tx
      .delete(chainEdges)
      .where(
        and(
          eq(chainEdges.chainCode, code),
          or(inArray(chainEdges.fromCode, removed), inArray(chainEdges.toCode, removed)),
        ),
      );
    // only automatic rows: a chain with people's decisions on a removed node is blocked before this
    await tx
      .delete(enterpriseChainNodes)
      .where(
        and(
          eq(enterpriseChainNodes.chainCode, code),
          inArray(enterpriseChainNodes.nodeCode, removed),
          eq(enterpriseChainNodes.basis, 'auto'),
        ),
      );
    await tx.delete(chainNodes).where(and(eq(chainNodes.chainCode, code), inArray(chainNodes.code, removed)));
  }
  const position = new Map(wanted.nodes.map((n, i) => [n.code, i]));
  if (diff.nodesAdded.length)
    await tx.insert(chainNodes).values(diff.nodesAdded.map((n) => nodeRow(code, n, position.get(n.code)!)));
  const changed = new Set(diff.nodesChanged.map((c) => c.code));
  for (const n of wanted.nodes) {
    if (diff.nodesAdded.some((a) => a.code === n.code)) continue;
    const row = nodeRow(code, n, position.get(n.code)!);
    await tx
      .update(chainNodes)
      .set(
        changed.has(n.code)
          ? {
              name: row.name,
              stage: row.stage,
              industryCodes: row.industryCodes,
              keyProducts: row.keyProducts,
              knownEnterprises: row.knownEnterprises,
              sortOrder: row.sortOrder,
              updatedAt: now,
            }
          : { sortOrder: row.sortOrder },
      )
      .where(and(eq(chainNodes.chainCode, code), eq(chainNodes.code, n.code)));
  }
  if (diff.edgesAdded.length)
    await tx
      .insert(chainEdges)
      .values(diff.edgesAdded.map((e) => ({ chainCode: code, fromCode: e.from, toCode: e.to })))
      .onConflictDoNothing();
  await tx.update(chains).set({ updatedAt: now }).where(eq(chains.code, code));
  await bumpChainsVersion(tx);
  await tx.insert(chainHistory).values({
    chainCode: code,
    userId: actor.id,
    username: actor.username,
    action: 'config.sync',
    entityKey: code,
    before: before as never,
    after: wanted as never,
  });
  await writeAudit(tx, actor, {
    action: 'chain.config.sync',
    entity: 'chain',
    entityId: `${code}/${code}`,
    before: { fields: before.fields, nodes: before.nodes.length, edges: before.edges.length },
    after: diff,
  });
}

/**
 * Compares every chain of the configuration with the database and, unless `dryRun`, applies the
 * differences (see the file comment). Chains are handled one transaction each.
 */
export async function syncChains(
  db: Db,
  config: CityConfig,
  opts: { dryRun?: boolean; force?: boolean; actor: Actor },
): Promise<SyncReport> {
  const dryRun = opts.dryRun ?? false;
  const force = opts.force ?? false;
  const rows = await db.select({ code: chains.code, origin: chains.origin }).from(chains);
  const origin = new Map(rows.map((r) => [r.code, r.origin]));
  const edited = await editedChains(db);
  const results: ChainSyncResult[] = [];
  for (const code of Object.keys(config.chains)) {
    const wanted = configChainSpec(config, code)!;
    const sortOrder = clusterOrder(config, wanted.fields.clusterCode);
    const edits = edited.get(code) ?? 0;
    const base = { code, edits, blockers: [] as NodeBlockers[] };
    if (!origin.has(code)) {
      const diff = diffChain({ fields: wanted.fields, nodes: [], edges: [] }, wanted);
      if (!dryRun)
        await db.transaction(async (tx) => {
          await insertChain(tx, code, wanted, { origin: 'config', sortOrder });
          await writeAudit(tx, opts.actor, {
            action: 'chain.config.sync',
            entity: 'chain',
            entityId: `${code}/${code}`,
            after: diff,
          });
        });
      results.push({ ...base, status: 'added', applied: !dryRun, diff });
      continue;
    }
    if (origin.get(code) !== 'config') {
      results.push({ ...base, status: 'admin_chain', applied: false, diff: null });
      continue;
    }
    const current = (await storedChainSpec(db, code))!;
    const diff = diffChain(current, wanted);
    if (isEmptyDiff(diff)) {
      results.push({ ...base, status: 'unchanged', applied: false, diff });
      continue;
    }
    const blockers = await blockersOf(
      db,
      code,
      diff.nodesRemoved.map((n) => n.code),
    );
    if (blockers.length) {
      results.push({ ...base, blockers, status: 'blocked', applied: false, diff });
      continue;
    }
    if (edits > 0 && !force) {
      results.push({ ...base, status: 'edited', applied: false, diff });
      continue;
    }
    if (!dryRun)
      await db.transaction((tx) => applyDiff(tx, code, current, wanted, diff, opts.actor, sortOrder));
    results.push({ ...base, status: 'updated', applied: !dryRun, diff });
  }
  for (const r of rows)
    if (r.origin === 'config' && !(r.code in config.chains))
      results.push({
        code: r.code,
        status: 'not_in_config',
        applied: false,
        edits: edited.get(r.code) ?? 0,
        diff: null,
        blockers: [],
      });
  const placements = results.some((r) => r.applied) ? await refreshAssignments(db) : null;
  return { dryRun, force, chains: results, placements };
}

/** Whether the user must decide something: chains skipped because edited, blocked, or owned by an administrator. */
export function needsDecision(report: SyncReport): boolean {
  return report.chains.some(
    (c) => c.status === 'edited' || c.status === 'blocked' || c.status === 'admin_chain',
  );
}
