// Signals of one firm in one month, from its monthly facts (pure). The formulas are the specification the
// module's evaluation follows; docs/methodology.md, "Risk early warning", explains the choices.
//
// Spring Festival (春节) moves between January and February, so every comparison of a flow across years
// (electricity, output, tax) is made on 1–2月 merged: January is not computed (undefined: skipped by the
// engine), February compares January+February with January+February of the earlier year(s). This follows
// the statistics bureau's habit of publishing 1–2月 together; applying it to firm alerts is an inference.
import type { Month } from '../periods.ts';
import { calendarMonth as monthNumber, shiftMonth as addMonths } from './months.ts';
import type { SignalRow } from './types.ts';

/** One firm's facts in a month (a row present = the firm reported that month). Units as monthly_stats. */
export interface FirmFacts {
  output: number | null; // 工业总产值, 万元
  tax: number | null; // 税金, 万元
  electricity: number | null; // 用电量, 万千瓦时
  employees: number | null; // 从业人员, 人
  revenue?: number | null; // 营业收入, 万元 (for the area cost signal)
  profit?: number | null; // 利润总额, 万元
}
export type FirmHistory = ReadonlyMap<Month, FirmFacts>;
type FlowKey = 'output' | 'tax' | 'electricity' | 'revenue' | 'profit';

/** Earlier years the seasonal baseline looks at (at most), and how many it needs (at least). */
export const BASELINE_YEARS = 5;
export const BASELINE_MIN_YEARS = 3;
/** Consistency constant of the modified z-score (Iglewicz & Hoaglin 1993): 0.6745·(x − median)/MAD. */
export const MODIFIED_Z = 0.6745;
/** How far back a firm must have reported for a missing month to count as "not reported". */
export const REPORTING_LOOKBACK = 12;

/**
 * A flow in the comparison period of `month`: the month itself (March–December), January+February (at
 * February), undefined at January; null when a needed month is missing.
 */
export function periodFlow(history: FirmHistory, month: Month, key: FlowKey): number | null | undefined {
  const m = monthNumber(month);
  if (m === 1) return undefined;
  if (m === 2) {
    const jan = history.get(addMonths(month, -1))?.[key];
    const feb = history.get(month)?.[key];
    return jan == null || feb == null ? null : jan + feb;
  }
  return history.get(month)?.[key] ?? null;
}

/** 100 × current / base; null when either is missing or the base is not positive. */
export function indexOf(current: number | null | undefined, base: number | null | undefined): number | null {
  if (current == null || base == null || base <= 0) return null;
  return (100 * current) / base;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median and MAD of the same period in earlier years; null when fewer than BASELINE_MIN_YEARS exist. */
export function seasonalBaseline(
  history: FirmHistory,
  month: Month,
  key: FlowKey,
): { median: number; mad: number; years: number } | null {
  const values: number[] = [];
  for (let k = 1; k <= BASELINE_YEARS; k++) {
    const v = periodFlow(history, addMonths(month, -12 * k), key);
    if (v != null) values.push(v);
  }
  if (values.length < BASELINE_MIN_YEARS) return null;
  const med = median(values);
  return { median: med, mad: median(values.map((v) => Math.abs(v - med))), years: values.length };
}

/**
 * Consecutive months without a report up to `month`; null when the firm had no report to miss, or when the
 * month is still open for reporting (`open`, reporting.ts) and the firm has no row in it yet: unknown.
 */
export function monthsNotReported(history: FirmHistory, month: Month, open = false): number | null {
  if (open && !history.has(month)) return null;
  for (let k = 0; k <= REPORTING_LOOKBACK; k++) {
    if (history.has(addMonths(month, -k))) return k;
  }
  return null;
}

/**
 * Every firm signal of `month` (types.ts lists them). A key is absent when the signal is not computed in
 * that month (January, merged into February), null when its data are missing. `open`: the month is still
 * open for reporting (reporting.ts) — only months not reported reads it.
 */
export function firmSignals(history: FirmHistory, month: Month, open = false): SignalRow {
  const row: SignalRow = {};
  const notReported = monthsNotReported(history, month, open);
  row.months_not_reported = notReported;
  const here = history.get(month);
  const lastYear = history.get(addMonths(month, -12));
  row.employees_yoy = here && lastYear ? yoy(indexOf(here.employees, lastYear.employees)) : null;
  if (monthNumber(month) === 1) return row;

  const prev = addMonths(month, -12);
  const ie = indexOf(periodFlow(history, month, 'electricity'), periodFlow(history, prev, 'electricity'));
  const io = indexOf(periodFlow(history, month, 'output'), periodFlow(history, prev, 'output'));
  const it = indexOf(periodFlow(history, month, 'tax'), periodFlow(history, prev, 'tax'));
  row.electricity_index = ie;
  row.output_yoy = yoy(io);
  row.tax_yoy = yoy(it);
  // 税电背离: production (electricity) and sales (tax) on opposite sides of last year's level.
  row.tax_electricity_gap = ie == null || it == null ? null : (ie - 100) * (it - 100) < 0 ? ie - it : 0;

  const out = periodFlow(history, month, 'output');
  const base = seasonalBaseline(history, month, 'output');
  row.output_seasonal_z =
    out == null || base == null || base.mad <= 0 ? null : (MODIFIED_Z * (out - base.median)) / base.mad;
  row.output_seasonal_dev =
    out == null || base == null || base.median <= 0 ? null : 100 * (out / base.median - 1);
  return row;
}

function yoy(index: number | null): number | null {
  return index == null ? null : index - 100;
}

/** 亩均 classes best first; a fall of k steps is signal value k (0 when equal or better). */
export const MU_CLASSES = ['A', 'B', 'C', 'D'] as const;
export function muClassDrop(
  previous: string | null | undefined,
  current: string | null | undefined,
): number | null {
  const p = MU_CLASSES.indexOf(previous as (typeof MU_CLASSES)[number]);
  const c = MU_CLASSES.indexOf(current as (typeof MU_CLASSES)[number]);
  if (p < 0 || c < 0) return null;
  return Math.max(0, c - p);
}

/**
 * The months of facts the signals of `targets` read: each target and the 12 months before it (year-ago
 * comparison, months not reported), January before February, and the same period of BASELINE_YEARS earlier
 * years. Sorted, unique.
 */
export function historyMonthsFor(targets: readonly Month[]): Month[] {
  const out = new Set<Month>();
  for (const t of targets) {
    for (let k = 0; k <= Math.max(REPORTING_LOOKBACK, 13); k++) out.add(addMonths(t, -k));
    for (let y = 2; y <= BASELINE_YEARS; y++) {
      out.add(addMonths(t, -12 * y));
      out.add(addMonths(t, -12 * y - 1));
    }
  }
  return [...out].sort();
}
