// Signals of clusters and counties in a month, aggregated from their member firms (pure). Each firm
// carries its facts, its own signals (for the diffusion index) and where it belongs.
import type { Month } from '../periods.ts';
import { calendarMonth as monthNumber, shiftMonth as addMonths } from './months.ts';
import { concentrationSignals, costPer100, countYoy, difference } from './area-signals.ts';
import { periodFlow, type FirmHistory } from './firm-signals.ts';
import type { SignalRow } from './types.ts';

export interface AreaFirm {
  history: FirmHistory;
  signals: ReadonlyMap<Month, SignalRow>;
  /**
   * The firm's electricity index at the builder's i-th month, read instead of `signals` when given (the
   * evaluation's firm tables hold no rows; NaN and undefined count as no index, as null does).
   */
  electricityIndex?: (i: number) => number | null | undefined;
  regionCode: string;
  clusters: readonly string[];
}

/** subject key of an area: 'cluster:<code>' or 'county:<code>' */
export function areaKeys(f: AreaFirm): string[] {
  return [`county:${f.regionCode}`, ...f.clusters.map((c) => `cluster:${c}`)];
}

/**
 * Per area and month: diffusion index, CR1/CR5/HHI of the month's output, reporting firms against a year
 * ago, and 每百元营业收入成本 against a year ago (1–2月 merged like the firm comparisons; January not
 * computed). An area of one firm is an area: its diffusion is 0 or 100 and its CR1 100 %.
 */
export function areaSignals(
  firms: readonly AreaFirm[],
  months: readonly Month[],
): Map<string, Map<Month, SignalRow>> {
  const builder = new AreaSignalsBuilder(months);
  for (const f of firms) builder.add(f);
  return builder.result();
}

/** What an area holds for one month while firms are added (sums in the order the firms come). */
interface AreaMonth {
  reporting: number;
  reportingBefore: number;
  outputs: number[];
  /** firms with an electricity index, and those at or above 100 (the diffusion index) */
  indexed: number;
  up: number;
  cost: { revenue: number; profit: number; n: number };
  costBefore: { revenue: number; profit: number; n: number };
}

/**
 * areaSignals one firm at a time: a caller streaming firms (the monthly evaluation reads them slice by slice)
 * adds each and keeps nothing of it — at province scale every firm's facts and signals held for the areas
 * at the end were most of the evaluation's memory. The figures are the same: each sum is taken in the order
 * the firms are added, as areaSignals over the list did; only the outputs are kept (concentration sorts them).
 */
export class AreaSignalsBuilder {
  private areas = new Map<string, AreaMonth[]>();
  private plan: { m: Month; prev: Month; january: boolean }[];
  constructor(months: readonly Month[]) {
    this.plan = months.map((m) => ({ m, prev: addMonths(m, -12), january: monthNumber(m) === 1 }));
  }

  /** A firm's facts and its own signals (only the electricity index is read) by month, and its areas. */
  add(f: AreaFirm): void {
    const keys = areaKeys(f);
    // the firm's part in each month, the same for every area it belongs to
    const parts = this.plan.map(({ m, prev, january }, i) => {
      const here = f.history.get(m);
      const index = f.electricityIndex ? f.electricityIndex(i) : f.signals.get(m)?.electricity_index;
      const cost = january ? null : costPart(f.history, m);
      const costBefore = january ? null : costPart(f.history, prev);
      return { here, before: f.history.has(prev), index, cost, costBefore };
    });
    for (const k of keys) {
      let list = this.areas.get(k);
      if (!list) this.areas.set(k, (list = this.plan.map(() => emptyMonth())));
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i]!;
        const a = list[i]!;
        if (p.here) {
          a.reporting++;
          if (p.here.output != null) a.outputs.push(p.here.output);
        }
        if (p.before) a.reportingBefore++;
        if (p.index != null && !Number.isNaN(p.index)) {
          a.indexed++;
          if (p.index >= 100) a.up++;
        }
        if (p.cost) addCost(a.cost, p.cost);
        if (p.costBefore) addCost(a.costBefore, p.costBefore);
      }
    }
  }

  result(): Map<string, Map<Month, SignalRow>> {
    const out = new Map<string, Map<Month, SignalRow>>();
    for (const [key, list] of this.areas) {
      const series = new Map<Month, SignalRow>();
      this.plan.forEach(({ m, january }, i) => {
        const a = list[i]!;
        const row: SignalRow = {};
        const c = concentrationSignals(a.outputs);
        row.cr1 = c?.cr1 ?? null;
        row.cr5 = c?.cr5 ?? null;
        row.hhi = c?.hhi ?? null;
        row.firm_count_yoy = countYoy(a.reporting, a.reportingBefore);
        if (!january) {
          // diffusionIndex over the firms' indices, from its two counts
          row.diffusion_index = a.indexed === 0 ? null : (100 * a.up) / a.indexed;
          row.cost_per_100_yoy = difference(costFrom(a.cost), costFrom(a.costBefore));
        }
        series.set(m, row);
      });
      out.set(key, series);
    }
    return out;
  }
}

function emptyMonth(): AreaMonth {
  return {
    reporting: 0,
    reportingBefore: 0,
    outputs: [],
    indexed: 0,
    up: 0,
    cost: { revenue: 0, profit: 0, n: 0 },
    costBefore: { revenue: 0, profit: 0, n: 0 },
  };
}

/** A firm's revenue and profit in the period, when it reported both. */
function costPart(history: FirmHistory, m: Month): { r: number; p: number } | null {
  const r = periodFlow(history, m, 'revenue');
  const p = periodFlow(history, m, 'profit');
  return r == null || p == null ? null : { r, p };
}

function addCost(sum: { revenue: number; profit: number; n: number }, part: { r: number; p: number }): void {
  sum.revenue += part.r;
  sum.profit += part.p;
  sum.n++;
}

/** 每百元营业收入成本 of the firms reporting both revenue and profit in the period. */
function costFrom(sum: { revenue: number; profit: number; n: number }): number | null {
  return sum.n ? costPer100(sum.revenue, sum.profit) : null;
}
