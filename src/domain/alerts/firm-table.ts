// A firm's signals over a span of consecutive months in one pass, and its rules run on them (pure; issue
// 13). The same figures and firings as firmSignals month by month with evaluateSubject (firm-signals.ts,
// engine.ts — the specification; firm-table.test.ts checks the two agree on random histories), without a
// Map of rows per firm: at province scale an import evaluates 220,000 firms over 25 months, and firmSignals'
// string-keyed look-ups and the engine's per-row objects were most of its CPU.
import type { Month } from '../periods.ts';
import { MAX_LOOKBACK } from './engine.ts';
import {
  BASELINE_MIN_YEARS,
  BASELINE_YEARS,
  MODIFIED_Z,
  REPORTING_LOOKBACK,
  type FirmHistory,
} from './firm-signals.ts';
import { monthIndex, shiftMonth } from './months.ts';
import type { FactColumns } from './fact-columns.ts';
import {
  LEVEL_RANK,
  type Comparator,
  type Firing,
  type Rule,
  type RuleSet,
  type SignalKey,
} from './types.ts';

/** The signals a table holds, in firmSignals' order, then the class drop and the project delay. */
export const TABLE_SIGNALS = [
  'months_not_reported',
  'employees_yoy',
  'electricity_index',
  'output_yoy',
  'tax_yoy',
  'tax_electricity_gap',
  'output_seasonal_z',
  'output_seasonal_dev',
  'mu_class_drop',
  'project_delay_months',
] as const satisfies readonly SignalKey[];
const COLUMN = new Map<SignalKey, number>(TABLE_SIGNALS.map((s, i) => [s, i]));
const S = TABLE_SIGNALS.length;
/** signals firmSignals does not compute in January (1–2月 merged): columns 2–7 */
const FLOW_FROM = 2;
const FLOW_TO = 7;

/**
 * One firm's signals at each of `months` (consecutive): `value[s·n + i]` of signal s at month i, NaN for
 * null (data missing); `absent` marks a signal not computed that month (a key absent from firmSignals' row).
 */
export interface FirmTable {
  months: readonly Month[];
  value: Float64Array;
  absent: Uint8Array;
}

/** Facts of the span in arrays by month offset: reused from firm to firm (one firm's at a time). */
class Scratch {
  first = 0;
  size = 0;
  stamp = new Int32Array(0);
  output = new Float64Array(0);
  tax = new Float64Array(0);
  electricity = new Float64Array(0);
  employees = new Float64Array(0);
  current = 0;
  fit(first: number, size: number): void {
    this.first = first;
    if (size > this.size) {
      this.size = size;
      this.stamp = new Int32Array(size);
      this.output = new Float64Array(size);
      this.tax = new Float64Array(size);
      this.electricity = new Float64Array(size);
      this.employees = new Float64Array(size);
      this.current = 0;
    }
    // a new stamp marks every month unreported without clearing the arrays
    if (++this.current === 2 ** 31 - 1) {
      this.stamp.fill(0);
      this.current = 1;
    }
  }
}
const scratch = new Scratch();
const nan = (v: number | null | undefined) => (v == null ? NaN : v);

// module-level helpers on the scratch (closures made per firm cost their allocation and, under tsx, a name)
function has(o: number): boolean {
  return o >= 0 && scratch.stamp[o] === scratch.current;
}
/** periodFlow at offset o (not a January): the month, or January+February at February; NaN when missing */
function flow(col: Float64Array, o: number, february: boolean): number {
  if (!has(o)) return NaN;
  if (!february) return col[o]!;
  return has(o - 1) ? col[o - 1]! + col[o]! : NaN;
}
/** indexOf: 100 × current / base; NaN when either is missing or the base is not positive */
function index(current: number, base: number): number {
  return Number.isNaN(current) || Number.isNaN(base) || base <= 0 ? NaN : (100 * current) / base;
}
const isColumns = (h: FirmHistory | FactColumns): h is FactColumns => !(h instanceof Map);

