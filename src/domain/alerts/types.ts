// The vocabulary of risk early warning (风险预警): signals, rules with levels 红/橙/黄, alerts.
// Pure data; the rule sets themselves are data files (config/<city>/alert-rules.json).
import type { Month } from '../periods.ts';

export const LEVELS = ['red', 'orange', 'yellow'] as const;
export type Level = (typeof LEVELS)[number];
/** red outranks orange outranks yellow */
export const LEVEL_RANK: Record<Level, number> = { red: 3, orange: 2, yellow: 1 };

/** What a signal is computed for: one firm, one cluster (五大集群), one county. */
export const SUBJECT_KINDS = ['firm', 'cluster', 'county'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const FIRM_SIGNALS = [
  'electricity_index', // I_e = 100·E_t/E_(t−12); 荣枯线 100
  'output_yoy', // 工业总产值 当月同比, %
  'tax_yoy', // 税金 当月同比, %
  'employees_yoy', // 从业人员 同比, %
  'output_seasonal_z', // robust z of output against the firm's own same-calendar-month baseline
  'output_seasonal_dev', // % deviation of output from that baseline's median
  'tax_electricity_gap', // I_e − I_tax when they lie on opposite sides of 100, else 0
  'months_not_reported', // consecutive months without a report, up to this month (null in an open month)
  'mu_class_drop', // 亩均 class steps fallen against the previous year (annual)
  'project_delay_months', // longest delay of the firm's projects, months (projects capability)
] as const;
export type FirmSignal = (typeof FIRM_SIGNALS)[number];

export const AREA_SIGNALS = [
  'diffusion_index', // share of member firms with I_e ≥ 100, %
  'cr1', // largest firm's share of output, %
  'cr5', // five largest firms' share of output, %
  'hhi', // Herfindahl–Hirschman index of output shares, 0–10000
  'firm_count_yoy', // reporting firms, change against the same month last year (null in an open month)
  'cost_per_100_yoy', // 每百元营业收入成本, change against the same month last year (元)
  'investment_growth_gap', // project investment growth minus the city's, percentage points
  'chain_break_nodes', // chain nodes with 0–1 local firms or one firm holding most output
] as const;
export type AreaSignal = (typeof AREA_SIGNALS)[number];

export type SignalKey = FirmSignal | AreaSignal;

/**
 * A signal's value in a month: a number, `null` when the data to compute it are missing (breaks a run of
 * consecutive months), or `undefined` when the signal is deliberately not computed in that month (January
 * of the 1–2月 merged comparisons: skipped, neither counting nor breaking a run).
 */
export type SignalValue = number | null | undefined;
export type SignalRow = Partial<Record<SignalKey, number | null>>;
/** signals per month of one subject */
export type SignalSeries = ReadonlyMap<Month, SignalRow>;

export const COMPARATORS = ['<', '<=', '>', '>=', 'abs>='] as const;
export type Comparator = (typeof COMPARATORS)[number];

export interface Condition {
  signal: SignalKey;
  op: Comparator;
  value: number;
}

export interface Rule {
  /** stable id within the rule set, e.g. 'ie-below-70' */
  id: string;
  subject: SubjectKind;
  /** the signal an alert of this rule is deduplicated on (one open alert per subject and signal) */
  signal: SignalKey;
  level: Level;
  /** every condition must hold … */
  all: Condition[];
  /** … in this many consecutive months (1 = the month alone) */
  consecutive: number;
  nameZh: string;
  nameEn: string;
  /** where the rule or its threshold comes from; `inference: true` when no source states it */
  source: string;
  inference: boolean;
  enabled: boolean;
}

export interface RuleSet {
  /** handling deadline in working days by level */
  deadlines: Record<Level, number>;
  /**
   * When a month is closed for reporting (reporting.ts): the share of the month before's reporting firms it
   * needs without a later month. Absent in a rule set saved before it existed: the default applies.
   */
  reportingClosed?: { share: number; source: string; inference: boolean };
  rules: Rule[];
}

/** One firing of a rule for a subject in a month, with the values (and their months) that fired it. */
export interface Firing {
  ruleId: string;
  signal: SignalKey;
  level: Level;
  month: Month;
  evidence: { month: Month; values: Partial<Record<SignalKey, number>> }[];
}
