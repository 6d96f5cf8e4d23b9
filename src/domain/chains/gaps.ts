// Gap (短板) analysis: a node is a gap when it is missing or weak relative to its place in the chain.
// Explicit and parameterised; every flag carries the figures behind it (docs/methodology.md,
// "Industry chains — gap analysis"). Pure.
import type { NodeFigures } from './strength.ts';
import type { ChainDef, Stage } from './types.ts';

export interface GapParams {
  /** fewer firms than this → missing */
  minFirms: number;
  /** output below this fraction of the median output of present nodes in the same stage → weak */
  weakShareOfStageMedian: number;
  /** fewer 规上 firms than this (while present) → weak */
  minAboveScale: number;
  /** HHI at or above this, with at least 2 firms … or a single firm → weak (dependence on one firm) */
  maxHhi: number;
  /** like-for-like growth at or below this → weak */
  decliningGrowth: number;
  /** more than this share of the node's firms placed only through a shared code → unverified (default 0.5) */
  unverifiedShare?: number;
}

export const DEFAULT_GAP_PARAMS: GapParams = {
  minFirms: 1,
  weakShareOfStageMedian: 0.25,
  minAboveScale: 1,
  maxHhi: 0.5,
  decliningGrowth: -0.1,
  unverifiedShare: 0.5,
};

export type GapReasonCode =
  'missing' | 'small_output' | 'no_above_scale' | 'concentrated' | 'declining' | 'unverified';

export interface GapReason {
  code: GapReasonCode;
  /** the figures behind the flag, named; thresholds included */
  figures: Record<string, number | null>;
}

export type NodeStatus = 'missing' | 'weak' | 'ok';

export interface NodeGap {
  code: string;
  stage: Stage;
  status: NodeStatus;
  reasons: GapReason[];
  /** links to other nodes (in + out); how much of the chain depends on the node */
  degree: number;
  /** present neighbours (either direction) / neighbours; null with none */
  neighbourCoverage: number | null;
  /** where the node sits: inner (has up- and downstream), source (no upstream), sink (no downstream), isolated */
  position: 'inner' | 'source' | 'sink' | 'isolated';
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Flags, in this order:
 *  - missing: firms < minFirms (no other flag is raised then);
 *  - small_output: output < weakShareOfStageMedian × median output of the present nodes of the same stage
 *    (the node itself included; not raised when the stage has a single present node);
 *  - no_above_scale: 规上 firms < minAboveScale;
 *  - concentrated: one firm only, or HHI ≥ maxHhi;
 *  - declining: growth ≤ decliningGrowth;
 *  - unverified: more than unverifiedShare (default half) of the node's firms were placed only through an
 *    industry code other nodes of the chain share (no product word, no person's confirmation): the node's
 *    presence, or its size, is not established.
 * status = missing | weak (any other flag) | ok.
 */
export function analyseGaps(
  chain: ChainDef,
  figures: readonly NodeFigures[],
  params: GapParams = DEFAULT_GAP_PARAMS,
): NodeGap[] {
  const byCode = new Map(figures.map((f) => [f.code, f]));
  const present = (code: string) => (byCode.get(code)?.firms ?? 0) >= params.minFirms;
  const stageMedian = new Map<Stage, { median: number | null; n: number }>();
  for (const stage of ['upstream', 'midstream', 'downstream'] as const) {
    const outs = figures.filter((f) => f.stage === stage && f.firms >= params.minFirms).map((f) => f.output);
    stageMedian.set(stage, { median: median(outs), n: outs.length });
  }
  return chain.nodes.map((node) => {
    const f = byCode.get(node.code);
    const firms = f?.firms ?? 0;
    const ins = chain.edges.filter((e) => e.to === node.code).map((e) => e.from);
    const outs = chain.edges.filter((e) => e.from === node.code).map((e) => e.to);
    const neighbours = [...new Set([...ins, ...outs])];
    const position =
      ins.length && outs.length ? 'inner' : outs.length ? 'source' : ins.length ? 'sink' : 'isolated';
    const common = {
      code: node.code,
      stage: node.stage,
      degree: ins.length + outs.length,
      neighbourCoverage: neighbours.length ? neighbours.filter(present).length / neighbours.length : null,
      position,
    } as const;
    if (!f || firms < params.minFirms) {
      return {
        ...common,
        status: 'missing',
        reasons: [{ code: 'missing', figures: { firms, minFirms: params.minFirms } }],
      };
    }
    const reasons: GapReason[] = [];
    const sm = stageMedian.get(node.stage)!;
    if (sm.n > 1 && sm.median !== null && f.output < params.weakShareOfStageMedian * sm.median) {
      reasons.push({
        code: 'small_output',
        figures: {
          output: f.output,
          stageMedian: sm.median,
          ratio: sm.median > 0 ? f.output / sm.median : null,
          threshold: params.weakShareOfStageMedian,
        },
      });
    }
    if (f.aboveScale < params.minAboveScale) {
      reasons.push({
        code: 'no_above_scale',
        figures: { aboveScale: f.aboveScale, firms: f.firms, minAboveScale: params.minAboveScale },
      });
    }
    if (f.firms === 1 || (f.hhi !== null && f.hhi >= params.maxHhi)) {
      reasons.push({
        code: 'concentrated',
        figures: { firms: f.firms, hhi: f.hhi, topFirmShare: f.topFirmShare, maxHhi: params.maxHhi },
      });
    }
    if (f.growth !== null && f.growth <= params.decliningGrowth) {
      reasons.push({ code: 'declining', figures: { growth: f.growth, threshold: params.decliningGrowth } });
    }
    const unverifiedShare = params.unverifiedShare ?? DEFAULT_GAP_PARAMS.unverifiedShare!;
    if (f.sharedCodeOnly > unverifiedShare * f.firms) {
      reasons.push({
        code: 'unverified',
        figures: { firms: f.firms, sharedCodeOnly: f.sharedCodeOnly, threshold: unverifiedShare },
      });
    }
    return { ...common, status: reasons.length ? 'weak' : 'ok', reasons };
  });
}

/** The five chain actions of the policy: 建链, 强链, 补链, 延链, 壮链. */
export const CHAIN_ACTIONS = ['build', 'strengthen', 'fill', 'extend', 'grow'] as const;
export type ChainAction = (typeof CHAIN_ACTIONS)[number];

/**
 * A proposed action for a gap (a suggestion for the 专班, not a decision):
 *  - missing, and no node of the chain is present → build (建链);
 *  - missing at the downstream end (a sink) while some upstream supplier is present → extend (延链);
 *  - other missing nodes → fill (补链);
 *  - weak with small_output or no_above_scale → grow (壮链);
 *  - other weak nodes (concentrated, declining) → strengthen (强链);
 *  - weak only because unverified → null (confirm the placements first); ok → null.
 */
export function suggestAction(
  gap: NodeGap,
  chainHasPresentNode: boolean,
  upstreamPresent: boolean,
): ChainAction | null {
  if (gap.status === 'missing') {
    if (!chainHasPresentNode) return 'build';
    if (gap.position === 'sink' && upstreamPresent) return 'extend';
    return 'fill';
  }
  if (gap.status === 'weak') {
    const real = gap.reasons.filter((r) => r.code !== 'unverified');
    if (real.length === 0) return null;
    return real.some((r) => r.code === 'small_output' || r.code === 'no_above_scale') ? 'grow' : 'strengthen';
  }
  return null;
}