/**
 * firmSignals(history, m) for every m of `months` (consecutive, ascending), the history given as a Map or
 * as columns, and the class drop and project
 * delay when given (`projectDelay(i)` at months[i]; a signal not given is absent from every month, as the
 * evaluation leaves it off the rows).
 */
export function firmTable(
  history: FirmHistory | FactColumns,
  months: readonly Month[],
  classDrop: number | null = null,
  projectDelay?: (i: number) => number | null,
  /** a table of the same months to fill instead of a new one (a caller that lets it go before the next) */
  reuse?: FirmTable,
  /** the month still open for reporting, if any (firmSignals' `open`) */
  open: Month | null = null,
): FirmTable {
  const n = months.length;
  const start = monthIndex(months[0]!);
  // the earliest month read: the seasonal baseline's January, BASELINE_YEARS back
  const first = start - 12 * BASELINE_YEARS - 1;
  const sc = scratch;
  sc.fit(first, start + n - first);
  const cur = sc.current;
  if (isColumns(history)) {
    // the evaluation's read: straight from the arrays, no object per month
    const { months: at, output, tax, electricity, employees } = history;
    for (let k = 0; k < at.length; k++) {
      const o = at[k]! - first;
      if (o < 0 || o >= sc.size) continue;
      sc.stamp[o] = cur;
      sc.output[o] = nan(output[k]);
      sc.tax[o] = nan(tax[k]);
      sc.electricity[o] = nan(electricity[k]);
      sc.employees[o] = nan(employees[k]);
    }
  } else
    for (const [m, f] of history) {
      const o = monthIndex(m) - first;
      if (o < 0 || o >= sc.size) continue;
      sc.stamp[o] = cur;
      sc.output[o] = nan(f.output);
      sc.tax[o] = nan(f.tax);
      sc.electricity[o] = nan(f.electricity);
      sc.employees[o] = nan(f.employees);
    }
  const fits = reuse !== undefined && reuse.value.length === S * n;
  const value = fits ? reuse.value.fill(0) : new Float64Array(S * n);
  const absent = fits ? reuse.absent.fill(0) : new Uint8Array(S * n);
  const baseline = BASELINE;
  // the latest report at or before the month (offset), carried from month to month
  let latest = -1;
  for (let k = REPORTING_LOOKBACK; k >= 1; k--) if (has(start - first - k)) latest = start - first - k;
  // the open month's offset in the table (-1 when none is open or it lies outside): unknown without a row
  const opened = open === null ? -1 : monthIndex(open) - start;
  for (let i = 0; i < n; i++) {
    const o = start - first + i;
    const calendar = ((start + i) % 12) + 1;
    if (has(o)) latest = o;
    value[i] =
      i === opened && !has(o) ? NaN : latest >= 0 && o - latest <= REPORTING_LOOKBACK ? o - latest : NaN;
    value[n + i] = has(o) && has(o - 12) ? index(sc.employees[o]!, sc.employees[o - 12]!) - 100 : NaN;
    if (calendar === 1) {
      for (let s = FLOW_FROM; s <= FLOW_TO; s++) absent[s * n + i] = 1;
      continue;
    }
    if (!has(o)) {
      // every flow signal compares the month's own report (flow at o is missing): all missing. At province
      // scale most firms' months are unreported (a firm that stopped reporting, issue 13)
      for (let s = FLOW_FROM; s <= FLOW_TO; s++) value[s * n + i] = NaN;
      continue;
    }
    const feb = calendar === 2;
    const ie = index(flow(sc.electricity, o, feb), flow(sc.electricity, o - 12, feb));
    const io = index(flow(sc.output, o, feb), flow(sc.output, o - 12, feb));
    const it = index(flow(sc.tax, o, feb), flow(sc.tax, o - 12, feb));
    value[2 * n + i] = ie;
    value[3 * n + i] = io - 100;
    value[4 * n + i] = it - 100;
    value[5 * n + i] = Number.isNaN(ie) || Number.isNaN(it) ? NaN : (ie - 100) * (it - 100) < 0 ? ie - it : 0;
    const out = flow(sc.output, o, feb);
    let years = 0;
    for (let k = 1; k <= BASELINE_YEARS; k++) {
      const v = flow(sc.output, o - 12 * k, feb);
      if (!Number.isNaN(v)) baseline[years++] = v;
    }
    let z = NaN;
    let dev = NaN;
    if (!Number.isNaN(out) && years >= BASELINE_MIN_YEARS) {
      const med = median(baseline, years);
      for (let k = 0; k < years; k++) baseline[k] = Math.abs(baseline[k]! - med);
      const mad = median(baseline, years);
      if (mad > 0) z = (MODIFIED_Z * (out - med)) / mad;
      if (med > 0) dev = 100 * (out / med - 1);
    }
    value[6 * n + i] = z;
    value[7 * n + i] = dev;
  }
  for (let i = 0; i < n; i++) {
    const c = 8 * n + i;
    if (classDrop == null) absent[c] = 1;
    else value[c] = classDrop;
    const p = 9 * n + i;
    if (!projectDelay) absent[p] = 1;
    else value[p] = nan(projectDelay(i));
  }
  return { months, value, absent };
}

