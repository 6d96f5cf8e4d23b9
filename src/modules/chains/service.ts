// Industry-chain atlas: chains loaded from config, enterprises placed on nodes (rule + people's
// decisions), node figures, gaps, quadrants and the roadmap; administrators' edits with history. Every
// change is audited in its own transaction; enterprise-level reads take the caller's scope.
import {
  DEFAULT_DISCLOSURE,
  primaryReason,
  roundShare,
  suppressTable,
} from '../../domain/disclosure/index.ts';
import { assertAllowed } from '../../server/policy.ts';
import { rowVisible } from '../../domain/policy/index.ts';
import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { CityConfig } from '../../config/load.ts';
import type { Db } from '../../db/client.ts';
import {
  chainAssignmentInputs,
  chainEdges,
  chainHistory,
  chainNodes,
  chainProjects,
  chains,
  clusters,
  enterpriseChainNodes,
  meta,
  targetEnterprises,
} from '../../db/schema.ts';
import {
  analyseChain,
  assignEnterprises,
  compareGaps,
  countyQuotients,
  DEFAULT_GAP_PARAMS,
  DEFAULT_PROXIMITY,
  DEFAULT_QUADRANT,
  rankTargets,
  type ChainParams,
  type NodeAnalysis,
  type NodeFirm,
} from '../../domain/chains/index.ts';
import { badRequest, conflict, forbidden, notFound } from '../../server/errors.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { getEnterpriseProfile } from '../enterprises/index.ts';
import { listClusters, listIndustries, listRegions } from '../reference/index.ts';
import { clusterOrder, configChainSpec, editedChains, insertChain } from './seed.ts';
import { bumpChainsVersion, chainAnswer, forgetChainAnswers, keptPage } from './cache.ts';
import {
  ASSIGNMENT_META_KEY,
  assignedFirms,
  assignmentFingerprint,
  clusterOutput,
  enterpriseNames,
  idArray,
  insertAutoRows,
  listChainRows,
  loadChain,
  nodeEnterpriseRows,
  outputByCounty,
  recordInputs,
  referenceYear,
  stalePlacementFacts,
  storedAssignmentState,
  type AssignmentState,
  type ChainRow,
  type NodeRow,
  type PlacementFacts,
} from './repo.ts';
import type {
  ChainCreate,
  ChainDetail,
  ChainProject,
  ChainSummary,
  DecisionBody,
  GapView,
  MethodQuery,
  NodeCreate,
  NodeEnterprises,
  NodeEnterprisesQuery,
  NodeUpdate,
  NodeView,
  ProjectCreate,
  ProjectUpdate,
  Roadmap,
  Target,
  TargetCreate,
  TargetUpdate,
} from './schemas.ts';
import type { z } from 'zod';
import type { chainUpdateBody, methodSchema } from './schemas.ts';

/** Below this many firms outside a user's scope, a node's output figures are not shown to that user. */
export const MIN_DISCLOSED_FIRMS = DEFAULT_DISCLOSURE.minFirms;
const BATCH = 1000;
/** Firms placed at a time (placeEnterprises). */
const PLACE_SLICE = 20_000;

// ---------------------------------------------------------------- loading from config

/**
 * Seeds each chain of the city's config once: a chain already in the database is left alone, because
 * administrators own it from then on (edits are kept with history; `clusterscope chains sync` brings
 * later configuration changes in). Only the landmark flag and its policy note follow the configuration
 * on every load, for chains seeded from it that no administrator has edited.
 */
export async function loadChains(db: Db, config: CityConfig): Promise<{ chains: number; added: number }> {
  const existing = new Map((await db.select().from(chains)).map((c) => [c.code, c]));
  const edited = await editedChains(db);
  let added = 0;
  await db.transaction(async (tx) => {
    for (const code of Object.keys(config.chains)) {
      const spec = configChainSpec(config, code)!;
      const row = existing.get(code);
      if (!row) {
        await insertChain(tx, code, spec, {
          origin: 'config',
          sortOrder: clusterOrder(config, spec.fields.clusterCode),
        });
        added++;
      } else if (
        row.origin === 'config' &&
        !edited.has(code) &&
        (row.landmark !== spec.fields.landmark || row.policyNote !== spec.fields.policyNote)
      ) {
        await tx
          .update(chains)
          .set({ landmark: spec.fields.landmark, policyNote: spec.fields.policyNote })
          .where(eq(chains.code, code));
        await bumpChainsVersion(tx);
      }
    }
  });
  // seeded node rules place the registry's firms now, in the write, not on the first read
  await ensureAssignments(db);
  return { chains: Object.keys(config.chains).length, added };
}

// ---------------------------------------------------------------- automatic assignment

export interface RefreshResult {
  /** enterprises whose automatic rows were recomputed (removed ones included) */
  enterprises: number;
  /** automatic rows written for them */
  rows: number;
  full: boolean;
}

/**
 * Recomputes the automatic enterprise ↔ node rows of the given enterprises on every chain from the rule
 * (src/domain/chains/assign.ts) and records what they were computed from. People's decisions (confirmed,
 * override) share the key and win: the rule's row is not written over them. Runs in the caller's
 * transaction.
 */
async function placeEnterprises(
  tx: Db,
  facts: readonly PlacementFacts[],
  gone: readonly number[],
  lap: (step: string) => void = () => undefined,
) {
  const ids = [...facts.map((f) => f.id), ...gone];
  for (let i = 0; i < ids.length; i += 10 * BATCH) {
    const part = idArray(ids.slice(i, i + 10 * BATCH));
    await tx
      .delete(enterpriseChainNodes)
      .where(
        and(eq(enterpriseChainNodes.basis, 'auto'), sql`${enterpriseChainNodes.enterpriseId} = any(${part})`),
      );
    await tx.delete(chainAssignmentInputs).where(sql`${chainAssignmentInputs.enterpriseId} = any(${part})`);
  }
  lap('delete old rows');
  const open = facts.filter((f) => f.status !== 'closed').sort((a, b) => a.id - b.id);
  let written = 0;
  let placing = 0;
  let inserting = 0;
  // every chain first: a firm's evidence on one chain decides over a shared code on another
  const all = await allChains(tx);
  const defs = all.map((l) => l.def);
  // a firm's placement depends on that firm alone: firms go through in slices, so a province's registry
  // (220,000 firms × every chain) is never held as rows all at once
  for (let i = 0; i < open.length; i += PLACE_SLICE) {
    const slice = open.slice(i, i + PLACE_SLICE);
    for (const { chain: c, def } of all) {
      const t0 = performance.now();
      const rows = assignEnterprises(
        def,
        slice.map((f) => ({
          id: f.id,
          name: f.name,
          industryCode: f.industryCode,
          mainProducts: f.mainProducts,
          clusterMember: f.clusters.includes(c.clusterCode),
        })),
        { chains: defs },
      ).map((a) => ({
        enterpriseId: a.enterpriseId,
        chainCode: c.code,
        nodeCode: a.nodeCode,
        match: a.match,
      }));
      const t1 = performance.now();
      await insertAutoRows(tx, rows);
      placing += t1 - t0;
      inserting += performance.now() - t1;
      written += rows.length;
    }
  }
  lap(`place (rule ${(placing / 1000).toFixed(2)} s, insert ${(inserting / 1000).toFixed(2)} s)`);
  await recordInputs(tx, facts);
  await bumpChainsVersion(tx);
  lap('record inputs');
  return written;
}

