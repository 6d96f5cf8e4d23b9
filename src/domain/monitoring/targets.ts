// Progress against a target: actual, progress %, the growth rate that was needed against the one
// achieved, a projection to the deadline with an honest uncertainty band, and achieved/missed once
// the deadline has passed. Pure; formulas in docs/methodology.md ("Target progress").

export type Comparator = '>=' | '>' | '<=' | '<' | '=' | '≈' | 'increase' | 'decrease';

/** Relative tolerance of '≈' (about): within 5 % of the goal counts as met. */
export const ABOUT_TOLERANCE = 0.05;
/** Two-sided 80 % normal quantile: the band covers 80 % of outcomes if the past is a guide. */
export const BAND_Z = 1.2815515655446004;
export const BAND_LEVEL = 0.8;
/** Fewer yearly growth observations than this give no band: a spread from two points is noise. */
export const MIN_OBSERVATIONS = 3;

export interface YearValue {
  year: number;
  value: number | null;
}

export interface PartialYear {
  year: number;
  /** months 1..month are in `ytd` */
  month: number;
  ytd: number;
  /** full-year / 1–month 累计 ratios of earlier years at the same month (seasonality) */
  fullOverYtdRatios: readonly number[];
}

export interface TargetSpec {
  goal: number | null;
  comparator: Comparator;
  deadlineYear: number;
  /** year the needed growth is counted from (policy base year) */
  baselineYear: number;
  /** a given baseline value; otherwise the actual of baselineYear is used */
  baselineValue?: number | null;
  /** 'flow' values (output) grow and are projected; 'count' values (number of firms) are only compared */
  kind?: 'flow' | 'count';
}

export type TargetStatus =
  'achieved' | 'missed' | 'on_track' | 'at_risk' | 'off_track' | 'no_data' | 'no_goal';

export interface Projection {
  year: number;
  value: number;
  /** null when the history is too short to say how uncertain the projection is */
  low: number | null;
  high: number | null;
  level: number;
  method: 'trend' | 'seasonal';
  observations: number;
}

export interface TargetProgress {
  goal: number | null;
  deadlineYear: number;
  /** the latest complete year's value, or the deadline year's once complete */
  actual: number | null;
  actualYear: number | null;
  /** actual / goal */
  progress: number | null;
  baselineYear: number;
  baselineValue: number | null;
  /** constant yearly growth from the baseline that reaches the goal exactly at the deadline */
  growthNeeded: number | null;
  /** constant yearly growth actually achieved from the baseline to actualYear */
  growthAchieved: number | null;
  /** yearly growth still needed from actualYear to reach the goal at the deadline */
  growthNeededFromNow: number | null;
  projection: Projection | null;
  deadlinePassed: boolean;
  status: TargetStatus;
}

/** Whether `value` satisfies `comparator goal`. Direction-only comparators compare with `base`. */
export function meets(
  value: number,
  goal: number | null,
  comparator: Comparator,
  base?: number | null,
): boolean {
  switch (comparator) {
    case 'increase':
      return base != null && value > base;
    case 'decrease':
      return base != null && value < base;
  }
  if (goal === null) return false;
  switch (comparator) {
    case '>=':
      return value >= goal;
    case '>':
      return value > goal;
    case '<=':
      return value <= goal;
    case '<':
      return value < goal;
    case '=':
      return Math.abs(value - goal) <= 1e-9 * Math.max(1, Math.abs(goal));
    case '≈':
      return Math.abs(value - goal) <= ABOUT_TOLERANCE * Math.max(Math.abs(goal), 1e-9) || value === goal;
  }
}

/** Constant yearly growth taking `from` to `to` in `years` years; null when undefined. */
export function cagr(from: number | null, to: number | null, years: number): number | null {
  if (from == null || to == null || !(from > 0) || !(to > 0) || !(years > 0)) return null;
  return (to / from) ** (1 / years) - 1;
}

function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.length > 1 ? xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1) : 0;
  return { mean, sd: Math.sqrt(variance) };
}

/**
 * Log-trend projection (random walk with drift on log values): from the last complete year L with
 * value v_L and yearly log growths g_t (mean μ, sample sd s, n of them), the value h = D − L years
 * ahead is v_L·e^{μh}; its band is v_L·e^{μh ± z·s·√(h + h²/n)}, the second term being the
 * uncertainty of μ itself. Needs MIN_OBSERVATIONS growths for a band.
 */
export function trendProjection(history: readonly YearValue[], year: number): Projection | null {
  const points = history
    .filter((p): p is { year: number; value: number } => p.value != null && p.value > 0)
    .sort((a, b) => a.year - b.year);
  const last = points.at(-1);
  if (!last || year <= last.year) return null;
  const growths: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    if (b.year === a.year + 1) growths.push(Math.log(b.value / a.value));
  }
  if (growths.length === 0) return null;
  const { mean, sd } = meanSd(growths);
  const h = year - last.year;
  const n = growths.length;
  const centre = last.value * Math.exp(mean * h);
  const spread = BAND_Z * sd * Math.sqrt(h + (h * h) / n);
  const banded = n >= MIN_OBSERVATIONS;
  return {
    year,
    value: centre,
    low: banded ? last.value * Math.exp(mean * h - spread) : null,
    high: banded ? last.value * Math.exp(mean * h + spread) : null,
    level: BAND_LEVEL,
    method: 'trend',
    observations: n,
  };
}

