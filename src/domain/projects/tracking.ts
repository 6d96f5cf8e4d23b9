// Tracking rules: which projects are delayed (planned vs actual stage dates, investment pace, idle
// construction), which have not reported this month, and whether a monthly report is consistent.
// `today` is always a parameter ('YYYY-MM-DD', the city's local date); nothing here reads the clock.
import { addMonths, type Month } from '../periods.ts';
import type { Bilingual } from '../units.ts';
import { STAGE_EN, STAGE_ZH, reached, stageIndex, type ProjectStatus, type Stage } from './stages.ts';

export interface StageDates {
  stage: Stage;
  plannedDate: string | null;
  actualDate: string | null;
}

export interface ProgressPoint {
  month: Month;
  /** 本月完成投资, 万元 */
  investmentMonth: number;
  /** 累计完成投资, 万元 */
  investmentCumulative: number;
}

export interface TrackedProject {
  stage: Stage;
  status: ProjectStatus;
  /** 计划总投资, 万元 */
  plannedTotalInvestment: number;
  stages: readonly StageDates[];
  progress: readonly ProgressPoint[];
}

/** Below this share of the investment expected by now, construction is slow. */
export const PACE_THRESHOLD = 0.7;
/** Pace is judged only once this share of the planned construction period has passed. */
export const PACE_MIN_ELAPSED = 0.25;
/** This many months in a row without investment during construction make a project idle. */
export const IDLE_MONTHS = 3;
/** From 签约 to 投产 a project reports monthly; before signing there is nothing to report, at 达产 it is done. */
export const REPORTING_STAGES: readonly Stage[] = ['signed', 'land', 'started', 'completed', 'production'];
/** Stages during which investment is expected to flow (pace and idleness are judged). */
export const CONSTRUCTION_STAGES: readonly Stage[] = ['started', 'completed'];

export type DelayReason = 'overdue' | 'slowInvestment' | 'idle';

export interface OverdueStage {
  stage: Stage;
  plannedDate: string;
  /** days since the planned date; 1 on the day after it */
  daysLate: number;
}

export interface LateMilestone {
  stage: Stage;
  plannedDate: string;
  actualDate: string;
  daysLate: number;
}

export interface Pace {
  /** share of the planned construction period elapsed by today, 0–1; null when dates are missing */
  elapsed: number | null;
  /** investment expected by today, 万元 */
  expected: number | null;
  /** latest reported 累计, 万元 */
  actual: number | null;
  /** actual / expected */
  ratio: number | null;
  slow: boolean;
}

export interface Assessment {
  reportingMonth: Month;
  /** must report this month and has not */
  missingReport: boolean;
  overdue: OverdueStage[];
  lateMilestones: LateMilestone[];
  pace: Pace;
  idleMonths: number;
  reasons: DelayReason[];
  delayed: boolean;
  /** on the city's stalled list: delayed, or paused */
  stalled: boolean;
  /** the days the earliest overdue stage is late (0 when none) */
  daysLate: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dayNumber(date: string): number {
  if (!DATE.test(date)) throw new RangeError(`'${date}' is not a date in YYYY-MM-DD form`);
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000
  );
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

export function monthOfDate(date: string): Month {
  dayNumber(date);
  return date.slice(0, 7);
}

/** The last day of a month, 'YYYY-MM-DD'. */
export function monthEnd(month: Month): string {
  const next = addMonths(month, 1);
  const d = new Date(Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5, 7)) - 1, 1) - 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Stages not reached whose planned date lies before today: delayed from the day after the planned date. */
export function overdueStages(current: Stage, stages: readonly StageDates[], today: string): OverdueStage[] {
  const out: OverdueStage[] = [];
  for (const s of stages) {
    if (reached(current, s.stage) || !s.plannedDate) continue;
    const daysLate = daysBetween(s.plannedDate, today);
    if (daysLate > 0) out.push({ stage: s.stage, plannedDate: s.plannedDate, daysLate });
  }
  return out.sort((a, b) => stageIndex(a.stage) - stageIndex(b.stage));
}

