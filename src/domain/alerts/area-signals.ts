// Signals of a cluster or a county (pure): diffusion, concentration, firm count, cost per 100 元 of
// revenue, investment growth against the city, and 断链 risk on the chain map.
import { concentration } from '../monitoring/structure.ts';

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
 * CR1 and CR5 (%) and HHI (0–10000, the antitrust scale) of positive outputs, from the monitoring
 * capability's concentration; null when there is no positive output.
 */
export function concentrationSignals(
  outputs: readonly number[],
): { cr1: number; cr5: number; hhi: number } | null {
  const c5 = concentration(outputs, 5);
  const c1 = concentration(outputs, 1);
  if (!c5 || !c1) return null;
  return { cr1: 100 * c1.topShare, cr5: 100 * c5.topShare, hhi: 10000 * c5.hhi };
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
  const flagged: string[] = [];
  for (const n of nodes) {
    if (n.outputs.length <= 1) {
      flagged.push(n.node);
      continue;
    }
    const c = concentrationSignals(n.outputs);
    if (c && c.cr1 > maxShare) flagged.push(n.node);
  }
  return flagged;
}
