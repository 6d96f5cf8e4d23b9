// One call that runs the whole method over a chain: figures → gaps → relatedness → quadrants → action.
import {
  analyseGaps,
  DEFAULT_GAP_PARAMS,
  suggestAction,
  type ChainAction,
  type GapParams,
  type NodeGap,
} from './gaps.ts';
import {
  DEFAULT_PROXIMITY,
  DEFAULT_QUADRANT,
  quadrantOf,
  relatednessDensity,
  strengthIndex,
  type ProximityParams,
  type Quadrant,
  type QuadrantParams,
} from './relatedness.ts';
import { colocationDensity, type LocatedFirm } from './colocation.ts';
import { chainStrength, type NodeFigures, type StrengthContext } from './strength.ts';
import type { ChainDef, NodeFirm } from './types.ts';

export interface ChainParams {
  gap: GapParams;
  proximity: ProximityParams;
  quadrant: QuadrantParams;
}

export const DEFAULT_CHAIN_PARAMS: ChainParams = {
  gap: DEFAULT_GAP_PARAMS,
  proximity: DEFAULT_PROXIMITY,
  quadrant: DEFAULT_QUADRANT,
};

export interface NodeAnalysis {
  figures: NodeFigures;
  gap: NodeGap;
  /** 0–100, log-scaled output relative to the chain's largest node */
  strength: number;
  /** relatedness density 0–100 (feasibility), null when the node is related to nothing */
  density: number | null;
  quadrant: Quadrant;
  action: ChainAction | null;
}

export function analyseChain(
  chain: ChainDef,
  firmsByNode: ReadonlyMap<string, readonly NodeFirm[]>,
  ctx: Omit<StrengthContext, 'minFirms'>,
  params: ChainParams = DEFAULT_CHAIN_PARAMS,
): NodeAnalysis[] {
  const figures = chainStrength(chain, firmsByNode, { ...ctx, minFirms: params.gap.minFirms });
  const gaps = analyseGaps(chain, figures, params.gap);
  const present = new Map(figures.map((f) => [f.code, f.firms >= params.gap.minFirms]));
  // relatedness from where the firms sit (towns, zones); without any located firm, the structural substitute
  const located: LocatedFirm[] = [];
  for (const [node, list] of firmsByNode)
    for (const f of list)
      if (f.townCode || f.zoneCode)
        located.push({
          node,
          locations: [f.townCode ? `town:${f.townCode}` : null, f.zoneCode ? `zone:${f.zoneCode}` : null],
        });
  const density = located.length
    ? colocationDensity(chain, located, params.proximity)
    : relatednessDensity(chain, present, params.proximity);
  const strength = strengthIndex(new Map(figures.map((f) => [f.code, f.output])));
  const anyPresent = [...present.values()].some(Boolean);
  return figures.map((f, i) => {
    const gap = gaps[i]!;
    const upstreamPresent = f.upstream.some((u) => u.present);
    return {
      figures: f,
      gap,
      strength: strength.get(f.code) ?? 0,
      density: density.get(f.code) ?? null,
      quadrant: quadrantOf(
        present.get(f.code) ?? false,
        strength.get(f.code) ?? 0,
        density.get(f.code) ?? null,
        params.quadrant,
      ),
      action: suggestAction(gap, anyPresent, upstreamPresent),
    };
  });
}

export interface GapKey {
  code: string;
  status: 'missing' | 'weak' | 'ok';
  density: number | null;
  degree: number;
}

const STATUS_ORDER = { missing: 0, weak: 1, ok: 2 } as const;

/**
 * The order of gaps by feasibility: relatedness density (high first; null last), then missing before
 * weak, then by how many links depend on the node (degree), then by code.
 */
export function compareGaps(a: GapKey, b: GapKey): number {
  return (
    (b.density ?? -1) - (a.density ?? -1) ||
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    b.degree - a.degree ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

/** The gaps (nodes not ok) of an analysed chain, ranked by compareGaps. */
export function rankGaps(nodes: readonly NodeAnalysis[]): NodeAnalysis[] {
  const key = (n: NodeAnalysis): GapKey => ({
    code: n.figures.code,
    status: n.gap.status,
    density: n.density,
    degree: n.gap.degree,
  });
  return nodes.filter((n) => n.gap.status !== 'ok').sort((a, b) => compareGaps(key(a), key(b)));
}
