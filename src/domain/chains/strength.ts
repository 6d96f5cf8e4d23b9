// Node strength: how much of a chain link the city has (docs/methodology.md, "Industry chains —
// node strength"). Pure: figures come only from the firms assigned to the node.
import { concentration, locationQuotient } from '../monitoring/structure.ts';
import type { ChainDef, NodeFirm, Stage } from './types.ts';

export const LEADING_FIRMS = 5;

export interface NodeFigures {
  code: string;
  stage: Stage;
  /** firms on the node */
  firms: number;
  /** of which 规上 */
  aboveScale: number;
  /** Σ output of the reference year, 万元 (firms without a figure add nothing) */
  output: number;
  /** firms with a positive output figure in the reference year */
  reporting: number;
  /** firms placed only through an industry code other nodes share (unconfirmed) */
  sharedCodeOnly: number;
  /** like-for-like growth: Σ output / Σ previous output over firms with both, − 1; null without such firms */
  growth: number | null;
  /** node output / cluster output (0–1); null when the cluster has no output */
  shareOfCluster: number | null;
  /** Herfindahl–Hirschman index of output over the node's firms (0–1), null without output */
  hhi: number | null;
  /** share of the largest firm in the node's output (0–1) */
  topFirmShare: number | null;
  /** ids of the largest firms by output, at most LEADING_FIRMS, largest first */
  leadingFirmIds: number[];
  /** LQ against reference totals (province/country) when they exist, else null */
  lq: number | null;
  /** present predecessor nodes / all predecessor nodes; null for a node with none */
  upstreamCoverage: number | null;
  downstreamCoverage: number | null;
  upstream: { code: string; present: boolean }[];
  downstream: { code: string; present: boolean }[];
}

export interface StrengthContext {
  /** output of the chain's cluster (Σ over member firms), 万元 */
  clusterOutput: number;
  /** minimum firms for a node to count as present locally (coverage and gaps) */
  minFirms: number;
  /**
   * Reference totals for the location quotient, when they exist: output of the node's industries and of
   * all industry in the reference economy, and the city's all-industry output.
   */
  reference?: {
    cityTotal: number;
    referenceTotal: number;
    /** reference output per node code */
    byNode: ReadonlyMap<string, number>;
  };
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

const positive = (v: number | null): v is number => v !== null && Number.isFinite(v) && v > 0;

/** Figures of one node from its firms (edges and coverage are filled in by chainStrength). */
export function nodeFigures(
  code: string,
  stage: Stage,
  firms: readonly NodeFirm[],
  ctx: StrengthContext,
): Omit<NodeFigures, 'upstreamCoverage' | 'downstreamCoverage' | 'upstream' | 'downstream'> {
  const outputs = firms.map((f) => f.output).filter(positive);
  const output = sum(outputs);
  const both = firms.filter((f) => positive(f.output) && positive(f.outputPrev));
  const prev = sum(both.map((f) => f.outputPrev!));
  const growth = both.length > 0 && prev > 0 ? sum(both.map((f) => f.output!)) / prev - 1 : null;
  const conc = concentration(outputs, 1);
  const leading = firms
    .filter((f) => positive(f.output))
    .sort((a, b) => b.output! - a.output! || a.id - b.id)
    .slice(0, LEADING_FIRMS)
    .map((f) => f.id);
  const refNode = ctx.reference?.byNode.get(code);
  const lq =
    ctx.reference && refNode !== undefined
      ? locationQuotient(output, ctx.reference.cityTotal, refNode, ctx.reference.referenceTotal)
      : null;
  return {
    code,
    stage,
    firms: firms.length,
    aboveScale: firms.filter((f) => f.scale === 'above').length,
    output,
    reporting: outputs.length,
    sharedCodeOnly: firms.filter((f) => f.sharedCodeOnly).length,
    growth,
    shareOfCluster: ctx.clusterOutput > 0 ? output / ctx.clusterOutput : null,
    hhi: conc?.hhi ?? null,
    topFirmShare: conc?.topShare ?? null,
    leadingFirmIds: leading,
    lq,
  };
}

/** Figures of every node of a chain, with upstream / downstream coverage from the edges. */
export function chainStrength(
  chain: ChainDef,
  firmsByNode: ReadonlyMap<string, readonly NodeFirm[]>,
  ctx: StrengthContext,
): NodeFigures[] {
  const base = chain.nodes.map((n) => nodeFigures(n.code, n.stage, firmsByNode.get(n.code) ?? [], ctx));
  const present = new Map(base.map((b) => [b.code, b.firms >= ctx.minFirms]));
  return base.map((b) => {
    const upstream = chain.edges
      .filter((e) => e.to === b.code)
      .map((e) => ({ code: e.from, present: present.get(e.from) ?? false }));
    const downstream = chain.edges
      .filter((e) => e.from === b.code)
      .map((e) => ({ code: e.to, present: present.get(e.to) ?? false }));
    const coverage = (list: { present: boolean }[]) =>
      list.length ? list.filter((l) => l.present).length / list.length : null;
    return {
      ...b,
      upstream,
      downstream,
      upstreamCoverage: coverage(upstream),
      downstreamCoverage: coverage(downstream),
    };
  });
}

/**
 * Location quotient of each county for a node, against the city: (county node output / county
 * industrial output) / (city node output / city industrial output). Null for a county without output.
 */
export function countyQuotients(
  nodeByCounty: ReadonlyMap<string, number>,
  totalByCounty: ReadonlyMap<string, number>,
): { regionCode: string; output: number; lq: number | null }[] {
  const nodeCity = sum([...nodeByCounty.values()]);
  const city = sum([...totalByCounty.values()]);
  return [...totalByCounty.keys()].sort().map((regionCode) => {
    const output = nodeByCounty.get(regionCode) ?? 0;
    return {
      regionCode,
      output,
      lq: locationQuotient(output, totalByCounty.get(regionCode) ?? 0, nodeCity, city),
    };
  });
}
