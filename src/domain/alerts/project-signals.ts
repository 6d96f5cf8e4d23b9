// Signals from the project library (pure): how late a firm's investment projects are, and how a cluster's
// or county's project investment grows against the city's. The rules of lateness and of growth are the
// projects capability's (src/domain/projects); here they are read as of a month's end, so a history can be
// replayed: a stage reached later than the month counts as not yet reached in that month.
import type { Month } from '../periods.ts';
import {
  daysBetween,
  investmentGrowth,
  monthEnd,
  reached,
  type InvestmentFact,
  type ProjectStatus,
  type Stage,
  type StageDates,
} from '../projects/index.ts';
import { calendarMonth } from './months.ts';

/** Days in the "month" of the delay signal: delays are counted in whole 30-day months. */
export const DELAY_MONTH_DAYS = 30;

export interface FirmProject {
  stage: Stage;
  status: ProjectStatus;
  stages: readonly StageDates[];
}

/**
 * Days the earliest unreached stage with a planned date before `asOf` is late, as of `asOf`
 * ('YYYY-MM-DD'): delayed from the day after the planned date, as the projects capability counts it.
 * A stage counts as reached on `asOf` when the project has reached it now and its actual date (when
 * known) is not after `asOf`. Only active projects are judged (a paused or terminated one is on the
 * stalled list for its own reason).
 */
export function projectDaysLate(p: FirmProject, asOf: string): number {
  if (p.status !== 'active') return 0;
  let worst = 0;
  for (const s of p.stages) {
    if (!s.plannedDate) continue;
    const reachedThen = reached(p.stage, s.stage) && !(s.actualDate && s.actualDate > asOf);
    if (reachedThen) continue;
    const late = daysBetween(s.plannedDate, asOf);
    if (late > worst) worst = late;
  }
  return worst;
}

/**
 * The firm's project delay signal in `month`: the longest delay of its projects at the month's last day,
 * in whole 30-day months (0 when none is late); null when the firm has no project in the library.
 */
export function projectDelayMonths(projects: readonly FirmProject[], month: Month): number | null {
  if (projects.length === 0) return null;
  const asOf = monthEnd(month);
  let worst = 0;
  for (const p of projects) worst = Math.max(worst, projectDaysLate(p, asOf));
  return Math.floor(worst / DELAY_MONTH_DAYS);
}

/**
 * Investment growth gap per group in `month`: the group's 1–N月 project investment growth on the same months
 * of last year minus the city's (all groups together), in percentage points. January is not computed
 * (1–2月 together, as the statistics bureau publishes them and as the firm comparisons are merged); a group
 * (or the city) without a base last year has no gap (null).
 */
export function investmentGrowthGaps(
  facts: Iterable<InvestmentFact>,
  month: Month,
): Map<string, number | null> | null {
  if (calendarMonth(month) === 1) return null;
  const table = investmentGrowth(facts, month);
  const city = table.total.growth;
  const out = new Map<string, number | null>();
  for (const r of table.rows)
    out.set(r.group, r.growth == null || city == null ? null : 100 * (r.growth - city));
  return out;
}
