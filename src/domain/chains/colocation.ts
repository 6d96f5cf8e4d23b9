// Relatedness from data (issue 14 item 5): proximity between a chain's nodes from where their firms sit
// across the city's towns (乡镇/街道) and zones, after Hidalgo et al. (2007). Pure.
//
//   LQ_lp = (n_lp / n_l) / (n_p / n)            firms of node p in location l, of all the chain's placed
//                                               firms in l, against p's share of the whole chain
//   M_lp  = 1 when LQ_lp ≥ 1                     (l specialises in p)
//   φ_pq  = Σ_l M_lp M_lq / max(Σ_l M_lp, Σ_l M_lq)   (the smaller conditional probability)
//   d_lp  = Σ_q≠p M_lq φ_pq / Σ_q≠p φ_pq         (the share of p's related nodes location l already has)
//   density_p = 100 × mean over locations of d_lp
//
// A node without located firms has no co-location: its φ to the others falls back to the chain's structure
// and the classification (relatedness.ts `proximity`), as stated in docs/methodology.md.
import { DEFAULT_PROXIMITY, proximity, type ProximityParams } from './relatedness.ts';
import type { ChainDef } from './types.ts';

export interface LocatedFirm {
  node: string;
  /** the firm's locations: its town and its zone (either may be null) */
  locations: readonly (string | null)[];
}

/** M: for each node, the locations that specialise in it (LQ ≥ 1). */
export function locationPresence(firms: readonly LocatedFirm[]): {
  locations: string[];
  presence: Map<string, Set<string>>;
} {
  const nl = new Map<string, number>();
  const np = new Map<string, number>();
  const nlp = new Map<string, Map<string, number>>();
  let n = 0;
  for (const f of firms)
    for (const l of f.locations) {
      if (!l) continue;
      n++;
      nl.set(l, (nl.get(l) ?? 0) + 1);
      np.set(f.node, (np.get(f.node) ?? 0) + 1);
      const row = nlp.get(f.node) ?? new Map<string, number>();
      row.set(l, (row.get(l) ?? 0) + 1);
      nlp.set(f.node, row);
    }
  const presence = new Map<string, Set<string>>();
  for (const [p, row] of nlp) {
    const set = new Set<string>();
    for (const [l, c] of row) if (c / nl.get(l)! / (np.get(p)! / n) >= 1 - 1e-12) set.add(l);
    presence.set(p, set);
  }
  return { locations: [...nl.keys()].sort(), presence };
}

/** φ between two nodes' location sets; null when either has none (no co-location to measure). */
export function coLocationPhi(
  a: ReadonlySet<string> | undefined,
  b: ReadonlySet<string> | undefined,
): number | null {
  if (!a?.size || !b?.size) return null;
  let both = 0;
  for (const l of a) if (b.has(l)) both++;
  return both / Math.max(a.size, b.size);
}

/** φ for every pair of distinct nodes: co-location where both are located, else the structural substitute. */
export function colocationProximity(
  chain: ChainDef,
  presence: ReadonlyMap<string, ReadonlySet<string>>,
  fallback: ProximityParams = DEFAULT_PROXIMITY,
): Map<string, Map<string, { phi: number; measured: boolean }>> {
  const structural = proximity(chain, fallback);
  const out = new Map<string, Map<string, { phi: number; measured: boolean }>>();
  for (const a of chain.nodes) {
    const row = new Map<string, { phi: number; measured: boolean }>();
    for (const b of chain.nodes) {
      if (a.code === b.code) continue;
      const phi = coLocationPhi(presence.get(a.code), presence.get(b.code));
      row.set(
        b.code,
        phi == null
          ? { phi: structural.get(a.code)!.get(b.code)!, measured: false }
          : { phi, measured: true },
      );
    }
    out.set(a.code, row);
  }
  return out;
}

/**
 * Density 0–100 of each node: the mean over the locations of the share of its related nodes each location
 * has (d_lp above). Null for a node related to nothing, or when no firm is located at all.
 */
export function colocationDensity(
  chain: ChainDef,
  firms: readonly LocatedFirm[],
  fallback: ProximityParams = DEFAULT_PROXIMITY,
): Map<string, number | null> {
  const { locations, presence } = locationPresence(firms);
  const phi = colocationProximity(chain, presence, fallback);
  const out = new Map<string, number | null>();
  for (const n of chain.nodes) {
    const row = phi.get(n.code)!;
    let den = 0;
    for (const { phi: v } of row.values()) den += v;
    if (!(den > 0) || !locations.length) {
      out.set(n.code, null);
      continue;
    }
    let sum = 0;
    for (const l of locations) {
      let num = 0;
      for (const [other, { phi: v }] of row) if (presence.get(other)?.has(l)) num += v;
      sum += num / den;
    }
    out.set(n.code, (100 * sum) / locations.length);
  }
  return out;
}
