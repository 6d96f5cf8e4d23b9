// Relatedness view after economic-complexity work (Hidalgo et al. 2007; EconGeo relatedness_density):
// density_p = Σ_p' M_p' φ_pp' / Σ_p' φ_pp' × 100 — the share of a node's related capabilities the city
// already has. φ here comes from the chain's structure and the industry classification, because the
// co-occurrence proximity of the literature needs many regions' data, and a node the city lacks has
// none (docs/methodology.md, "Industry chains — relatedness and quadrants"). Pure.
import type { ChainDef, ChainNodeDef } from './types.ts';

export interface ProximityParams {
  /** φ for nodes joined by an edge (either direction) */
  adjacent: number;
  /** φ for nodes two edges apart (undirected) */
  twoSteps: number;
  /** φ for nodes sharing a GB/T 4754 class (4 digits), group (3) or division (2) */
  sameClass: number;
  sameGroup: number;
  sameDivision: number;
}

export const DEFAULT_PROXIMITY: ProximityParams = {
  adjacent: 1,
  twoSteps: 0.5,
  sameClass: 0.8,
  sameGroup: 0.6,
  sameDivision: 0.4,
};

function commonPrefix(x: string, y: string): number {
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}

/** The closest classification relation between two nodes' codes (0 when none). */
export function codeProximity(
  a: ChainNodeDef,
  b: ChainNodeDef,
  p: ProximityParams = DEFAULT_PROXIMITY,
): number {
  let best = 0;
  for (const x of a.industryCodes) {
    for (const y of b.industryCodes) {
      const common = commonPrefix(x, y);
      const v = common >= 4 ? p.sameClass : common === 3 ? p.sameGroup : common === 2 ? p.sameDivision : 0;
      best = Math.max(best, v);
    }
  }
  return best;
}

/** Symmetric proximity φ between every pair of distinct nodes: the larger of structure and codes. */
export function proximity(
  chain: ChainDef,
  p: ProximityParams = DEFAULT_PROXIMITY,
): Map<string, Map<string, number>> {
  const neighbours = new Map(chain.nodes.map((n) => [n.code, new Set<string>()]));
  for (const e of chain.edges) {
    neighbours.get(e.from)?.add(e.to);
    neighbours.get(e.to)?.add(e.from);
  }
  const phi = new Map<string, Map<string, number>>();
  for (const a of chain.nodes) {
    const row = new Map<string, number>();
    const near = neighbours.get(a.code)!;
    const twoAway = new Set<string>();
    for (const n of near) for (const m of neighbours.get(n) ?? []) twoAway.add(m);
    for (const b of chain.nodes) {
      if (a.code === b.code) continue;
      const structural = near.has(b.code) ? p.adjacent : twoAway.has(b.code) ? p.twoSteps : 0;
      row.set(b.code, Math.max(structural, codeProximity(a, b, p)));
    }
    phi.set(a.code, row);
  }
  return phi;
}

/**
 * Relatedness density of each node, 0–100: Σ present(p') φ_pp' / Σ φ_pp' over the other nodes p'.
 * `present` is M (1 = the city has the capability). Null for a node related to nothing.
 */
export function relatednessDensity(
  chain: ChainDef,
  present: ReadonlyMap<string, boolean>,
  p: ProximityParams = DEFAULT_PROXIMITY,
): Map<string, number | null> {
  const phi = proximity(chain, p);
  const out = new Map<string, number | null>();
  for (const n of chain.nodes) {
    let num = 0;
    let den = 0;
    for (const [other, v] of phi.get(n.code)!) {
      den += v;
      if (present.get(other)) num += v;
    }
    out.set(n.code, den > 0 ? (100 * num) / den : null);
  }
  return out;
}

/**
 * Strength index 0–100 of present nodes: log-scaled output relative to the chain's largest node,
 * 100 · ln(1 + output) / ln(1 + max output). 0 for a node without output.
 */
export function strengthIndex(outputs: ReadonlyMap<string, number>): Map<string, number> {
  const max = Math.max(0, ...outputs.values());
  const out = new Map<string, number>();
  for (const [code, v] of outputs)
    out.set(code, max > 0 && v > 0 ? (100 * Math.log1p(v)) / Math.log1p(max) : 0);
  return out;
}

/**
 * Quadrants after Metroverse's growth-opportunity chart: x = strength, y = density (feasibility).
 * strength: strong and related; opportunity: weak but related — the feasible gaps; weakness: weak and
 * unrelated; outlier: strong but unrelated; absent: the city lacks the node (its y still ranks it).
 */
export type Quadrant = 'strength' | 'opportunity' | 'weakness' | 'outlier' | 'absent';

export interface QuadrantParams {
  strengthCut: number;
  densityCut: number;
}

export const DEFAULT_QUADRANT: QuadrantParams = { strengthCut: 50, densityCut: 50 };

export function quadrantOf(
  present: boolean,
  strength: number,
  density: number | null,
  q: QuadrantParams = DEFAULT_QUADRANT,
): Quadrant {
  if (!present) return 'absent';
  const strong = strength >= q.strengthCut;
  const related = (density ?? 0) >= q.densityCut;
  if (strong) return related ? 'strength' : 'outlier';
  return related ? 'opportunity' : 'weakness';
}