/** Stages reached after their planned date (history, not a current delay). */
export function lateMilestones(stages: readonly StageDates[]): LateMilestone[] {
  const out: LateMilestone[] = [];
  for (const s of stages) {
    if (!s.plannedDate || !s.actualDate) continue;
    const daysLate = daysBetween(s.plannedDate, s.actualDate);
    if (daysLate > 0)
      out.push({ stage: s.stage, plannedDate: s.plannedDate, actualDate: s.actualDate, daysLate });
  }
  return out.sort((a, b) => stageIndex(a.stage) - stageIndex(b.stage));
}

function dateOf(
  stages: readonly StageDates[],
  stage: Stage,
  which: 'plannedDate' | 'actualDate',
): string | null {
  return stages.find((s) => s.stage === stage)?.[which] ?? null;
}

/** The latest report on or before `month`. */
export function latestReport(progress: readonly ProgressPoint[], month?: Month): ProgressPoint | null {
  let best: ProgressPoint | null = null;
  for (const p of progress) {
    if (month && p.month > month) continue;
    if (!best || p.month > best.month) best = p;
  }
  return best;
}

/**
 * Investment pace during construction: the planned total spread evenly over the planned construction
 * period (actual 开工 date, else planned, to planned 竣工), compared with the latest reported 累计.
 */
export function investmentPace(p: TrackedProject, today: string): Pace {
  const none: Pace = {
    elapsed: null,
    expected: null,
    actual: latestReport(p.progress)?.investmentCumulative ?? null,
    ratio: null,
    slow: false,
  };
  if (!CONSTRUCTION_STAGES.includes(p.stage) || p.status !== 'active') return none;
  const start = dateOf(p.stages, 'started', 'actualDate') ?? dateOf(p.stages, 'started', 'plannedDate');
  const end = dateOf(p.stages, 'completed', 'plannedDate');
  if (!start || !end) return none;
  const span = daysBetween(start, end);
  if (span <= 0) return none;
  const elapsed = Math.min(1, Math.max(0, daysBetween(start, today) / span));
  const expected = elapsed * p.plannedTotalInvestment;
  const actual = latestReport(p.progress)?.investmentCumulative ?? 0;
  const ratio = expected > 0 ? actual / expected : null;
  const slow = elapsed >= PACE_MIN_ELAPSED && ratio !== null && ratio < PACE_THRESHOLD;
  return { elapsed, expected, actual, ratio, slow };
}

/**
 * Months in a row, ending with the last full month before `reportingMonth`, in which a project under
 * construction reported no investment (no report counts as none). Months before 开工 are not counted.
 */
export function idleMonths(p: TrackedProject, reportingMonth: Month): number {
  if (!CONSTRUCTION_STAGES.includes(p.stage) || p.status !== 'active') return 0;
  const startDate = dateOf(p.stages, 'started', 'actualDate') ?? dateOf(p.stages, 'started', 'plannedDate');
  const startMonth = startDate ? monthOfDate(startDate) : null;
  const byMonth = new Map(p.progress.map((r) => [r.month, r.investmentMonth]));
  let n = 0;
  for (let m = addMonths(reportingMonth, -1); ; m = addMonths(m, -1)) {
    if (startMonth && m < startMonth) break;
    if (!startMonth && n >= 24) break;
    const v = byMonth.get(m);
    if (v !== undefined && v > 0) break;
    n++;
    if (n >= 120) break;
  }
  return n;
}

export function mustReport(stage: Stage, status: ProjectStatus): boolean {
  return status === 'active' && REPORTING_STAGES.includes(stage);
}

/** Everything the tracking pages show about one project, as of `today`. */
export function assess(p: TrackedProject, today: string): Assessment {
  const reportingMonth = monthOfDate(today);
  const missingReport = mustReport(p.stage, p.status) && !p.progress.some((r) => r.month === reportingMonth);
  const active = p.status === 'active';
  const overdue = active ? overdueStages(p.stage, p.stages, today) : [];
  const pace = investmentPace(p, today);
  const idle = idleMonths(p, reportingMonth);
  const reasons: DelayReason[] = [];
  if (overdue.length) reasons.push('overdue');
  if (pace.slow) reasons.push('slowInvestment');
  if (idle >= IDLE_MONTHS) reasons.push('idle');
  const delayed = reasons.length > 0;
  return {
    reportingMonth,
    missingReport,
    overdue,
    lateMilestones: lateMilestones(p.stages),
    pace,
    idleMonths: idle,
    reasons,
    delayed,
    stalled: delayed || p.status === 'paused',
    daysLate: overdue.reduce((max, o) => Math.max(max, o.daysLate), 0),
  };
}