/** Every chain with its nodes and edges, in code order: what placement on any one chain looks across. */
async function allChains(tx: Db) {
  const out: NonNullable<Awaited<ReturnType<typeof loadChain>>>[] = [];
  for (const c of await tx.select({ code: chains.code }).from(chains).orderBy(asc(chains.code))) {
    const loaded = await loadChain(tx, c.code);
    if (loaded) out.push(loaded);
  }
  return out;
}

async function storeState(tx: Db, state: AssignmentState, last: RefreshResult) {
  const value = { ...state, refreshedAt: new Date().toISOString(), last };
  await tx
    .insert(meta)
    .values({ key: ASSIGNMENT_META_KEY, value })
    .onConflictDoUpdate({ target: meta.key, set: { value } });
}

/** Rebuilds every automatic row of every chain (node rules changed, or nothing recorded yet). */
export async function refreshAssignments(db: Db): Promise<number> {
  const state = await assignmentFingerprint(db);
  return db.transaction(async (tx) => {
    await tx.delete(enterpriseChainNodes).where(eq(enterpriseChainNodes.basis, 'auto'));
    await tx.delete(chainAssignmentInputs);
    const { facts } = await stalePlacementFacts(tx, { all: true });
    const rows = await placeEnterprises(tx, facts, []);
    await storeState(tx, state, { enterprises: facts.length, rows, full: true });
    return rows;
  });
}

/**
 * Brings the automatic rows up to date, in the write that changed their inputs (node rules, a chain
 * created or deleted, the database prepared, demo data generated): never on a read, because GET requests
 * write nothing. Nothing when nothing changed since the last run;
 * a full rebuild when the node rules changed (or none is recorded); otherwise only the enterprises whose
 * name, industry code, status, main products or clusters differ from what their rows were computed from.
 */
export async function ensureAssignments(db: Db): Promise<RefreshResult | null> {
  // sequential: db may be a transaction (refreshAssignmentsFor, the demo), i.e. one connection
  const now = await assignmentFingerprint(db);
  const stored = await storedAssignmentState(db);
  if (stored && now.fingerprint === stored.fingerprint) return null;
  if (!stored || now.nodes !== stored.nodes) {
    const rows = await refreshAssignments(db);
    return { enterprises: -1, rows, full: true };
  }
  return db.transaction(async (tx) => {
    const { facts, gone } = await stalePlacementFacts(tx);
    const rows = await placeEnterprises(tx, facts, gone);
    const last = { enterprises: facts.length + gone.length, rows, full: false };
    await storeState(tx, now, last);
    return last;
  });
}

/**
 * The facts-changed hook's part (src/modules/chains/hooks.ts): inside an import's or a registry edit's
 * transaction, recomputes the placements of the enterprises it changed, so the next read finds them in
 * place. Before the first full build, or if node rules changed without one, it builds everything.
 * The stored fingerprint is left alone: the next ensureAssignments compares digests and finds these
 * up to date.
 */
export async function refreshAssignmentsFor(
  tx: Db,
  enterpriseIds: readonly number[],
  lap: (step: string) => void = () => undefined,
): Promise<number> {
  if (enterpriseIds.length === 0) return 0;
  // one after the other: tx is one connection (pg deprecates concurrent queries on it, pg@9 refuses them)
  const now = await assignmentFingerprint(tx);
  const stored = await storedAssignmentState(tx);
  if (!stored || now.nodes !== stored.nodes) return (await ensureAssignments(tx))?.rows ?? 0;
  lap('fingerprint');
  const { facts, gone } = await stalePlacementFacts(tx, { ids: enterpriseIds });
  lap('stale facts');
  if (facts.length === 0 && gone.length === 0) return 0;
  await placeEnterprises(tx, facts, gone, lap);
  return facts.length + gone.length;
}

// ---------------------------------------------------------------- method and figures

export type Method = z.infer<typeof methodSchema>;

export function methodOf(q: MethodQuery): { method: Method; params: ChainParams } {
  const method: Method = {
    minFirms: q.minFirms ?? DEFAULT_GAP_PARAMS.minFirms,
    weakShare: q.weakShare ?? DEFAULT_GAP_PARAMS.weakShareOfStageMedian,
    minAboveScale: q.minAboveScale ?? DEFAULT_GAP_PARAMS.minAboveScale,
    maxHhi: q.maxHhi ?? DEFAULT_GAP_PARAMS.maxHhi,
    decliningGrowth: q.decliningGrowth ?? DEFAULT_GAP_PARAMS.decliningGrowth,
    strengthCut: q.strengthCut ?? DEFAULT_QUADRANT.strengthCut,
    densityCut: q.densityCut ?? DEFAULT_QUADRANT.densityCut,
  };
  return {
    method,
    params: {
      gap: {
        minFirms: method.minFirms,
        weakShareOfStageMedian: method.weakShare,
        minAboveScale: method.minAboveScale,
        maxHhi: method.maxHhi,
        decliningGrowth: method.decliningGrowth,
      },
      proximity: DEFAULT_PROXIMITY,
      quadrant: { strengthCut: method.strengthCut, densityCut: method.densityCut },
    },
  };
}

async function requireChain(db: Db, code: string) {
  const loaded = await loadChain(db, code);
  if (!loaded) throw notFound('chain');
  return loaded;
}

/** requireChain for the reads: the chain's structure kept per data version (cache.ts). */
async function readChain(db: Db, code: string) {
  const loaded = await chainAnswer(db, `chain:${code}`, () => loadChain(db, code));
  if (!loaded) throw notFound('chain');
  return loaded;
}

/** What a kept answer depends on besides its route inputs: what the reader may see. */
const scopeKey = (user: AuthedUser) => JSON.stringify(user.scope);

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const OUTPUT_FIGURES = new Set(['output', 'ratio', 'growth', 'hhi', 'topFirmShare']);
const SHARE_FIGURES = new Set(['hhi', 'topFirmShare']);

function nodeView(
  n: NodeRow,
  a: NodeAnalysis,
  suppressed: boolean,
  leadingFirms: NodeView['leadingFirms'],
  /** firms on the node the user may not see: single-firm shares are then coarsened */
  hasOutside: boolean,
): NodeView {
  const f = a.figures;
  const hide = <T>(v: T): T | null => (suppressed ? null : v);
  // output × topFirmShare is the top firm's output: shown only to a step when it may be someone else's
  const coarse = (v: number | null) => (hasOutside ? roundShare(v) : v);
  return {
    code: n.code,
    name: n.name,
    nameEn: n.nameEn,
    stage: f.stage,
    industryCodes: strings(n.industryCodes),
    keyProducts: strings(n.keyProducts),
    description: n.description,
    knownEnterprises: Array.isArray(n.knownEnterprises)
      ? (n.knownEnterprises as NodeView['knownEnterprises'])
      : [],
    firms: f.firms,
    aboveScale: f.aboveScale,
    output: hide(f.output),
    reporting: f.reporting,
    sharedCodeOnly: f.sharedCodeOnly,
    growth: hide(f.growth),
    shareOfCluster: hide(f.shareOfCluster),
    hhi: hide(coarse(f.hhi)),
    topFirmShare: hide(coarse(f.topFirmShare)),
    lq: hide(f.lq),
    upstreamCoverage: f.upstreamCoverage,
    downstreamCoverage: f.downstreamCoverage,
    suppressed,
    leadingFirms,
    status: a.gap.status,
    reasons: a.gap.reasons.map((r) => ({
      code: r.code,
      figures: Object.fromEntries(
        Object.entries(r.figures).map(([k, v]) => [
          k,
          suppressed && OUTPUT_FIGURES.has(k) ? null : SHARE_FIGURES.has(k) ? coarse(v) : v,
        ]),
      ),
    })),
    degree: a.gap.degree,
    position: a.gap.position,
    strength: hide(a.strength),
    density: a.density,
    quadrant: a.quadrant,
    action: a.action,
  };
}