/**
 * Projection of a year in progress from its 1–N月累计 and the full-year/累计 ratios of earlier years
 * at the same month: ytd·mean(ratio), band ytd·(mean ± z·sd·√(1 + 1/n)) (a prediction interval).
 */
export function seasonalProjection(partial: PartialYear): Projection | null {
  const ratios = partial.fullOverYtdRatios.filter((r) => Number.isFinite(r) && r > 0);
  if (ratios.length === 0 || !(partial.ytd > 0)) return null;
  if (partial.month === 12) {
    return {
      year: partial.year,
      value: partial.ytd,
      low: partial.ytd,
      high: partial.ytd,
      level: BAND_LEVEL,
      method: 'seasonal',
      observations: ratios.length,
    };
  }
  const { mean, sd } = meanSd(ratios);
  const n = ratios.length;
  const spread = BAND_Z * sd * Math.sqrt(1 + 1 / n);
  const banded = n >= MIN_OBSERVATIONS;
  return {
    year: partial.year,
    value: partial.ytd * mean,
    low: banded ? partial.ytd * Math.max(0, mean - spread) : null,
    high: banded ? partial.ytd * (mean + spread) : null,
    level: BAND_LEVEL,
    method: 'seasonal',
    observations: n,
  };
}

/**
 * Progress of one target. `annual` holds complete years only; `partial` the year in progress, if
 * any; `asOf` ('YYYY-MM') is the latest month with data, which decides whether the deadline passed.
 */
export function targetProgress(
  spec: TargetSpec,
  annual: readonly YearValue[],
  asOf: string,
  partial?: PartialYear | null,
): TargetProgress {
  const kind = spec.kind ?? 'flow';
  const asOfYear = Number(asOf.slice(0, 4));
  const asOfMonth = Number(asOf.slice(5, 7));
  const deadlinePassed = asOfYear > spec.deadlineYear || (asOfYear === spec.deadlineYear && asOfMonth === 12);
  const complete = annual.filter((p) => p.value != null).sort((a, b) => a.year - b.year);
  // Judge on the deadline year once it is complete; before that, on the latest complete year.
  const upToDeadline = complete.filter((p) => p.year <= spec.deadlineYear);
  const latest = upToDeadline.at(-1) ?? null;
  const actual = latest?.value ?? null;
  const actualYear = latest?.year ?? null;
  const baselineValue =
    spec.baselineValue ?? complete.find((p) => p.year === spec.baselineYear)?.value ?? null;
  const goal = spec.goal;
  const flow = kind === 'flow';
  const span = spec.deadlineYear - spec.baselineYear;
  const growthNeeded = flow && goal != null ? cagr(baselineValue, goal, span) : null;
  const growthAchieved =
    flow && actualYear != null ? cagr(baselineValue, actual, actualYear - spec.baselineYear) : null;
  const growthNeededFromNow =
    flow && goal != null && actualYear != null && actualYear < spec.deadlineYear
      ? cagr(actual, goal, spec.deadlineYear - actualYear)
      : null;
  const progress = goal != null && goal !== 0 && actual != null ? actual / goal : null;

  let projection: Projection | null = null;
  if (flow && !deadlinePassed) {
    projection =
      partial && partial.year === spec.deadlineYear
        ? seasonalProjection(partial)
        : trendProjection(upToDeadline, spec.deadlineYear);
  }

  let status: TargetStatus;
  const directional = spec.comparator === 'increase' || spec.comparator === 'decrease';
  if (goal == null && !directional) status = 'no_goal';
  else if (deadlinePassed) {
    const final = upToDeadline.find((p) => p.year === spec.deadlineYear)?.value ?? null;
    status =
      final == null ? 'no_data' : meets(final, goal, spec.comparator, baselineValue) ? 'achieved' : 'missed';
  } else if (actual == null) status = 'no_data';
  else if (projection) {
    const ok = (v: number | null) => v != null && meets(v, goal, spec.comparator, baselineValue);
    if (ok(projection.value)) status = 'on_track';
    else if (ok(projection.low) || ok(projection.high)) status = 'at_risk';
    else if (projection.low == null) status = 'at_risk';
    else status = 'off_track';
  } else status = meets(actual, goal, spec.comparator, baselineValue) ? 'on_track' : 'at_risk';

  return {
    goal,
    deadlineYear: spec.deadlineYear,
    actual,
    actualYear,
    progress,
    baselineYear: spec.baselineYear,
    baselineValue,
    growthNeeded,
    growthAchieved,
    growthNeededFromNow,
    projection,
    deadlinePassed,
    status,
  };
}
