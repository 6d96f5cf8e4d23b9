// Statistical disclosure control for aggregates shown to a user who may not see the firms behind
// them (China's statistics law protects individual respondents' data; see docs/methodology.md
// "Disclosure control"). Pure: the callers hand over each cell's contributions from firms OUTSIDE the
// user's scope — the part the user could not otherwise know, since they can subtract the firms they
// may see — and the table's additive groups (cells whose sum is published elsewhere).
//
// Primary suppression, a cell is sensitive when its outside part
//   - rests on fewer than `minFirms` firms (frequency rule; 0 outside firms is no secret);
//   - is dominated: the largest `dominanceN` firms hold more than `dominanceK` of it ((n, k) rule);
//   - lets the second-largest firm estimate the largest within `pPercent` (p % rule).
// Secondary suppression: in every additive group holding exactly one suppressed cell, the smallest
// other cell is suppressed too, until no group gives a suppressed cell away by subtraction.
// Shares of a single firm (top firm share, HHI) are coarsened to `shareStep`.

export interface DisclosureParams {
  /** cells with 1 … minFirms − 1 outside firms are suppressed */
  minFirms: number;
  /** (n, k) dominance: the n largest outside firms may hold at most k of the outside total */
  dominanceN: number;
  dominanceK: number;
  /** p % rule: the rest (total − largest − second) must exceed p × largest */
  pPercent: number;
  /** shares and HHI shown to 1 / shareStep steps */
  shareStep: number;
}

/** The defaults: sdcTable's frequency rule (3), a (1, 60 %) dominance rule, p = 10 % (τ-Argus's usual). */
export const DEFAULT_DISCLOSURE: DisclosureParams = {
  minFirms: 3,
  dominanceN: 1,
  dominanceK: 0.6,
  pPercent: 0.1,
  shareStep: 0.1,
};

export type SuppressionReason = 'frequency' | 'dominance' | 'p-percent' | 'secondary';

/**
 * Why a cell must be hidden, judged on its outside firms' values (non-negative magnitudes: output,
 * revenue …); null when it may be shown. Only the count is needed when `values` is a number.
 */
export function primaryReason(
  values: readonly number[] | number,
  p: DisclosureParams = DEFAULT_DISCLOSURE,
): Exclude<SuppressionReason, 'secondary'> | null {
  const count = typeof values === 'number' ? values : values.length;
  if (count === 0) return null;
  if (count < p.minFirms) return 'frequency';
  if (typeof values === 'number') return null;
  const sorted = values.map((v) => Math.max(0, v)).sort((a, b) => b - a);
  const total = sorted.reduce((s, v) => s + v, 0);
  if (total <= 0) return null;
  const topN = sorted.slice(0, p.dominanceN).reduce((s, v) => s + v, 0);
  if (topN > p.dominanceK * total) return 'dominance';
  const [first = 0, second = 0] = sorted;
  if (total - first - second < p.pPercent * first) return 'p-percent';
  return null;
}

export interface TableCell {
  /** the primary reason, or null */
  primary: Exclude<SuppressionReason, 'secondary'> | null;
  /** the cell's value (the smallest cells are chosen for secondary suppression: least information lost) */
  value: number;
  /** keys of the additive groups the cell belongs to (cells whose sum is published elsewhere) */
  groups: readonly string[];
  /**
   * the reader sees this cell's firms anyway (their own county's): it protects nothing, since they
   * can subtract it from the total, so it is never chosen for secondary suppression nor counted
   */
  known?: boolean;
}

/** Reason per cell (index as given), primary and secondary; null for cells that may be shown. */
export function suppressTable(cells: readonly TableCell[]): (SuppressionReason | null)[] {
  const out: (SuppressionReason | null)[] = cells.map((c) => c.primary);
  const members = new Map<string, number[]>();
  cells.forEach((c, i) => {
    if (c.known) return;
    for (const g of c.groups) members.set(g, [...(members.get(g) ?? []), i]);
  });
  // each pass suppresses at least one more cell or ends: at most cells.length passes
  for (let changed = true; changed;) {
    changed = false;
    for (const list of members.values()) {
      const hidden = list.filter((i) => out[i] !== null);
      if (hidden.length !== 1 || list.length < 2) continue;
      let pick = -1;
      for (const i of list) {
        if (out[i] !== null) continue;
        if (pick < 0 || Math.abs(cells[i]!.value) < Math.abs(cells[pick]!.value)) pick = i;
      }
      if (pick >= 0) {
        out[pick] = 'secondary';
        changed = true;
      }
    }
  }
  return out;
}

/** A share (0–1) coarsened to the step; null stays null. */
export function roundShare(share: number | null, p: DisclosureParams = DEFAULT_DISCLOSURE): number | null {
  if (share === null || !Number.isFinite(share)) return share;
  const steps = Math.round(share / p.shareStep);
  return Math.round(steps * p.shareStep * 1e9) / 1e9;
}

/**
 * A cell kept as a summary rather than its firms' values: how many firms, the total and the largest
 * contributions, largest first (at least max(dominanceN, 2) of them, fewer only when the cell has fewer
 * firms). Enough for all three primary rules, so a table stored as sums can still be judged.
 */
export interface CellSummary {
  count: number;
  total: number;
  top: readonly number[];
}

/** `primaryReason` on a cell summary (the same rules, the same answers). */
export function summaryReason(
  c: CellSummary,
  p: DisclosureParams = DEFAULT_DISCLOSURE,
): Exclude<SuppressionReason, 'secondary'> | null {
  if (c.count === 0) return null;
  if (c.count < p.minFirms) return 'frequency';
  const top = c.top.map((v) => Math.max(0, v));
  const total = Math.max(0, c.total);
  if (total <= 0) return null;
  const topN = top.slice(0, p.dominanceN).reduce((s, v) => s + v, 0);
  if (topN > p.dominanceK * total) return 'dominance';
  const [first = 0, second = 0] = top;
  if (total - first - second < p.pPercent * first) return 'p-percent';
  return null;
}

/**
 * A cell with several magnitudes (output, revenue …) is shown only when every one may be: the first
 * reason any of them gives (the frequency rule rests on the count alone, so it comes first).
 */
export function cellReason(
  count: number,
  magnitudes: readonly { total: number | null; top: readonly number[] }[],
  p: DisclosureParams = DEFAULT_DISCLOSURE,
): Exclude<SuppressionReason, 'secondary'> | null {
  const frequency = summaryReason({ count, total: 0, top: [] }, p);
  if (frequency) return frequency;
  for (const m of magnitudes) {
    if (m.total === null) continue;
    const reason = summaryReason({ count, total: m.total, top: m.top }, p);
    if (reason) return reason;
  }
  return null;
}

/**
 * The reason of a figure built from several cells (a 1–N月累计, a 同比 that reveals last year's cell):
 * the cell's own first, then any other's. A sum of cells that each pass the frequency, (1, k)
 * dominance and p % rules passes them too (every firm's share stays under k in each cell, so in the
 * sum; the rest beyond any two firms stays above p × the larger in each cell, so in the sum), which
 * is why checking the parts is enough.
 */
export function windowReason<R extends SuppressionReason>(
  own: R | null,
  parts: readonly (R | null)[],
): R | null {
  return own ?? parts.find((r) => r !== null) ?? null;
}