/** A plain sentence for each delay reason, for lists and exports. */
export function describeDelay(a: Assessment): Bilingual[] {
  const out: Bilingual[] = [];
  for (const o of a.overdue) {
    out.push({
      zh: `计划${STAGE_ZH[o.stage]}日期 ${o.plannedDate} 已过 ${o.daysLate} 天仍未${STAGE_ZH[o.stage]}`,
      en: `${STAGE_EN[o.stage]} planned for ${o.plannedDate}, ${o.daysLate} days ago, not reached`,
    });
  }
  if (a.pace.slow && a.pace.ratio !== null) {
    const pct = Math.round(a.pace.ratio * 100);
    out.push({ zh: `投资进度仅为应完成的 ${pct}%`, en: `Investment at ${pct}% of the pace planned` });
  }
  if (a.reasons.includes('idle')) {
    out.push({
      zh: `在建期间连续 ${a.idleMonths} 个月无投资`,
      en: `No investment for ${a.idleMonths} months during construction`,
    });
  }
  return out;
}

// --- monthly reports --------------------------------------------------------------------------------

/** Rounding in reports (万元 with one or two decimals) is tolerated up to this much. */
export const CUMULATIVE_TOLERANCE = 1;

export type ReportCheck =
  { ok: true; investmentCumulative: number } | { ok: false; field: string; message: Bilingual };

/**
 * Checks one monthly report against the project's previous report. 累计 may be left out: it is then
 * the previous 累计 plus 本月. When given, it must equal that sum (within rounding) if the previous
 * report is the month before, and may not be smaller than it after a gap (the gap months' spending
 * may be in it).
 */
export function checkReport(
  previous: ProgressPoint | null,
  report: { month: Month; investmentMonth: number; investmentCumulative?: number | null },
): ReportCheck {
  const m = report.investmentMonth;
  if (!Number.isFinite(m) || m < 0) {
    return {
      ok: false,
      field: 'investmentMonth',
      message: { zh: '本月完成投资不能为负数', en: 'Investment this month cannot be negative' },
    };
  }
  const base = previous ? previous.investmentCumulative : 0;
  const expected = base + m;
  const given = report.investmentCumulative;
  if (given === null || given === undefined) return { ok: true, investmentCumulative: round2(expected) };
  if (!Number.isFinite(given) || given < m - CUMULATIVE_TOLERANCE) {
    return {
      ok: false,
      field: 'investmentCumulative',
      message: {
        zh: '累计完成投资不能小于本月完成投资',
        en: 'Cumulative investment cannot be below this month’s',
      },
    };
  }
  if (previous) {
    const consecutive = addMonths(previous.month, 1) === report.month;
    if (consecutive && Math.abs(given - expected) > CUMULATIVE_TOLERANCE) {
      return {
        ok: false,
        field: 'investmentCumulative',
        message: {
          zh: `累计 ${given} 万元与上月累计 ${base} 万元加本月 ${m} 万元（= ${round2(expected)}）不符`,
          en: `Cumulative ${given} does not equal last month’s ${base} plus this month’s ${m} (= ${round2(expected)}) 万元`,
        },
      };
    }
    if (!consecutive && given < expected - CUMULATIVE_TOLERANCE) {
      return {
        ok: false,
        field: 'investmentCumulative',
        message: {
          zh: `累计 ${given} 万元小于上次报告累计 ${base} 万元加本月 ${m} 万元`,
          en: `Cumulative ${given} is below the previous report’s ${base} plus this month’s ${m} 万元`,
        },
      };
    }
  }
  return { ok: true, investmentCumulative: given };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
