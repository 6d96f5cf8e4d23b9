// The output ladder (10/50/100/500/1000 亿级) and its movers (issue 20). Counting rule: "N 亿级" means
// at least N 亿元 of annual 工业总产值 (cumulative), the reading docs/methodology.md states for the
// monitoring ladders, so a 600 亿元 firm counts in the 100 and the 500 亿级 rungs.

export const LADDER_YI_YUAN = [10, 50, 100, 500, 1000] as const;

/** The highest rung a firm reaches (亿元), or null below the lowest. */
export function rungOf(
  outputYiYuan: number | null,
  rungs: readonly number[] = LADDER_YI_YUAN,
): number | null {
  if (outputYiYuan === null) return null;
  let best: number | null = null;
  for (const r of rungs) if (outputYiYuan >= r) best = r;
  return best;
}

/** Firms at or above each rung ("at least" counting). */
export function ladderCounts(
  outputsYiYuan: readonly (number | null)[],
  rungs: readonly number[] = LADDER_YI_YUAN,
) {
  return rungs.map((r) => ({ rung: r, firms: outputsYiYuan.filter((v) => v !== null && v >= r).length }));
}

export interface Mover {
  enterpriseId: number;
  from: number | null;
  to: number | null;
  direction: 'up' | 'down';
}

/** Firms whose rung changed between two years. */
export function movers(
  before: ReadonlyMap<number, number | null>,
  after: ReadonlyMap<number, number | null>,
  rungs: readonly number[] = LADDER_YI_YUAN,
): Mover[] {
  const ids = new Set([...before.keys(), ...after.keys()]);
  const out: Mover[] = [];
  for (const id of ids) {
    const from = rungOf(before.get(id) ?? null, rungs);
    const to = rungOf(after.get(id) ?? null, rungs);
    if (from === to) continue;
    out.push({ enterpriseId: id, from, to, direction: (to ?? 0) > (from ?? 0) ? 'up' : 'down' });
  }
  return out.sort((a, b) => a.enterpriseId - b.enterpriseId);
}
