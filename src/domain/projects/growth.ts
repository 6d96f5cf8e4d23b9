// Industrial investment growth from project progress reports, year on year, against the policy's
// ≥ 15 % a year goal (§四(三)), and its reconciliation with official investment statistics.
//
// The investment of a group (a cluster, a county) in 1–N月 of a year is the sum of 本月完成投资 over
// the progress reports of its projects in those months. A month without a report adds nothing: the
// library counts reported investment, and the missing-report flag is where an absent report shows.
import { monthNumber, monthYear, yoyGrowth, type Month } from '../periods.ts';

/** The policy's goal: cluster industrial investment grows at least 15 % a year. */
export const GROWTH_GOAL = 0.15;

export interface InvestmentFact {
  /** the group key: a cluster code, a county code, … */
  group: string;
  month: Month;
  /** 本月完成投资, 万元 */
  amount: number;
}

export interface GrowthRow {
  group: string;
  /** 1–N月累计 of the year of `through`, 万元 */
  current: number;
  /** the same months of the year before, 万元 */
  previous: number;
  /** ratio (0.15 = +15 %), null when the base is zero */
  growth: number | null;
  /** null when growth is unknown */
  meetsGoal: boolean | null;
}

export interface GrowthTable {
  through: Month;
  year: number;
  months: number;
  goal: number;
  rows: GrowthRow[];
  total: GrowthRow;
}

function inYtd(month: Month, year: number, n: number): boolean {
  return monthYear(month) === year && monthNumber(month) <= n;
}

/** Year-on-year growth of 1–N月 investment per group, N the month of `through`. */
export function investmentGrowth(
  facts: Iterable<InvestmentFact>,
  through: Month,
  goal = GROWTH_GOAL,
): GrowthTable {
  const year = monthYear(through);
  const n = monthNumber(through);
  const sums = new Map<string, { current: number; previous: number }>();
  const total = { current: 0, previous: 0 };
  for (const f of facts) {
    if (!Number.isFinite(f.amount)) continue;
    const cur = inYtd(f.month, year, n);
    const prev = !cur && inYtd(f.month, year - 1, n);
    if (!cur && !prev) continue;
    const s = sums.get(f.group) ?? { current: 0, previous: 0 };
    if (cur) {
      s.current += f.amount;
      total.current += f.amount;
    } else {
      s.previous += f.amount;
      total.previous += f.amount;
    }
    sums.set(f.group, s);
  }
  const row = (group: string, s: { current: number; previous: number }): GrowthRow => {
    const growth = yoyGrowth(s.current, s.previous);
    return {
      group,
      current: s.current,
      previous: s.previous,
      growth,
      meetsGoal: growth === null ? null : growth >= goal - 1e-12,
    };
  };
  const rows = [...sums].map(([g, s]) => row(g, s)).sort((a, b) => a.group.localeCompare(b.group));
  return { through, year, months: n, goal, rows, total: row('_total', total) };
}

/** 年均增长率 from a base year's value to a later year's: (current / base)^(1/years) − 1. */
export function averageAnnualGrowth(base: number, current: number, years: number): number | null {
  if (!(base > 0) || !(current >= 0) || !(years > 0)) return null;
  return Math.pow(current / base, 1 / years) - 1;
}

export type ReconcileStatus = 'noStatistics' | 'agrees' | 'projectsBelow' | 'projectsAbove';

export interface Reconciliation {
  projects: number;
  statistics: number | null;
  /** projects − statistics */
  difference: number | null;
  /** projects / statistics: the share of official investment the library accounts for */
  coverage: number | null;
  status: ReconcileStatus;
}

/** Within this relative difference the library and the statistics agree. */
export const RECONCILE_TOLERANCE = 0.05;

/**
 * The library covers major projects only, so its sum is normally below the statistics
 * (projectsBelow, with the coverage); a sum above them points to a reporting error (projectsAbove).
 */
export function reconcile(
  projects: number,
  statistics: number | null | undefined,
  tolerance = RECONCILE_TOLERANCE,
): Reconciliation {
  if (statistics === null || statistics === undefined || !Number.isFinite(statistics)) {
    return { projects, statistics: null, difference: null, coverage: null, status: 'noStatistics' };
  }
  const difference = projects - statistics;
  const coverage = statistics > 0 ? projects / statistics : null;
  const scale = Math.max(Math.abs(statistics), 1e-9);
  const status: ReconcileStatus =
    Math.abs(difference) <= tolerance * scale ? 'agrees' : difference < 0 ? 'projectsBelow' : 'projectsAbove';
  return { projects, statistics, difference, coverage, status };
}