/**
 * The seasonal baseline's values of the month being computed (the first `years` of them), reused: a list
 * emptied by `length = 0` lets its backing store go, and the next push made a new one — at province scale
 * ≈ a million arrays for the collector (a reporting firm's month each, issue 13).
 */
const BASELINE = new Float64Array(BASELINE_YEARS);

/**
 * firm-signals.ts' median of the first `length` values (sorts them in place: the caller's list is its own).
 * The list holds at most BASELINE_YEARS numbers (never NaN): sorted by insertion, the same order as the
 * numeric sort, without a comparator called through Array.prototype.sort — two medians per firm and
 * reported month, ≈ 2 million at province scale (issue 13).
 */
function median(values: Float64Array, length: number): number {
  for (let i = 1; i < length; i++) {
    const v = values[i]!;
    let j = i - 1;
    for (; j >= 0 && values[j]! > v; j--) values[j + 1] = values[j]!;
    values[j + 1] = v;
  }
  const mid = length >> 1;
  return length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

interface CompiledRule {
  rule: Rule;
  conditions: { column: number; op: Comparator; value: number }[];
  /** the columns of the evidence, in the order evidence lists them (the conditions' signals, once each) */
  evidence: { signal: SignalKey; column: number }[];
}
const compiled = new WeakMap<RuleSet, CompiledRule[]>();

/** The set's enabled firm rules, their signals as table columns (compiled once per rule set). */
function firmRules(set: RuleSet): CompiledRule[] {
  let list = compiled.get(set);
  if (list) return list;
  list = [];
  for (const rule of set.rules) {
    if (rule.subject !== 'firm' || !rule.enabled) continue;
    const column = (signal: SignalKey) => {
      const c = COLUMN.get(signal);
      if (c === undefined) throw new Error(`firm rule ${rule.id}: signal ${signal} is not a firm signal`);
      return c;
    };
    const signals = [...new Set(rule.all.map((c) => c.signal))];
    list.push({
      rule,
      conditions: rule.all.map((c) => ({ column: column(c.signal), op: c.op, value: c.value })),
      evidence: signals.map((signal) => ({ signal, column: column(signal) })),
    });
  }
  compiled.set(set, list);
  return list;
}

/** Whether the set's firm rules read only signals a table holds (else the caller keeps the row path). */
export function tableCovers(set: RuleSet): boolean {
  return set.rules.every((r) => r.subject !== 'firm' || r.all.every((c) => COLUMN.has(c.signal)));
}

/**
 * evaluateFirmTable's checks, reused from table to table (none is kept past the call): a typed array of a few
 * hundred bytes per firm has its own backing store outside the heap, costly to make and to collect.
 */
let CHECKS = new Uint8Array(0);

const TRUE = 1;
const FALSE = 0;
const SKIP = 2;

function compare(v: number, op: Comparator, limit: number): boolean {
  switch (op) {
    case '<':
      return v < limit;
    case '<=':
      return v <= limit;
    case '>':
      return v > limit;
    case '>=':
      return v >= limit;
    case 'abs>=':
      return Math.abs(v) >= limit;
  }
}

const round = (v: number) => Math.round(v * 100) / 100;

/**
 * A firing on a table: its evidence (the values of the run's months) is built when first read. The alert
 * writer stages only the firings where an alert's state changes (firing-runs.ts): a firm not reported for a
 * year fires twice a month, 24 firings of which 3 are staged — at province scale millions of evidence
 * objects built for nothing were most of the evaluation's garbage and of its peak memory.
 */
class TableFiring implements Firing {
  readonly ruleId: string;
  readonly signal: SignalKey;
  readonly level: Firing['level'];
  private built?: Firing['evidence'];
  constructor(
    private readonly compiled: CompiledRule,
    readonly month: Month,
    private readonly table: FirmTable,
    /** the run's months as table offsets, newest first */
    private readonly runs: number[],
  ) {
    this.ruleId = compiled.rule.id;
    this.signal = compiled.rule.signal;
    this.level = compiled.rule.level;
  }
  get evidence(): Firing['evidence'] {
    if (this.built) return this.built;
    const { months, value, absent } = this.table;
    const n = months.length;
    const evidence: Firing['evidence'] = [];
    for (let e = this.runs.length - 1; e >= 0; e--) {
      const j = this.runs[e]!;
      const values: Partial<Record<SignalKey, number>> = {};
      for (const s of this.compiled.evidence) {
        const at = s.column * n + j;
        if (!absent[at] && !Number.isNaN(value[at]!)) values[s.signal] = round(value[at]!);
      }
      evidence.push({ month: shiftMonth(months[0]!, j), values });
    }
    return (this.built = evidence);
  }
}

/**
 * evaluateSubject(set, 'firm', series, m) for each m of `evaluated` (months of the table), on the table:
 * the firings by month, months without one left out.
 */
export function evaluateFirmTable(
  set: RuleSet,
  table: FirmTable,
  evaluated: readonly Month[],
): Map<Month, Firing[]> {
  const rules = firmRules(set);
  const { months, value, absent } = table;
  const n = months.length;
  const start = monthIndex(months[0]!);
  // each rule's check in each month, computed once (engine.ts `check`); every entry is written below
  if (CHECKS.length < rules.length * n) CHECKS = new Uint8Array(rules.length * n);
  const checks = CHECKS;
  for (let r = 0; r < rules.length; r++) {
    const conditions = rules[r]!.conditions;
    for (let i = 0; i < n; i++) {
      let state = TRUE;
      for (const c of conditions) {
        const at = c.column * n + i;
        if (absent[at]) {
          state = SKIP;
          continue;
        }
        const v = value[at]!;
        if (Number.isNaN(v) || !compare(v, c.op, c.value)) {
          state = FALSE;
          break;
        }
      }
      checks[r * n + i] = state;
    }
  }
  const out = new Map<Month, Firing[]>();
  const runs: number[] = [];
  for (const month of evaluated) {
    const i = monthIndex(month) - start;
    if (i < 0 || i >= n) continue;
    let best: Map<SignalKey, Firing> | undefined;
    for (let r = 0; r < rules.length; r++) {
      const row = r * n;
      if (checks[row + i] !== TRUE) continue;
      const { rule } = rules[r]!;
      // engine.ts `fire`: the month and the consecutive−1 months before it that hold (skipped ones passed)
      runs.length = 0;
      runs.push(i);
      let broken = false;
      for (let k = 1; runs.length < rule.consecutive && k <= MAX_LOOKBACK; k++) {
        const j = i - k;
        const state = j < 0 ? FALSE : checks[row + j];
        if (state === FALSE) {
          broken = true;
          break;
        }
        if (state === TRUE) runs.push(j);
      }
      if (broken || runs.length < rule.consecutive) continue;
      const had = best?.get(rule.signal);
      if (had && LEVEL_RANK[rule.level] <= LEVEL_RANK[had.level]) continue;
      best ??= new Map();
      best.set(rule.signal, new TableFiring(rules[r]!, month, table, runs.slice()));
    }
    if (best) out.set(month, [...best.values()]);
  }
  return out;
}