interface Computed {
  chain: ChainRow;
  nodes: NodeRow[];
  detail: ChainDetail;
}

/**
 * The chain with every node's figures, gap flags, density, quadrant and proposed action, for this user:
 * computed once per chain, method, reader's scope and data version (cache.ts), whatever the number of
 * readers asking at once. The answer is already what this scope may see (disclosure control inside).
 */
function computeChain(db: Db, user: AuthedUser, code: string, q: MethodQuery): Promise<Computed> {
  const { method } = methodOf(q);
  return chainAnswer(db, `detail:${code}:${JSON.stringify(method)}:${scopeKey(user)}`, () =>
    computeChainNow(db, user, code, q),
  );
}

async function computeChainNow(db: Db, user: AuthedUser, code: string, q: MethodQuery): Promise<Computed> {
  const { chain, nodes, def } = await readChain(db, code);
  const { method, params } = methodOf(q);
  const year = await referenceYear(db);
  const [firms, cOutput, clusters] = await Promise.all([
    assignedFirms(db, code, year, user.scope),
    clusterOutput(db, chain.clusterCode, year),
    listClusters(db),
  ]);
  const byNode = new Map<string, NodeFirm[]>();
  for (const f of firms) {
    const list = byNode.get(f.nodeCode) ?? [];
    list.push(f);
    byNode.set(f.nodeCode, list);
  }
  const analysis = analyseChain(def, byNode, { clusterOutput: cOutput }, params);
  const visible = new Set(firms.filter((f) => f.visible).map((f) => f.id));
  const leadingIds = [...new Set(analysis.flatMap((a) => a.figures.leadingFirmIds))].filter((id) =>
    visible.has(id),
  );
  const names = await enterpriseNames(db, leadingIds);
  const outputOf = new Map(firms.map((f) => [f.id, f.output]));
  const views = nodes.map((n, i) => {
    const a = analysis[i]!;
    const onNode = byNode.get(n.code) ?? [];
    const outside = onNode.filter((f) => !visible.has(f.id));
    // disclosure control on the firms the user may not see (docs/methodology.md "Disclosure control")
    const suppressed = primaryReason(outside.map((f) => f.output ?? 0)) !== null;
    const leading = a.figures.leadingFirmIds
      .filter((id) => visible.has(id))
      .map((id) => ({ id, name: names.get(id) ?? String(id), output: outputOf.get(id) ?? null }));
    return nodeView(n, a, suppressed, leading, outside.length > 0);
  });
  const cluster = clusters.find((c) => c.code === chain.clusterCode);
  // The cluster total is only shown when the user may see every firm or the cluster is large enough.
  const detail: ChainDetail = {
    code: chain.code,
    clusterCode: chain.clusterCode,
    clusterName: cluster?.name ?? null,
    name: chain.name,
    nameEn: chain.nameEn,
    description: chain.description,
    proposed: chain.proposed,
    landmark: chain.landmark,
    policyNote: chain.policyNote,
    origin: chain.origin as ChainDetail['origin'],
    sources: strings(chain.sources),
    referenceYear: year,
    clusterOutput: cOutput,
    method,
    nodes: views,
    edges: def.edges.map((e) => ({ from: e.from, to: e.to })),
  };
  return { chain, nodes, detail };
}

/** Chains grouped by cluster (in the clusters' order); within a cluster landmark chains first, then the
 * chains from the configuration, then those administrators created. */
export function listChains(db: Db): Promise<ChainSummary[]> {
  return chainAnswer(db, 'list', () => listChainsNow(db));
}

async function listChainsNow(db: Db): Promise<ChainSummary[]> {
  const rows = await listChainRows(db);
  const rank = (c: (typeof rows)[number]) => (c.landmark ? 0 : c.origin === 'config' ? 1 : 2);
  return [...rows]
    .sort((a, b) => a.sortOrder - b.sortOrder || rank(a) - rank(b) || (a.code < b.code ? -1 : 1))
    .map((c) => ({
      code: c.code,
      clusterCode: c.clusterCode,
      name: c.name,
      nameEn: c.nameEn,
      proposed: c.proposed,
      landmark: c.landmark,
      policyNote: c.policyNote,
      origin: c.origin as ChainSummary['origin'],
      nodes: c.nodes,
      edges: c.edges,
    }));
}

export async function getChain(db: Db, user: AuthedUser, code: string, q: MethodQuery): Promise<ChainDetail> {
  return (await computeChain(db, user, code, q)).detail;
}

const gapOf = (n: NodeView): GapView => ({
  code: n.code,
  name: n.name,
  stage: n.stage,
  status: n.status,
  reasons: n.reasons,
  density: n.density,
  strength: n.strength,
  degree: n.degree,
  position: n.position,
  action: n.action,
  firms: n.firms,
  output: n.output,
  suppressed: n.suppressed,
});

/** Gaps ranked by feasibility (relatedness density), then missing before weak, then degree. */
function rankedGaps(detail: ChainDetail): GapView[] {
  return detail.nodes
    .filter((n) => n.status !== 'ok')
    .sort(compareGaps)
    .map(gapOf);
}

export function getGaps(db: Db, user: AuthedUser, code: string, q: MethodQuery) {
  return chainAnswer(db, `gaps:${code}:${JSON.stringify(methodOf(q).method)}:${scopeKey(user)}`, async () => {
    const { detail } = await computeChain(db, user, code, q);
    return { referenceYear: detail.referenceYear, method: detail.method, gaps: rankedGaps(detail) };
  });
}

export function getQuadrants(db: Db, user: AuthedUser, code: string, q: MethodQuery) {
  return chainAnswer(db, `quadrants:${code}:${JSON.stringify(methodOf(q).method)}:${scopeKey(user)}`, () =>
    quadrantsNow(db, user, code, q),
  );
}

async function quadrantsNow(db: Db, user: AuthedUser, code: string, q: MethodQuery) {
  const { detail } = await computeChain(db, user, code, q);
  return {
    method: detail.method,
    points: detail.nodes.map((n) => ({
      code: n.code,
      name: n.name,
      stage: n.stage,
      strength: n.strength,
      density: n.density,
      quadrant: n.quadrant,
      status: n.status,
    })),
  };
}

// ---------------------------------------------------------------- node enterprises

/** A node's firms before paging: every firm on the node the reader may see. */
type NodeFirms = Omit<NodeEnterprises, 'total' | 'page' | 'pageSize'>;

