// Signals of a cluster or a county (pure): diffusion, concentration, firm count, cost per 100 元 of
// revenue, investment growth against the city, and 断链 risk on the chain map.

/** Share (%) of firms whose electricity index is at or above the 荣枯线 100; null when none has one. */
export function diffusionIndex(indices: readonly (number | null | undefined)[]): number | null {
  let n = 0;
  let up = 0;
  for (const v of indices) {
    if (v == null) continue;
    n++;
    if (v >= 100) up++;
  }
  return n === 0 ? null : (100 * up) / n;
}

/**
 * CR1 and CR5 (%) and HHI (0–10000, the antitrust scale) of positive outputs; null when there is no positive
 * output. The same figures, to the last bit, as the monitoring capability's `concentration` with the top 5
 * and the top 1 (the tests hold them together): its sums are taken in the same order, largest value first,
 * but from one numeric sort of a typed array instead of two filtered and sorted copies with a comparator —
 * the sorts were most of the area signals' time at province scale (hundreds of thousands of outputs per
 * month of a county).
 */
export function concentrationSignals(
  outputs: readonly number[],
): { cr1: number; cr5: number; hhi: number } | null {
  let n = 0;
  for (const v of outputs) if (Number.isFinite(v) && v > 0) n++;
  if (n === 0) return null;
  const positive = new Float64Array(n);
  let k = 0;
  for (const v of outputs) if (Number.isFinite(v) && v > 0) positive[k++] = v;
  positive.sort(); // ascending: read from the end for largest first
  let total = 0;
  for (let i = n - 1; i >= 0; i--) total += positive[i]!;
  if (total <= 0) return null;
  let hhi = 0;
  for (let i = n - 1; i >= 0; i--) hhi += (positive[i]! / total) ** 2;
  let top5 = 0;
  for (let i = n - 1; i >= Math.max(0, n - 5); i--) top5 += positive[i]!;
  return { cr1: 100 * (positive[n - 1]! / total), cr5: 100 * (top5 / total), hhi: 10000 * hhi };
}

/** Change (%) of a count against the same month last year; null without a base. */
export function countYoy(current: number, lastYear: number | null | undefined): number | null {
  if (lastYear == null || lastYear <= 0) return null;
  return (100 * (current - lastYear)) / lastYear;
}

/**
 * 每百元营业收入成本 (元): the platform has no 营业成本 column, so cost is taken as revenue minus profit
 * (it then includes taxes and period expenses) — an inference; the official ratio uses 营业成本.
 */
export function costPer100(revenue: number | null, profit: number | null): number | null {
  if (revenue == null || profit == null || revenue <= 0) return null;
  return (100 * (revenue - profit)) / revenue;
}

export function difference(current: number | null, base: number | null): number | null {
  return current == null || base == null ? null : current - base;
}

/** Growth (%) of an amount against its base; null without a positive base. */
export function growth(current: number | null, base: number | null): number | null {
  if (current == null || base == null || base <= 0) return null;
  return (100 * (current - base)) / base;
}

export interface ChainNodeFirms {
  node: string;
  /** local firms on the node with their output (万元) */
  outputs: readonly number[];
}

/** 断链 risk: a node with no or one local firm, or one firm holding more than `maxShare` % of its output. */
export function chainBreakNodes(nodes: readonly ChainNodeFirms[], maxShare = 50): string[] {
  return nodes.filter((n) => chainNodeAtRisk(chainNodeSums(n.node, n.outputs), maxShare)).map((n) => n.node);
}

/**
 * A chain node's local firms as sums (what the database aggregates, instead of sending every output): the
 * firms with an output, the largest positive output and the positive outputs' total (top and total null
 * without a positive output). `exact` when the total was summed largest first, the order concentration sums
 * in, so that CR1 comes out to the same bits; a total in another order may differ in its last bits.
 */
export interface ChainNodeSums {
  node: string;
  firms: number;
  top: number | null;
  total: number | null;
  exact: boolean;
}

/** The exact sums of a node's outputs (concentration's order): the reference of what the database sums. */
export function chainNodeSums(node: string, outputs: readonly number[]): ChainNodeSums {
  const positive = outputs.filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => b - a);
  return {
    node,
    firms: outputs.length,
    top: positive.length ? positive[0]! : null,
    total: positive.length ? positive.reduce((s, v) => s + v, 0) : null,
    exact: true,
  };
}

/**
 * How far (percentage points) a CR1 from a total summed in any order (or tree: a parallel aggregate) may
 * lie from the one summed largest first: each sum of n positive terms lies within (n − 1)·2⁻⁵³ of the
 * exact total, so the two differ by less than 2n·2⁻⁵³ of it and a CR1 of at most 100 by less than
 * 2.3·10⁻¹⁴·n points — under 10⁻⁶ for any node of fewer than 10⁷ firms. Outside the margin the comparison
 * with maxShare cannot differ.
 */
export const CHAIN_SHARE_MARGIN = 1e-6;

/**
 * Whether a node is at 断链 risk (0–1 local firms, or CR1 above `maxShare`, CR1 taken as concentrationSignals
 * takes it); null when its total is not exact and CR1 lies within CHAIN_SHARE_MARGIN of maxShare (the answer
 * may depend on the order of the sum: the caller sums that node exactly and asks again).
 */
export function chainNodeAtRisk(n: ChainNodeSums, maxShare = 50): boolean | null {
  if (n.firms <= 1) return true;
  if (n.top == null || n.total == null || !(n.total > 0)) return false;
  const cr1 = 100 * (n.top / n.total);
  if (!n.exact && Math.abs(cr1 - maxShare) <= CHAIN_SHARE_MARGIN) return null;
  return cr1 > maxShare;
}
