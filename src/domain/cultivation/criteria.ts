// 企业培育 entry criteria as rules over a firm's yearly figures (issue 20). Pure: the screening
// service computes the metrics in SQL and asks these functions which criteria a firm meets, which it
// misses and by how much, and which only a person can check (需人工核实).

/** A firm's figures for one year, each null when the data does not have it. */
export interface FirmYearMetrics {
  /** 营业收入, 万元 (sum of the year's months) */
  revenue: number | null;
  /** mean of the last two years' revenue growth, % */
  revenueGrowth2y: number | null;
  /** the lower of the last two years' revenue growth, % ("持续增长" = both > 0) */
  revenueGrowthMin2y: number | null;
  /** R&D expense, 万元 (annual inputs) */
  rdExpense: number | null;
  /** R&D expense ÷ revenue, % */
  rdIntensity: number | null;
  /** 利润总额, 万元 */
  profit: number | null;
  /** profit ÷ revenue, % */
  profitMargin: number | null;
  /** mean of the last two years' profit growth, % */
  profitGrowth2y: number | null;
  employees: number | null;
  /** 出口交货值 ÷ 工业总产值, % */
  exportShare: number | null;
  /** whole years since founding at the end of the year */
  yearsOperating: number | null;
  /** 工业总产值, 亿元 */
  outputYiYuan: number | null;
}
export type Metric = keyof FirmYearMetrics;

export type Op = '>=' | '>' | '<=' | '<';

export interface Criterion {
  key: string;
  labelZh: string;
  labelEn?: string;
  /** absent for a criterion the data cannot test */
  metric?: Metric;
  op?: Op;
  value?: number;
  unit?: string;
  /** false: 需人工核实 (market share, patents …) */
  testable?: boolean;
  note?: string;
}

export interface Library {
  key: string;
  nameZh: string;
  nameEn: string;
  /** the tier code (enterprise_tiers.tier) whose recognition closes the loop; null for a city pool */
  tier: string | null;
  level: string;
  body: string;
  /** the issuing body in English */
  bodyEn?: string;
  source: string;
  /** libraries a firm must already be recognised in (小巨人 ← 专精特新) */
  requires?: string[];
  /** the library one step up the ladder, for recognised firms' "next step" */
  next?: string;
  criteria: Criterion[];
}

export type CriterionOutcome =
  | { key: string; status: 'met'; value: number }
  | {
      key: string;
      status: 'missed';
      value: number;
      /** how far from the threshold, in the criterion's unit (always ≥ 0) */
      gap: number;
    }
  | { key: string; status: 'no_data' }
  | { key: string; status: 'manual' };

export interface LibraryOutcome {
  library: string;
  /** every data-testable criterion is met (and every required library is held) */
  meetsAll: boolean;
  /** number of data-testable criteria missed or without data */
  missing: number;
  /** misses exactly one criterion, by at most NEAR_SHARE of its threshold (差一点: worth a visit) */
  near: boolean;
  outcomes: CriterionOutcome[];
}

/** How close a single miss must be to count as "near" (20 % of the threshold; a judgement, editable here). */
export const NEAR_SHARE = 0.2;

export function isTestable(c: Criterion): boolean {
  return c.testable !== false && c.metric !== undefined && c.op !== undefined && c.value !== undefined;
}

/** Whether value satisfies `value op threshold`. */
export function compare(value: number, op: Op, threshold: number): boolean {
  switch (op) {
    case '>=':
      return value >= threshold;
    case '>':
      return value > threshold;
    case '<=':
      return value <= threshold;
    case '<':
      return value < threshold;
  }
}

/** One criterion against a firm's metrics. A missed criterion reports its gap: |threshold − value|. */
export function checkCriterion(c: Criterion, m: FirmYearMetrics): CriterionOutcome {
  if (!isTestable(c)) return { key: c.key, status: 'manual' };
  const value = m[c.metric!];
  if (value === null || !Number.isFinite(value)) return { key: c.key, status: 'no_data' };
  if (compare(value, c.op!, c.value!)) return { key: c.key, status: 'met', value };
  return { key: c.key, status: 'missed', value, gap: Math.abs(c.value! - value) };
}

/**
 * A firm against a library's entry criteria. `held` lists the libraries (by key) the firm is already
 * recognised in, for libraries that require another first.
 */
export function checkLibrary(
  lib: Library,
  m: FirmYearMetrics,
  held: ReadonlySet<string> = new Set(),
): LibraryOutcome {
  const outcomes = lib.criteria.map((c) => checkCriterion(c, m));
  const missing = outcomes.filter((o) => o.status === 'missed' || o.status === 'no_data').length;
  const prerequisites = (lib.requires ?? []).every((r) => held.has(r));
  let near = false;
  if (missing === 1 && prerequisites) {
    const i = outcomes.findIndex((o) => o.status === 'missed');
    const o = outcomes[i];
    const threshold = lib.criteria[i]?.value;
    near = o?.status === 'missed' && threshold !== undefined && o.gap <= NEAR_SHARE * Math.abs(threshold);
  }
  return { library: lib.key, meetsAll: missing === 0 && prerequisites, missing, near, outcomes };
}

/** Growth in % from `before` to `after`; null without a positive base. */
export function growthPct(after: number | null, before: number | null): number | null {
  if (after === null || before === null || !(before > 0)) return null;
  return ((after - before) / before) * 100;
}

/** Mean of the values, or null when any is missing (a two-year average needs both years). */
export function meanOrNull(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return (values as number[]).reduce((a, b) => a + b, 0) / values.length;
}

/** Share in %, null without a positive denominator. */
export function sharePct(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || !(whole > 0)) return null;
  return (part / whole) * 100;
}

/** The raw yearly sums the metrics derive from (three consecutive years, newest first). */
export interface FirmYearInputs {
  revenue: [number | null, number | null, number | null];
  profit: [number | null, number | null, number | null];
  output: number | null;
  exportValue: number | null;
  rdExpense: number | null;
  employees: number | null;
  foundedYear: number | null;
  year: number;
}

/** The metrics of one firm-year from its yearly sums (formulas documented on FirmYearMetrics). */
export function metricsOf(i: FirmYearInputs): FirmYearMetrics {
  const [r0, r1, r2] = i.revenue;
  const [p0, p1, p2] = i.profit;
  const g1 = growthPct(r0, r1);
  const g2 = growthPct(r1, r2);
  return {
    revenue: r0,
    revenueGrowth2y: meanOrNull([g1, g2]),
    revenueGrowthMin2y: g1 === null || g2 === null ? null : Math.min(g1, g2),
    rdExpense: i.rdExpense,
    rdIntensity: sharePct(i.rdExpense, r0),
    profit: p0,
    profitMargin: sharePct(p0, r0),
    profitGrowth2y: meanOrNull([growthPct(p0, p1), growthPct(p1, p2)]),
    employees: i.employees,
    exportShare: sharePct(i.exportValue, i.output),
    yearsOperating: i.foundedYear === null ? null : i.year - i.foundedYear,
    outputYiYuan: i.output === null ? null : i.output / 10000,
  };
}
