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
  /**
   * Or the indexes as an array: the builder's i-th month's at `electricityFrom + i` (a firm table's column,
   * firm-table.ts): no function per firm, nor a number it answers per month (issue 13).
   */
  electricityColumn?: Float64Array;
  electricityFrom?: number;
  regionCode: string;
  clusters: readonly string[];
}

/** subject key of an area: 'cluster:<code>' or 'county:<code>' */
const areaKey = (kind: 'county' | 'cluster', code: string) => `${kind}:${code}`;

/** A firm's areas' subject keys: its county's, then each of its clusters'. */
export function areaKeys(f: Pick<AreaFirm, 'regionCode' | 'clusters'>): string[] {
  return [areaKey('county', f.regionCode), ...f.clusters.map((c) => areaKey('cluster', c))];
}

/**
 * Per area and month: diffusion index, CR1/CR5/HHI of the month's output, reporting firms against a year
 * ago, and 每百元营业收入成本 against a year ago (1–2月 merged like the firm comparisons; January not
 * computed). An area of one firm is an area: its diffusion is 0 or 100 and its CR1 100 %. In the month still
 * open for reporting (`open`, reporting.ts) the reporting firms against a year ago are null: unknown.
 */
export function areaSignals(
  firms: readonly AreaFirm[],
  months: readonly Month[],
  open: Month | null = null,
): Map<string, Map<Month, SignalRow>> {
  const builder = new AreaSignalsBuilder(months, open);
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
  /** the same lists by county and by cluster code (areaOf) */
  private counties = new Map<string, AreaMonth[]>();
  private clusters = new Map<string, AreaMonth[]>();
  private plan: { m: Month; prev: Month; january: boolean }[];
  /** the plan's months as month indices, the earliest month a firm's part reads, and positions from it */
  private index: number[];
  private first: number;
  private positions: Int32Array;
  /**
   * The part of the firm being added in each month of the plan, the same for every area it belongs to, in
   * arrays reused from firm to firm (a part object per firm and month, with closures per firm, was most of
   * the builder's time at province scale): output and index NaN when none, cost flagged apart (its values
   * are added as they come, whatever they are, as before).
   */
  private reported: Uint8Array;
  private output: Float64Array;
  private before: Uint8Array;
  private electricity: Float64Array;
  private hasCost: Uint8Array;
  private costRevenue: Float64Array;
  private costProfit: Float64Array;
  private hasCostBefore: Uint8Array;
  private costBeforeRevenue: Float64Array;
  private costBeforeProfit: Float64Array;
  /** the months of the plan (positions) the firm being added adds to (add) */
  private active: Int32Array;
  constructor(
    months: readonly Month[],
    /** the month still open for reporting, if any: its reporting count is not judged (areaSignals) */
    private readonly open: Month | null = null,
  ) {
    this.plan = months.map((m) => ({ m, prev: addMonths(m, -12), january: monthNumber(m) === 1 }));
    this.index = months.map(monthIndex);
    this.first = Math.min(...this.index) - 13;
    this.positions = new Int32Array(Math.max(0, Math.max(...this.index) - this.first + 1));
    const n = months.length;
    this.reported = new Uint8Array(n);
    this.output = new Float64Array(n);
    this.before = new Uint8Array(n);
    this.electricity = new Float64Array(n);
    this.hasCost = new Uint8Array(n);
    this.costRevenue = new Float64Array(n);
    this.costProfit = new Float64Array(n);
    this.hasCostBefore = new Uint8Array(n);
    this.costBeforeRevenue = new Float64Array(n);
    this.costBeforeProfit = new Float64Array(n);
    this.active = new Int32Array(n);
  }

  /**
   * A firm's facts and its own signals (only the electricity index is read) by month, and its areas. A firm
   * given as columns without `electricityColumn`, `electricityIndex` or `signals` has its index computed
   * here from its electricity, as firmTable computes it (firm-table.ts): the evaluation builds no table
   * for a firm it evaluates by its reporting alone (unreported-firms.ts) — at province scale 170,000
   * tables built for their electricity index only (issue 13).
   */
  add(f: AreaFirm | (Omit<AreaFirm, 'signals' | 'history'> & { history: FactColumns })): void {
    if (f.history instanceof Map) this.partsOf(f as AreaFirm, f.history);
    else this.columnParts(f, f.history as FactColumns);
    // the months where the firm adds anything to its areas, found once for all of them: most of a province's
    // firms reported in few of the months (issue 13), and each area's month was visited for nothing
    const active = this.active;
    let count = 0;
    for (let i = 0; i < active.length; i++)
      if (
        this.reported[i] ||
        this.before[i] ||
        !Number.isNaN(this.electricity[i]!) ||
        this.hasCost[i] ||
        this.hasCostBefore[i]
      )
        active[count++] = i;
    const clusters = f.clusters;
    for (let c = -1; c < clusters.length; c++) {
      const list =
        c < 0
          ? this.areaOf(this.counties, 'county', f.regionCode)
          : this.areaOf(this.clusters, 'cluster', clusters[c]!);
      for (let k = 0; k < count; k++) {
        const i = active[k]!;
        const a = list[i]!;
        if (this.reported[i]) {
          a.reporting++;
          // only what concentration counts (a positive output): the rest would be filtered out at the end
          const o = this.output[i]!;
          if (o > 0 && o < Infinity) a.outputs.push(o);
        }
        if (this.before[i]) a.reportingBefore++;
        const x = this.electricity[i]!;
        if (!Number.isNaN(x)) {
          a.indexed++;
          if (x >= 100) a.up++;
        }
        if (this.hasCost[i]) addCost(a.cost, this.costRevenue[i]!, this.costProfit[i]!);
        if (this.hasCostBefore[i])
          addCost(a.costBefore, this.costBeforeRevenue[i]!, this.costBeforeProfit[i]!);
      }
    }
  }

  /**
   * The months of an area by its code (areaKeys' order: the county, then each cluster), made when first met:
   * looked up by the code itself, a string the firms share, instead of its key built per firm and hashed
   * anew (≈ 220,000 firms at province scale, issue 13); `areas` keeps the order areas were first met in.
   */
  private areaOf(byCode: Map<string, AreaMonth[]>, kind: 'county' | 'cluster', code: string): AreaMonth[] {
    let list = byCode.get(code);
    if (list) return list;
    const key = areaKey(kind, code);
    list = this.areas.get(key);
    if (!list) this.areas.set(key, (list = this.plan.map(() => emptyMonth())));
    byCode.set(code, list);
    return list;
  }

  private partsOf(f: AreaFirm, history: FirmHistory): void {
    this.plan.forEach(({ m, prev, january }, i) => {
      const here = history.get(m);
      this.reported[i] = here === undefined ? 0 : 1;
      this.output[i] = here?.output ?? NaN;
      this.before[i] = history.has(prev) ? 1 : 0;
      this.electricity[i] = indexAt(f, m, i) ?? NaN;
      this.setCost(
        i,
        false,
        january ? null : periodFlow(history, m, 'revenue'),
        periodFlow(history, m, 'profit'),
      );
      this.setCost(
        i,
        true,
        january ? null : periodFlow(history, prev, 'revenue'),
        periodFlow(history, prev, 'profit'),
      );
    });
  }

  /** A month's cost part: the firm's revenue and profit in the period when it reported both. */
  private setCost(
    i: number,
    before: boolean,
    r: number | null | undefined,
    p: number | null | undefined,
  ): void {
    const has = r == null || p == null ? 0 : 1;
    if (before) {
      this.hasCostBefore[i] = has;
      this.costBeforeRevenue[i] = r ?? 0;
      this.costBeforeProfit[i] = p ?? 0;
    } else {
      this.hasCost[i] = has;
      this.costRevenue[i] = r ?? 0;
      this.costProfit[i] = p ?? 0;
    }
  }

  /** The position in the firm's columns of month index `m`, or -1 (through `positions`, filled per firm). */
  private at(m: number): number {
    const o = m - this.first;
    return o >= 0 ? this.positions[o]! : -1;
  }

  /**
   * periodFlow on the columns (February: January+February, both needed) written into `out[i]` (0 when null, as setCost writes it): 1 when present, else 0
   */
  private flowInto(
    col: readonly (number | null)[],
    m: number,
    february: boolean,
    out: Float64Array,
    i: number,
  ): number {
    const k = this.at(m);
    const v = k < 0 ? undefined : col[k];
    if (v == null) {
      out[i] = 0;
      return 0;
    }
    if (!february) {
      out[i] = v;
      return 1;
    }
    const j = this.at(m - 1);
    const jan = j < 0 ? undefined : col[j];
    if (jan == null) {
      out[i] = 0;
      return 0;
    }
    out[i] = jan + v;
    return 1;
  }

  /**
   * firmTable's electricity index at month index `mi` (not a January), from the columns, written into
   * `electricity[i]`: NaN without the month's report, else indexOf of the period's flows (February:
   * January+February), NaN when one is missing. Written, not answered: a double answered by a call not
   * inlined is a heap number, one per firm evaluated by its reporting alone and month (issue 13).
   */
  private electricityIndexInto(
    el: readonly (number | null)[],
    mi: number,
    february: boolean,
    i: number,
  ): void {
    const out = this.electricity;
    const k = this.at(mi);
    const b = this.at(mi - 12);
    if (k < 0 || b < 0) {
      out[i] = NaN;
      return;
    }
    let current = el[k] ?? NaN;
    let base = el[b] ?? NaN;
    if (february) {
      const j = this.at(mi - 1);
      current = j < 0 ? NaN : (el[j] ?? NaN) + current;
      const a = this.at(mi - 13);
      base = a < 0 ? NaN : (el[a] ?? NaN) + base;
    }
    out[i] = Number.isNaN(current) || Number.isNaN(base) || base <= 0 ? NaN : (100 * current) / base;
  }

  /**
   * partsOf on columns: each month's position in them through a table by month offset (reused); the
   * electricity index from the columns when the firm brings none
   */
  private columnParts(
    f: Partial<Pick<AreaFirm, 'electricityIndex' | 'electricityColumn' | 'electricityFrom' | 'signals'>>,
    c: FactColumns,
  ): void {
    const column = f.electricityColumn;
    const from = f.electricityFrom ?? 0;
    const own = column !== undefined || f.electricityIndex !== undefined || f.signals !== undefined;
    const pos = this.positions;
    pos.fill(-1);
    for (let k = 0; k < c.months.length; k++) {
      const o = c.months[k]! - this.first;
      if (o >= 0 && o < pos.length) pos[o] = k;
    }
    for (let i = 0; i < this.plan.length; i++) {
      const mi = this.index[i]!;
      const k = this.at(mi);
      const february = (mi % 12) + 1 === 2;
      this.reported[i] = k >= 0 ? 1 : 0;
      this.output[i] = k < 0 ? NaN : (c.output[k] ?? NaN);
      this.before[i] = this.at(mi - 12) >= 0 ? 1 : 0;
      // a table's index (or a row's), else firmTable's computed here; a table holds 0 in a January
      if (column) this.electricity[i] = column[from + i]!;
      else if (own) this.electricity[i] = indexAt(f as AreaFirm, this.plan[i]!.m, i) ?? NaN;
      else if (this.plan[i]!.january) this.electricity[i] = 0;
      else this.electricityIndexInto(c.electricity, mi, february, i);
      if (this.plan[i]!.january) {
        this.hasCost[i] = 0;
        this.hasCostBefore[i] = 0;
      } else {
        // each flow written straight into its array, present or not told apart (setCost's figures): a flow
        // answered as a number or null was a heap number per firm, month and measure (issue 13)
        this.hasCost[i] =
          this.flowInto(c.revenue, mi, february, this.costRevenue, i) &
          this.flowInto(c.profit, mi, february, this.costProfit, i);
        this.hasCostBefore[i] =
          this.flowInto(c.revenue, mi - 12, february, this.costBeforeRevenue, i) &
          this.flowInto(c.profit, mi - 12, february, this.costBeforeProfit, i);
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
        row.firm_count_yoy = m === this.open ? null : countYoy(a.reporting, a.reportingBefore);
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

function indexAt(f: AreaFirm, m: Month, i: number): number | null | undefined {
  if (f.electricityColumn) return f.electricityColumn[(f.electricityFrom ?? 0) + i];
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

function addCost(sum: { revenue: number; profit: number; n: number }, r: number, p: number): void {
  sum.revenue += r;
  sum.profit += p;
  sum.n++;
}

/** 每百元营业收入成本 of the firms reporting both revenue and profit in the period. */
function costFrom(sum: { revenue: number; profit: number; n: number }): number | null {
  return sum.n ? costPer100(sum.revenue, sum.profit) : null;
}