/**
 * A page of a node's firms within the reader's scope, others as totals: the whole list is kept per scope
 * and data version (cache.ts) and each page beside it, so a node of thousands of firms is neither
 * recomputed nor sent whole (1 MB at province scale) per request.
 */
export async function getNodeEnterprises(
  db: Db,
  user: AuthedUser,
  code: string,
  nodeCode: string,
  paging: NodeEnterprisesQuery = { page: 1, pageSize: 20 },
): Promise<NodeEnterprises> {
  const whole = await chainAnswer(db, `node:${code}:${nodeCode}:${scopeKey(user)}`, () =>
    nodeEnterprisesNow(db, user, code, nodeCode),
  );
  const { page, pageSize } = paging;
  return keptPage(whole, `${page}:${pageSize}`, () => {
    const { items, others, counties, ...head } = whole;
    const at = (page - 1) * pageSize;
    return {
      ...head,
      items: items.slice(at, at + pageSize),
      total: items.length,
      page,
      pageSize,
      others,
      counties,
    };
  });
}

async function nodeEnterprisesNow(
  db: Db,
  user: AuthedUser,
  code: string,
  nodeCode: string,
): Promise<NodeFirms> {
  const { nodes } = await readChain(db, code);
  const node = nodes.find((n) => n.code === nodeCode);
  if (!node) throw notFound('chain node');
  const year = await referenceYear(db);
  const [items, all, totals, regions] = await Promise.all([
    nodeEnterpriseRows(db, user.scope, code, nodeCode, year),
    assignedFirms(db, code, year),
    outputByCounty(db, year),
    listRegions(db),
  ]);
  const onNode = all.filter((f) => f.nodeCode === nodeCode);
  const visible = new Set(items.filter((i) => i.assigned).map((i) => i.id));
  const others = onNode.filter((f) => !visible.has(f.id));
  const sumOut = (list: readonly { output: number | null }[]) =>
    list.reduce((s, f) => s + (f.output ?? 0), 0);
  const nodeByCounty = new Map<string, number>();
  for (const f of onNode)
    nodeByCounty.set(f.regionCode, (nodeByCounty.get(f.regionCode) ?? 0) + (f.output ?? 0));
  const quotients = countyQuotients(nodeByCounty, totals).filter((q) =>
    regions.some((r) => r.code === q.regionCode),
  );
  // the counties add up to the node's output (shown on the chain map): a lone hidden county would
  // be the node's output minus the others, so one more is hidden with it (secondary suppression)
  const hidden = suppressTable(
    quotients.map((q) => ({
      primary: primaryReason(
        onNode.filter((f) => f.regionCode === q.regionCode && !visible.has(f.id)).map((f) => f.output ?? 0),
      ),
      value: q.output ?? 0,
      groups: ['node'],
    })),
  );
  const counties = quotients.map((q, i) => {
    const inCounty = onNode.filter((f) => f.regionCode === q.regionCode);
    const ok = hidden[i] === null;
    return {
      regionCode: q.regionCode,
      regionName: regions.find((r) => r.code === q.regionCode)?.name ?? null,
      firms: inCounty.length,
      output: ok ? q.output : null,
      lq: ok ? q.lq : null,
    };
  });
  return {
    chainCode: code,
    node: { code: node.code, name: node.name, stage: node.stage as NodeEnterprises['node']['stage'] },
    referenceYear: year,
    items: items.map((i) => ({
      id: i.id,
      name: i.name,
      regionCode: i.regionCode,
      regionName: i.regionName,
      industryCode: i.industryCode,
      scale: i.scale,
      basis: i.basis as NodeEnterprises['items'][number]['basis'],
      assigned: i.assigned,
      match: i.match as NodeEnterprises['items'][number]['match'],
      output: i.output,
      outputPrev: i.outputPrev,
      decidedByName: i.decidedByName,
      decidedAt: i.basis === 'auto' ? null : i.decidedAt.toISOString(),
      note: i.note,
    })),
    others: {
      firms: others.length,
      output: primaryReason(others.map((f) => f.output ?? 0)) === null ? sumOut(others) : null,
    },
    counties,
  };
}

// ---------------------------------------------------------------- assignment decisions

/**
 * confirm: agree with the rule's placement; include: put the firm on the node; exclude: keep it off the
 * node whatever the rule says; reset: forget the decision and let the rule decide again.
 */
export async function decideAssignment(
  db: Db,
  user: AuthedUser,
  code: string,
  nodeCode: string,
  enterpriseId: number,
  body: DecisionBody,
  actor: Actor,
  paging?: NodeEnterprisesQuery,
): Promise<NodeEnterprises> {
  assertAllowed(user, 'chains.nodeFirms', 'assign');
  await ensureAssignments(db);
  const { chain, def } = await requireChain(db, code);
  if (!def.nodes.some((n) => n.code === nodeCode)) throw notFound('chain node');
  await getEnterpriseProfile(db, user.scope, enterpriseId); // 404 outside the scope
  const key = and(
    eq(enterpriseChainNodes.enterpriseId, enterpriseId),
    eq(enterpriseChainNodes.chainCode, code),
    eq(enterpriseChainNodes.nodeCode, nodeCode),
  );
  await db.transaction(async (tx) => {
    // (locked: a concurrent decision on the same firm and node waits and judges this one's outcome)
    const [before] = await tx.select().from(enterpriseChainNodes).where(key).for('update');
    const who = {
      decidedBy: actor.id,
      decidedByName: actor.username,
      decidedAt: new Date(),
      note: body.note ?? null,
    };
    if (body.decision === 'confirm') {
      if (!before || !before.assigned) {
        throw conflict(
          'The rule does not place this enterprise on the node; include it instead.',
          '规则未将该企业放在此环节，请使用“加入”。',
        );
      }
      await tx
        .update(enterpriseChainNodes)
        .set({ basis: 'confirmed', assigned: true, ...who })
        .where(key);
    } else if (body.decision === 'include' || body.decision === 'exclude') {
      const assigned = body.decision === 'include';
      const row = {
        enterpriseId,
        chainCode: code,
        nodeCode,
        basis: 'override',
        assigned,
        match: before?.match ?? 'manual',
        ...who,
      };
      await tx
        .insert(enterpriseChainNodes)
        .values(row)
        .onConflictDoUpdate({
          target: [
            enterpriseChainNodes.enterpriseId,
            enterpriseChainNodes.chainCode,
            enterpriseChainNodes.nodeCode,
          ],
          set: { basis: 'override', assigned, ...who },
        });
    } else {
      await tx.delete(enterpriseChainNodes).where(key);
      // the firm's placement inputs, read through the registry's relations (one firm, all: no digest gate)
      const {
        facts: [firm],
      } = await stalePlacementFacts(tx, { ids: [enterpriseId], all: true });
      if (firm && firm.status !== 'closed') {
        // the same rule as placeEnterprises: across every chain
        const defs = (await allChains(tx)).map((l) => l.def);
        const auto = assignEnterprises(
          def,
          [
            {
              id: firm.id,
              name: firm.name,
              industryCode: firm.industryCode,
              mainProducts: firm.mainProducts,
              clusterMember: firm.clusters.includes(chain.clusterCode),
            },
          ],
          { chains: defs },
        ).find((a) => a.nodeCode === nodeCode);
        if (auto)
          await tx.insert(enterpriseChainNodes).values({
            enterpriseId,
            chainCode: code,
            nodeCode,
            basis: 'auto',
            assigned: true,
            match: auto.match,
          });
      }
    }
    const [after] = await tx.select().from(enterpriseChainNodes).where(key);
    await writeAudit(tx, actor, {
      action: 'chain.assignment',
      entity: 'enterprise_chain_node',
      entityId: `${code}/${nodeCode}/${enterpriseId}`,
      before: before ?? null,
      after: after ? { ...after, decision: body.decision } : { decision: body.decision },
    });
    await bumpChainsVersion(tx);
  });
  // committed now: the answer below (and every reader's next one) is computed afresh
  forgetChainAnswers();
  return getNodeEnterprises(db, user, code, nodeCode, paging);
}

