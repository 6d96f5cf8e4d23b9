// Signals of clusters and counties in a month, aggregated from their member firms (pure). Each firm
// carries its facts, its own signals (for the diffusion index) and where it belongs.
import type { Month } from '../periods.ts';
import { calendarMonth as monthNumber, monthIndex, shiftMonth as addMonths } from './months.ts';
import { concentrationSignals, costPer100, countYoy, difference } from './area-signals.ts';
import { periodFlow, type FirmHistory } from './firm-signals.ts';
import type { FactColumns } from './fact-columns.ts';
import type { SignalRow } from './types.ts';

export interface AreaFirm {
  /** the firm's facts by month, or as columns (the evaluation's read: no object per month) */
  history: FirmHistory | FactColumns;
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
  /** the positive outputs (concentration leaves out the others) */
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
  /** the plan's months as month indices, the earliest month a firm's part reads, and positions from it */
  private index: number[];
  private first: number;
  private positions: Int32Array;
  constructor(months: readonly Month[]) {
    this.plan = months.map((m) => ({ m, prev: addMonths(m, -12), january: monthNumber(m) === 1 }));
    this.index = months.map(monthIndex);
    this.first = Math.min(...this.index) - 13;
    this.positions = new Int32Array(Math.max(0, Math.max(...this.index) - this.first + 1));
  }

  /** A firm's facts and its own signals (only the electricity index is read) by month, and its areas. */
  add(f: AreaFirm): void {
    const keys = areaKeys(f);
    // the firm's part in each month, the same for every area it belongs to
    const parts =
      f.history instanceof Map ? this.partsOf(f, f.history) : this.columnParts(f, f.history as FactColumns);
    for (const k of keys) {
      let list = this.areas.get(k);
      if (!list) this.areas.set(k, (list = this.plan.map(() => emptyMonth())));
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i]!;
        const a = list[i]!;
        if (p.reported) {
          a.reporting++;
          // only what concentration counts (a positive output): the rest would be filtered out at the end
          if (p.output != null && Number.isFinite(p.output) && p.output > 0) a.outputs.push(p.output);
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

  private partsOf(f: AreaFirm, history: FirmHistory): Part[] {
    return this.plan.map(({ m, prev, january }, i) => {
      const here = history.get(m);
      return {
        reported: here !== undefined,
        output: here?.output ?? null,
        before: history.has(prev),
        index: indexAt(f, m, i),
        cost: january ? null : costPart(history, m),
        costBefore: january ? null : costPart(history, prev),
      };
    });
  }

  /** partsOf on columns: each month's position in them through a table by month offset (reused) */
  private columnParts(f: AreaFirm, c: FactColumns): Part[] {
    const pos = this.positions;
    pos.fill(-1);
    for (let k = 0; k < c.months.length; k++) {
      const o = c.months[k]! - this.first;
      if (o >= 0 && o < pos.length) pos[o] = k;
    }
    const at = (m: number) => (m - this.first >= 0 ? pos[m - this.first]! : -1);
    /** periodFlow on the columns (February: January+February, both needed) */
    const flow = (col: readonly (number | null)[], m: number, february: boolean): number | null => {
      const k = at(m);
      const v = k < 0 ? null : (col[k] ?? null);
      if (!february) return v;
      const j = at(m - 1);
      const jan = j < 0 ? null : (col[j] ?? null);
      return jan == null || v == null ? null : jan + v;
    };
    const cost = (m: number, february: boolean) => {
      const r = flow(c.revenue, m, february);
      const p = flow(c.profit, m, february);
      return r == null || p == null ? null : { r, p };
    };
    return this.plan.map(({ m, january }, i) => {
      const mi = this.index[i]!;
      const k = at(mi);
      const february = (mi % 12) + 1 === 2;
      return {
        reported: k >= 0,
        output: k < 0 ? null : (c.output[k] ?? null),
        before: at(mi - 12) >= 0,
        index: indexAt(f, m, i),
        cost: january ? null : cost(mi, february),
        costBefore: january ? null : cost(mi - 12, february),
      };
    });
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

/** A firm's part in one month of an area. */
interface Part {
  reported: boolean;
  output: number | null;
  before: boolean;
  index: number | null | undefined;
  cost: { r: number; p: number } | null;
  costBefore: { r: number; p: number } | null;
}

function indexAt(f: AreaFirm, m: Month, i: number): number | null | undefined {
  return f.electricityIndex ? f.electricityIndex(i) : f.signals.get(m)?.electricity_index;
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
