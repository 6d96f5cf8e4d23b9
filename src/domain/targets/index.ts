// Target responsibility (issue 16): how a city target becomes county targets, how far a county (or the city)
// has come, the average annual growth a "年均增长 ≥ x %" target is judged on, and when a reported value is
// due. Pure; formulas in docs/methodology.md ("Target ledger and county breakdown").

export type CountySplit = 'baseline_share' | 'equal' | 'same' | 'entered' | 'none';
export type Measurement = 'computed' | 'reported';
export type ReportStatus = 'approved' | 'pending' | 'returned' | 'missing';

/**
 * County goals of a city goal. baseline_share: goal × the county's share of the baseline year's value
 * (Σ over counties = the city goal); equal: goal / n; same: every county the city's goal (a rate or a ratio);
 * entered: only the goals the city entered. Goals the city entered always win over a computed split, and
 * the split shares out only what the entered goals leave. A baseline that sums to nothing (no county had
 * any) falls back to the equal split, because a share of zero says nothing about who should do what.
 */
export function splitGoal(
  method: CountySplit,
  cityGoal: number | null,
  counties: readonly string[],
  baseline: ReadonlyMap<string, number | null>,
  entered: ReadonlyMap<string, number> = new Map(),
): Map<string, number | null> {
  const out = new Map<string, number | null>();
  if (method === 'none') return out;
  for (const c of counties) out.set(c, entered.get(c) ?? null);
  if (cityGoal == null || method === 'entered') return out;
  if (method === 'same') {
    for (const c of counties) if (!entered.has(c)) out.set(c, cityGoal);
    return out;
  }
  const open = counties.filter((c) => !entered.has(c));
  const left = cityGoal - [...entered.values()].reduce((s, g) => s + g, 0);
  const total = open.reduce((s, c) => s + Math.max(0, baseline.get(c) ?? 0), 0);
  for (const c of open) {
    const share =
      method === 'baseline_share' && total > 0
        ? Math.max(0, baseline.get(c) ?? 0) / total
        : 1 / Math.max(1, open.length);
    out.set(c, left * share);
  }
  return out;
}

/**
 * Progress towards a goal: value / goal for "at least" goals; for a goal of zero or "at most" (≈ 0, ≤),
 * 1 when met and goal / value otherwise (how far the value still is above the ceiling); null when either is
 * missing. Not capped: above 1 means ahead of the goal.
 */
export function progressOf(value: number | null, goal: number | null, comparator: string): number | null {
  if (value == null || goal == null) return null;
  const ceiling = comparator === '<=' || comparator === '<' || (comparator === '≈' && goal === 0);
  if (ceiling) {
    if (value <= goal) return 1;
    return goal > 0 ? goal / value : 0;
  }
  if (goal === 0) return null;
  return value / goal;
}

/**
 * Average annual growth (%), the constant yearly rate taking the baseline year's sum to the year's:
 * ((v_year / v_base)^(1/(year − base)) − 1) × 100. Null when either year is missing or not positive.
 */
export function averageAnnualGrowth(
  byYear: ReadonlyMap<number, number>,
  baselineYear: number,
  year: number,
): number | null {
  const from = byYear.get(baselineYear);
  const to = byYear.get(year);
  const span = year - baselineYear;
  if (from == null || to == null || !(from > 0) || !(to > 0) || !(span > 0)) return null;
  return ((to / from) ** (1 / span) - 1) * 100;
}

/**
 * The day a period's reported value is due: the end of January after the year (the statistics year closes
 * and counties have a month to report it). A reading of this project: the policy sets no date (PROPOSED).
 */
export function reportDueOn(year: number): string {
  return `${year + 1}-01-31`;
}

/** Whether a report counts as on time: first submitted no later than the end of its due day (CST). */
export function onTime(firstSubmittedAt: Date, dueOn: string): boolean {
  return firstSubmittedAt.getTime() < Date.parse(`${dueOn}T24:00:00+08:00`);
}

/**
 * The city's value of a reported target from its counties' approved values: their sum for additive
 * counts (家, 个, 项 …), nothing for anything else (a rate of the city is not the sum of county rates).
 */
export function cityFromCounties(
  values: readonly (number | null)[],
  additive: boolean,
): { value: number | null; counties: number } {
  const got = values.filter((v): v is number => v != null);
  if (!additive || got.length === 0) return { value: null, counties: got.length };
  return { value: got.reduce((s, v) => s + v, 0), counties: got.length };
}

/** Units whose figures add up across counties (counts of things, money, output). */
export function additiveUnit(unit: string): boolean {
  return /^(家|个|项|条|个集群|亿元|万元)$/.test(unit);
}