// ---------------------------------------------------------------- administrators' edits with history

function requireAdmin(user: AuthedUser) {
  assertAllowed(user, 'chains.chain', 'manage');
}

async function recordEdit(
  tx: Db,
  actor: Actor,
  chainCode: string,
  action: string,
  entity: string,
  entityKey: string,
  before: unknown,
  after: unknown,
) {
  await tx.insert(chainHistory).values({
    chainCode,
    userId: actor.id,
    username: actor.username,
    action,
    entityKey,
    before: (before ?? null) as never,
    after: (after ?? null) as never,
  });
  await tx.update(chains).set({ updatedAt: new Date() }).where(eq(chains.code, chainCode));
  await bumpChainsVersion(tx);
  await writeAudit(tx, actor, {
    action: `chain.${action}`,
    entity,
    entityId: `${chainCode}/${entityKey}`,
    before,
    after,
  });
}

export async function updateChain(
  db: Db,
  user: AuthedUser,
  code: string,
  body: z.infer<typeof chainUpdateBody>,
  actor: Actor,
) {
  requireAdmin(user);
  const { chain } = await requireChain(db, code);
  await db.transaction(async (tx) => {
    const [after] = await tx
      .update(chains)
      .set({ ...body, updatedAt: new Date() })
      .where(eq(chains.code, code))
      .returning();
    await recordEdit(tx, actor, code, 'update', 'chain', code, chain, after);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
  return listChains(db).then((all) => all.find((c) => c.code === code)!);
}

/**
 * A new chain of a cluster (administrators): empty, or with the nodes of another chain (all, or the ones
 * named) and the edges between them. People's placement decisions are not copied: they concern the other
 * chain; the rule places enterprises on the new nodes in the same write.
 */
export async function createChain(db: Db, user: AuthedUser, body: ChainCreate, actor: Actor) {
  requireAdmin(user);
  const [cluster] = await db.select().from(clusters).where(eq(clusters.code, body.clusterCode));
  if (!cluster)
    throw badRequest(`No cluster ${body.clusterCode}.`, `集群 ${body.clusterCode} 不存在。`, [
      { field: 'clusterCode', message: 'unknown cluster', messageZh: '集群不存在' },
    ]);
  if (await loadChain(db, body.code))
    throw conflict(`A chain ${body.code} exists already.`, `产业链 ${body.code} 已存在。`, [
      { field: 'code', message: 'exists', messageZh: '已存在' },
    ]);
  let nodes: NodeRow[] = [];
  let edges: { from: string; to: string }[] = [];
  if (body.copyFrom) {
    const source = await loadChain(db, body.copyFrom.chainCode);
    if (!source)
      throw badRequest(
        `No chain ${body.copyFrom.chainCode} to copy from.`,
        `要复制的产业链 ${body.copyFrom.chainCode} 不存在。`,
        [{ field: 'copyFrom.chainCode', message: 'unknown chain', messageZh: '产业链不存在' }],
      );
    const wanted = body.copyFrom.nodeCodes;
    const unknown = (wanted ?? []).filter((c) => !source.nodes.some((n) => n.code === c));
    if (unknown.length)
      throw badRequest(
        `No node(s) ${unknown.join(', ')} in chain ${source.chain.code}.`,
        `产业链 ${source.chain.code} 中没有环节：${unknown.join('、')}。`,
        [
          {
            field: 'copyFrom.nodeCodes',
            message: `unknown: ${unknown.join(', ')}`,
            messageZh: `不存在：${unknown.join('、')}`,
          },
        ],
      );
    nodes = wanted ? source.nodes.filter((n) => wanted.includes(n.code)) : source.nodes;
    const kept = new Set(nodes.map((n) => n.code));
    edges = source.def.edges.filter((e) => kept.has(e.from) && kept.has(e.to));
  }
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(chains)
      .values({
        code: body.code,
        clusterCode: body.clusterCode,
        name: body.name,
        nameEn: body.nameEn ?? null,
        description: body.description ?? null,
        proposed: true,
        sources: [],
        landmark: body.landmark,
        policyNote: body.policyNote ?? null,
        origin: 'admin',
        sortOrder: cluster.sortOrder,
      })
      .returning();
    if (nodes.length)
      await tx.insert(chainNodes).values(
        nodes.map((n, i) => ({
          chainCode: body.code,
          code: n.code,
          name: n.name,
          nameEn: n.nameEn,
          stage: n.stage,
          industryCodes: n.industryCodes,
          keyProducts: n.keyProducts,
          description: n.description,
          knownEnterprises: n.knownEnterprises,
          sortOrder: i + 1,
        })),
      );
    if (edges.length)
      await tx
        .insert(chainEdges)
        .values(edges.map((e) => ({ chainCode: body.code, fromCode: e.from, toCode: e.to })));
    await recordEdit(tx, actor, body.code, 'create', 'chain', body.code, null, {
      ...row,
      copyFrom: body.copyFrom ?? null,
      nodes: nodes.map((n) => n.code),
      edges,
    });
    // node rules changed: placements follow in the same write (reads never place)
    await ensureAssignments(tx);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
  return (await listChains(db)).find((c) => c.code === body.code)!;
}

/**
 * Deletes a chain an administrator created, with its nodes, edges and automatic placements. Refused for
 * chains from the city's configuration, and while the chain has target enterprises, chain projects or
 * people's placement decisions (move or reset them first): nothing of people's work is lost silently.
 * The whole chain is kept in its history row (and the audit log).
 */
export async function deleteChain(db: Db, user: AuthedUser, code: string, actor: Actor) {
  requireAdmin(user);
  const { chain, nodes, def } = await requireChain(db, code);
  if (chain.origin !== 'admin')
    throw conflict(
      `Chain ${code} comes from the city's configuration and is not deleted; edit it instead.`,
      `产业链 ${code} 来自本市配置，不能删除，可以编辑。`,
    );
  const [[targets], [projects], [decisions]] = await Promise.all([
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(targetEnterprises)
      .where(eq(targetEnterprises.chainCode, code)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(chainProjects)
      .where(eq(chainProjects.chainCode, code)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(enterpriseChainNodes)
      .where(and(eq(enterpriseChainNodes.chainCode, code), sql`${enterpriseChainNodes.basis} <> 'auto'`)),
  ]);
  const t = Number(targets?.n ?? 0);
  const p = Number(projects?.n ?? 0);
  const dcs = Number(decisions?.n ?? 0);
  if (t || p || dcs)
    throw conflict(
      `Chain ${code} has ${t} target enterprise(s), ${p} chain project(s) and ${dcs} placement decision(s); move or reset them first.`,
      `产业链 ${code} 仍有 ${t} 家目标企业、${p} 个链上项目和 ${dcs} 条人工归链决定，请先移走或重置。`,
    );
  await db.transaction(async (tx) => {
    await tx.delete(chainEdges).where(eq(chainEdges.chainCode, code));
    await tx.delete(enterpriseChainNodes).where(eq(enterpriseChainNodes.chainCode, code));
    await tx.delete(chainNodes).where(eq(chainNodes.chainCode, code));
    await recordEdit(tx, actor, code, 'delete', 'chain', code, { ...chain, nodes, edges: def.edges }, null);
    await tx.delete(chains).where(eq(chains.code, code));
    // node rules changed: placements follow in the same write (reads never place)
    await ensureAssignments(tx);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
}

async function validateCodes(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return;
  const known = new Set((await listIndustries(db, {})).map((i) => i.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length) {
    throw badRequest(
      `Unknown GB/T 4754 code(s): ${unknown.join(', ')}`,
      `国民经济行业代码不存在：${unknown.join('、')}`,
      [
        {
          field: 'industryCodes',
          message: `unknown: ${unknown.join(', ')}`,
          messageZh: `不存在：${unknown.join('、')}`,
        },
      ],
    );
  }
}

export async function createNode(db: Db, user: AuthedUser, code: string, body: NodeCreate, actor: Actor) {
  requireAdmin(user);
  const { nodes } = await requireChain(db, code);
  if (nodes.some((n) => n.code === body.code)) {
    throw conflict(`Node ${body.code} exists already.`, `环节 ${body.code} 已存在。`, [
      { field: 'code', message: 'exists', messageZh: '已存在' },
    ]);
  }
  await validateCodes(db, body.industryCodes);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(chainNodes)
      .values({
        chainCode: code,
        code: body.code,
        name: body.name,
        nameEn: body.nameEn ?? null,
        stage: body.stage,
        industryCodes: body.industryCodes,
        keyProducts: body.keyProducts,
        description: body.description ?? null,
        sortOrder: Math.max(0, ...nodes.map((n) => n.sortOrder)) + 1,
      })
      .returning();
    await recordEdit(tx, actor, code, 'node.create', 'chain_node', body.code, null, row);
    // node rules changed: placements follow in the same write (reads never place)
    await ensureAssignments(tx);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
}

export async function updateNode(
  db: Db,
  user: AuthedUser,
  code: string,
  nodeCode: string,
  body: NodeUpdate,
  actor: Actor,
) {
  requireAdmin(user);
  const { nodes } = await requireChain(db, code);
  const before = nodes.find((n) => n.code === nodeCode);
  if (!before) throw notFound('chain node');
  if (body.industryCodes) await validateCodes(db, body.industryCodes);
  await db.transaction(async (tx) => {
    const [after] = await tx
      .update(chainNodes)
      .set({ ...body, updatedAt: new Date() })
      .where(and(eq(chainNodes.chainCode, code), eq(chainNodes.code, nodeCode)))
      .returning();
    await recordEdit(tx, actor, code, 'node.update', 'chain_node', nodeCode, before, after);
    // node rules changed: placements follow in the same write (reads never place)
    await ensureAssignments(tx);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
}

export async function deleteNode(db: Db, user: AuthedUser, code: string, nodeCode: string, actor: Actor) {
  requireAdmin(user);
  const { nodes, def } = await requireChain(db, code);
  const before = nodes.find((n) => n.code === nodeCode);
  if (!before) throw notFound('chain node');
  const [targets, projects] = await Promise.all([
    db
      .select({ id: targetEnterprises.id })
      .from(targetEnterprises)
      .where(and(eq(targetEnterprises.chainCode, code), eq(targetEnterprises.nodeCode, nodeCode))),
    db
      .select({ id: chainProjects.id })
      .from(chainProjects)
      .where(and(eq(chainProjects.chainCode, code), eq(chainProjects.nodeCode, nodeCode))),
  ]);
  if (targets.length || projects.length) {
    throw conflict(
      `Node ${nodeCode} has ${targets.length} target enterprise(s) and ${projects.length} project(s); move them first.`,
      `环节 ${nodeCode} 仍有 ${targets.length} 家目标企业和 ${projects.length} 个项目，请先移走。`,
    );
  }
  const edges = def.edges.filter((e) => e.from === nodeCode || e.to === nodeCode);
  await db.transaction(async (tx) => {
    await tx
      .delete(chainEdges)
      .where(
        and(
          eq(chainEdges.chainCode, code),
          or(eq(chainEdges.fromCode, nodeCode), eq(chainEdges.toCode, nodeCode)),
        ),
      );
    await tx
      .delete(enterpriseChainNodes)
      .where(and(eq(enterpriseChainNodes.chainCode, code), eq(enterpriseChainNodes.nodeCode, nodeCode)));
    await tx.delete(chainNodes).where(and(eq(chainNodes.chainCode, code), eq(chainNodes.code, nodeCode)));
    await recordEdit(tx, actor, code, 'node.delete', 'chain_node', nodeCode, { ...before, edges }, null);
    // node rules changed: placements follow in the same write (reads never place)
    await ensureAssignments(tx);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
}

export async function createEdge(
  db: Db,
  user: AuthedUser,
  code: string,
  from: string,
  to: string,
  actor: Actor,
) {
  requireAdmin(user);
  const { def } = await requireChain(db, code);
  const errors = [from, to]
    .filter((c) => !def.nodes.some((n) => n.code === c))
    .map((c) => ({
      field: c === from ? 'from' : 'to',
      message: `no node ${c}`,
      messageZh: `环节 ${c} 不存在`,
    }));
  if (from === to)
    errors.push({
      field: 'to',
      message: 'an edge joins two different nodes',
      messageZh: '连线须连接两个不同的环节',
    });
  if (errors.length)
    throw badRequest(
      errors.map((e) => e.message).join('; '),
      errors.map((e) => e.messageZh).join('；'),
      errors,
    );
  if (def.edges.some((e) => e.from === from && e.to === to))
    throw conflict(`The edge ${from} → ${to} exists already.`, `连线 ${from} → ${to} 已存在。`);
  await db.transaction(async (tx) => {
    await tx.insert(chainEdges).values({ chainCode: code, fromCode: from, toCode: to });
    await recordEdit(tx, actor, code, 'edge.create', 'chain_edge', `${from}>${to}`, null, { from, to });
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
}

export async function deleteEdge(
  db: Db,
  user: AuthedUser,
  code: string,
  from: string,
  to: string,
  actor: Actor,
) {
  requireAdmin(user);
  const { def } = await requireChain(db, code);
  if (!def.edges.some((e) => e.from === from && e.to === to)) throw notFound('chain edge');
  await db.transaction(async (tx) => {
    await tx
      .delete(chainEdges)
      .where(and(eq(chainEdges.chainCode, code), eq(chainEdges.fromCode, from), eq(chainEdges.toCode, to)));
    await recordEdit(tx, actor, code, 'edge.delete', 'chain_edge', `${from}>${to}`, { from, to }, null);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
}

/** The chain's history: kept per data version (every writer of chain_history bumps the chains' stamp). */
export function chainHistoryOf(db: Db, code: string) {
  return chainAnswer(db, `history:${code}`, () => chainHistoryNow(db, code));
}

async function chainHistoryNow(db: Db, code: string) {
  await readChain(db, code);
  const rows = await db
    .select()
    .from(chainHistory)
    .where(eq(chainHistory.chainCode, code))
    .orderBy(asc(chainHistory.id));
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    username: r.username,
    action: r.action,
    entityKey: r.entityKey,
    before: r.before,
    after: r.after,
  }));
}

// ---------------------------------------------------------------- targets and chain projects

/** Administrators, and the cluster agency of the chain's cluster, keep the 招商 library and projects. */
function requireRoadmapEditor(user: AuthedUser, chain: ChainRow) {
  assertAllowed(user, 'chains.plan', 'update');
  // the policy's `cluster` row rule: an agency keeps its own cluster's chains
  if (rowVisible(user, 'chains.plan', { clusterCodes: [chain.clusterCode] })) return;
  throw forbidden(
    'Only administrators and the cluster agency of this chain edit its roadmap.',
    '只有管理员和本链所属集群的促进机构可以编辑招商路线图。',
  );
}

type TargetRow = typeof targetEnterprises.$inferSelect;
type ProjectRow = typeof chainProjects.$inferSelect;

const targetOut = (t: TargetRow): Target => ({
  id: t.id,
  name: t.name,
  headquarters: t.headquarters,
  chainCode: t.chainCode,
  nodeCode: t.nodeCode,
  sizeClass: t.sizeClass,
  revenue: t.revenue,
  contactStatus: t.contactStatus as Target['contactStatus'],
  expanding: t.expanding,
  source: t.source,
  note: t.note,
  updatedAt: t.updatedAt.toISOString(),
});

const projectOut = (p: ProjectRow): ChainProject => ({
  id: p.id,
  chainCode: p.chainCode,
  nodeCode: p.nodeCode,
  kind: p.kind as ChainProject['kind'],
  name: p.name,
  owner: p.owner,
  stage: p.stage as ChainProject['stage'],
  investmentProjectId: p.investmentProjectId,
  targetEnterpriseId: p.targetEnterpriseId,
  note: p.note,
  updatedAt: p.updatedAt.toISOString(),
});

/**
 * A change of the chain's 招商 library or projects, in the chain's history beside the structure edits
 * (actions target.create|update|delete, project.create|update|delete; entity key the row's id), with
 * the whole row before and after. These are not structure edits: they neither mark the chain as edited
 * for `chains sync` (editedChains) nor change its updatedAt. The audit row is written by the caller.
 */
async function recordRoadmapHistory(
  tx: Db,
  actor: Actor,
  chainCode: string,
  action: `${'target' | 'project'}.${'create' | 'update' | 'delete'}`,
  id: number,
  before: unknown,
  after: unknown,
) {
  await tx.insert(chainHistory).values({
    chainCode,
    userId: actor.id,
    username: actor.username,
    action,
    entityKey: String(id),
    before: (before ?? null) as never,
    after: (after ?? null) as never,
  });
  // the roadmap, the target library and the projects are kept answers (cache.ts)
  await bumpChainsVersion(tx);
}

function requireNode(def: { nodes: readonly { code: string }[] }, nodeCode: string | null | undefined) {
  if (nodeCode != null && !def.nodes.some((n) => n.code === nodeCode)) {
    throw badRequest(`No node ${nodeCode} in this chain.`, `本链没有环节 ${nodeCode}。`, [
      { field: 'nodeCode', message: 'unknown node', messageZh: '环节不存在' },
    ]);
  }
}

/** The chain's target library: kept per data version (its writes bump the stamp in recordRoadmapHistory). */
export function listTargets(db: Db, code: string): Promise<Target[]> {
  return chainAnswer(db, `targets:${code}`, () => targetsNow(db, code));
}

async function targetsNow(db: Db, code: string): Promise<Target[]> {
  await readChain(db, code);
  const rows = await db
    .select()
    .from(targetEnterprises)
    .where(eq(targetEnterprises.chainCode, code))
    .orderBy(asc(targetEnterprises.nodeCode), asc(targetEnterprises.id));
  return rows.map(targetOut);
}

export async function createTarget(
  db: Db,
  user: AuthedUser,
  code: string,
  body: TargetCreate,
  actor: Actor,
): Promise<Target> {
  const { chain, def } = await requireChain(db, code);
  requireRoadmapEditor(user, chain);
  requireNode(def, body.nodeCode);
  const out = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(targetEnterprises)
      .values({
        ...body,
        chainCode: code,
        headquarters: body.headquarters ?? null,
        sizeClass: body.sizeClass ?? null,
        revenue: body.revenue ?? null,
        source: body.source ?? null,
        note: body.note ?? null,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: 'chain.target.create',
      entity: 'target_enterprise',
      entityId: row!.id,
      after: row,
    });
    await recordRoadmapHistory(tx, actor, code, 'target.create', row!.id, null, row);
    return targetOut(row!);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
  return out;
}

/**
 * A target enterprise's row, locked until the caller's transaction ends: an edit or delete running at the
 * same time waits and then sees this one's outcome (a second delete is a 404, not a second audit entry of
 * a row already gone), and the audit's "before" is the row replaced.
 */
async function lockedTarget(tx: Db, id: number) {
  const [row] = await tx.select().from(targetEnterprises).where(eq(targetEnterprises.id, id)).for('update');
  if (!row) throw notFound('target enterprise');
  return row;
}

/** A chain project's row, locked until the caller's transaction ends (as lockedTarget). */
async function lockedProject(tx: Db, id: number) {
  const [row] = await tx.select().from(chainProjects).where(eq(chainProjects.id, id)).for('update');
  if (!row) throw notFound('chain project');
  return row;
}

export async function updateTarget(
  db: Db,
  user: AuthedUser,
  id: number,
  body: TargetUpdate,
  actor: Actor,
): Promise<Target> {
  const out = await db.transaction(async (tx) => {
    const before = await lockedTarget(tx, id);
    const { chain, def } = await requireChain(tx, before.chainCode);
    requireRoadmapEditor(user, chain);
    requireNode(def, body.nodeCode);
    const [after] = await tx
      .update(targetEnterprises)
      .set({ ...body, updatedAt: new Date() })
      .where(eq(targetEnterprises.id, id))
      .returning();
    await writeAudit(tx, actor, {
      action: 'chain.target.update',
      entity: 'target_enterprise',
      entityId: id,
      before,
      after,
    });
    await recordRoadmapHistory(tx, actor, before.chainCode, 'target.update', id, before, after);
    return targetOut(after!);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
  return out;
}

/**
 * Deletes a target enterprise. Refused (409) while a chain project names it: the project would lose its
 * link silently; unlink or delete the project first. Audited, and kept whole in the chain's history.
 */
export async function deleteTarget(db: Db, user: AuthedUser, id: number, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockedTarget(tx, id);
    const { chain } = await requireChain(tx, before.chainCode);
    requireRoadmapEditor(user, chain);
    const linked = await tx
      .select({ id: chainProjects.id, name: chainProjects.name })
      .from(chainProjects)
      .where(eq(chainProjects.targetEnterpriseId, id))
      .orderBy(asc(chainProjects.id));
    if (linked.length)
      throw conflict(
        `The target enterprise ${before.name} is linked from ${linked.length} chain project(s) (${linked.map((p) => p.name).join(', ')}); unlink or delete them first.`,
        `目标企业“${before.name}”仍被 ${linked.length} 个链上项目关联（${linked.map((p) => p.name).join('、')}），请先取消关联或删除这些项目。`,
      );
    await tx.delete(targetEnterprises).where(eq(targetEnterprises.id, id));
    await writeAudit(tx, actor, {
      action: 'chain.target.delete',
      entity: 'target_enterprise',
      entityId: id,
      before,
    });
    await recordRoadmapHistory(tx, actor, before.chainCode, 'target.delete', id, before, null);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
}

/** The chain's projects: kept per data version (its writes bump the stamp in recordRoadmapHistory). */
export function listProjects(db: Db, code: string): Promise<ChainProject[]> {
  return chainAnswer(db, `projects:${code}`, () => projectsNow(db, code));
}

async function projectsNow(db: Db, code: string): Promise<ChainProject[]> {
  await readChain(db, code);
  const rows = await db
    .select()
    .from(chainProjects)
    .where(eq(chainProjects.chainCode, code))
    .orderBy(asc(chainProjects.id));
  return rows.map(projectOut);
}

async function requireTarget(db: Db, code: string, id: number | null | undefined) {
  if (id == null) return;
  const [t] = await db
    .select({ id: targetEnterprises.id })
    .from(targetEnterprises)
    .where(and(eq(targetEnterprises.id, id), eq(targetEnterprises.chainCode, code)));
  if (!t)
    throw badRequest(`No target enterprise ${id} on this chain.`, `本链没有目标企业 ${id}。`, [
      { field: 'targetEnterpriseId', message: 'unknown', messageZh: '不存在' },
    ]);
}

export async function createProject(
  db: Db,
  user: AuthedUser,
  code: string,
  body: ProjectCreate,
  actor: Actor,
): Promise<ChainProject> {
  const { chain, def } = await requireChain(db, code);
  requireRoadmapEditor(user, chain);
  requireNode(def, body.nodeCode);
  await requireTarget(db, code, body.targetEnterpriseId);
  const out = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(chainProjects)
      .values({
        ...body,
        chainCode: code,
        nodeCode: body.nodeCode ?? null,
        owner: body.owner ?? null,
        investmentProjectId: body.investmentProjectId ?? null,
        targetEnterpriseId: body.targetEnterpriseId ?? null,
        note: body.note ?? null,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: 'chain.project.create',
      entity: 'chain_project',
      entityId: row!.id,
      after: row,
    });
    await recordRoadmapHistory(tx, actor, code, 'project.create', row!.id, null, row);
    return projectOut(row!);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
  return out;
}

export async function updateProject(
  db: Db,
  user: AuthedUser,
  id: number,
  body: ProjectUpdate,
  actor: Actor,
): Promise<ChainProject> {
  const out = await db.transaction(async (tx) => {
    const before = await lockedProject(tx, id);
    const { chain, def } = await requireChain(tx, before.chainCode);
    requireRoadmapEditor(user, chain);
    requireNode(def, body.nodeCode);
    await requireTarget(tx, before.chainCode, body.targetEnterpriseId);
    const [after] = await tx
      .update(chainProjects)
      .set({ ...body, updatedAt: new Date() })
      .where(eq(chainProjects.id, id))
      .returning();
    await writeAudit(tx, actor, {
      action: 'chain.project.update',
      entity: 'chain_project',
      entityId: id,
      before,
      after,
    });
    await recordRoadmapHistory(tx, actor, before.chainCode, 'project.update', id, before, after);
    return projectOut(after!);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
  return out;
}

/** Deletes a chain project (its target enterprise and investment project stay). Audited, and in the history. */
export async function deleteProject(db: Db, user: AuthedUser, id: number, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockedProject(tx, id);
    const { chain } = await requireChain(tx, before.chainCode);
    requireRoadmapEditor(user, chain);
    await tx.delete(chainProjects).where(eq(chainProjects.id, id));
    await writeAudit(tx, actor, {
      action: 'chain.project.delete',
      entity: 'chain_project',
      entityId: id,
      before,
    });
    await recordRoadmapHistory(tx, actor, before.chainCode, 'project.delete', id, before, null);
  });
  forgetChainAnswers(); // committed: this process reads the edit at once
}

// ---------------------------------------------------------------- roadmap

/** The one-page roadmap: gaps ranked by feasibility, each with its ranked targets and projects. */
export async function getRoadmap(db: Db, user: AuthedUser, code: string, q: MethodQuery): Promise<Roadmap> {
  return (await buildRoadmap(db, user, code, q)).roadmap;
}

/** The roadmap as an xlsx workbook, with a file name: built once per roadmap kept (cache.ts). */
export function roadmapXlsx(
  db: Db,
  user: AuthedUser,
  code: string,
  q: MethodQuery,
): Promise<{ fileName: string; body: Buffer }> {
  return chainAnswer(db, `roadmap.xlsx:${roadmapKey(user, code, q)}`, async () => {
    const { roadmap, detail } = await buildRoadmap(db, user, code, q);
    // ExcelJS is large; loaded only when a workbook is asked for.
    const { roadmapWorkbook } = await import('./export.ts');
    return {
      fileName: `${roadmap.chain.name}-招商路线图-${roadmap.generatedAt.slice(0, 10)}.xlsx`,
      body: await roadmapWorkbook(roadmap, detail),
    };
  });
}

const roadmapKey = (user: AuthedUser, code: string, q: MethodQuery) =>
  `${code}:${JSON.stringify(methodOf(q).method)}:${scopeKey(user)}`;

/**
 * The roadmap and the chain it ranks, kept per chain, method, reader's scope and data version (target
 * and project edits bump it too): `generatedAt` is when these figures were computed, and nothing they
 * come from has changed since.
 */
function buildRoadmap(
  db: Db,
  user: AuthedUser,
  code: string,
  q: MethodQuery,
): Promise<{ roadmap: Roadmap; detail: ChainDetail }> {
  return chainAnswer(db, `roadmap:${roadmapKey(user, code, q)}`, () => buildRoadmapNow(db, user, code, q));
}

async function buildRoadmapNow(
  db: Db,
  user: AuthedUser,
  code: string,
  q: MethodQuery,
): Promise<{ roadmap: Roadmap; detail: ChainDetail }> {
  const { chain, detail } = await computeChain(db, user, code, q);
  const [targets, projects] = await Promise.all([listTargets(db, code), listProjects(db, code)]);
  const gaps = rankedGaps(detail).map((g) => {
    const onNode = targets.filter((t) => t.nodeCode === g.code);
    const scores = rankTargets(onNode);
    const byId = new Map(onNode.map((t) => [t.id, t]));
    return {
      ...g,
      targets: scores.map((s) => ({ ...byId.get(s.id)!, score: s.score })),
      projects: projects.filter((p) => p.nodeCode === g.code),
    };
  });
  const roadmap: Roadmap = {
    chain: { code: chain.code, name: chain.name, clusterCode: chain.clusterCode, proposed: chain.proposed },
    referenceYear: detail.referenceYear,
    method: detail.method,
    gaps,
    projects,
    generatedAt: new Date().toISOString(),
  };
  return { roadmap, detail };
}
