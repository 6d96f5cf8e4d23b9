// 亩均效益 comprehensive evaluation: the rule set is data. Everything a county may change — population,
// indicators, weights, benchmark method, caps, missing-data rules, adjustments, classification, exemptions,
// policies — lives in a RuleSet; `evaluate` only interprets it.

/** The indicators the engine knows how to compute (see indicators.ts for formulas and units). */
export const INDICATOR_KEYS = [
  'taxPerMu', // 亩均税收 = tax / land (万元/亩)
  'valueAddedPerMu', // 亩均增加值 = value added / land (万元/亩)
  'valueAddedPerEnergy', // 单位能耗增加值 = value added / energy (万元/吨标准煤)
  'valueAddedPerEmission', // 单位排放增加值 = value added / (COD + 氨氮 + SO2 + NOx) (万元/吨)
  'laborProductivity', // 全员劳动生产率 = value added / average employees (万元/人)
  'rdRatio', // R&D占比 = R&D / main-business revenue
  'taxPerElectricity', // 单位电耗税收 = tax / electricity (万元/万千瓦时)
  'revenuePerMu', // 亩均营业收入 = revenue / land (万元/亩), for the Jiangshan / Huai'an presets
] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

export const SCALE_GROUPS = ['above', 'below'] as const; // 规上 / 规下
export type ScaleGroup = (typeof SCALE_GROUPS)[number];

export const CLASSES = ['A', 'B', 'C', 'D'] as const;
export type EvaluationClass = (typeof CLASSES)[number];

/** What happens to an indicator whose denominator is missing or 0. */
export type MissingRule = 'zero' | 'groupMeanScore';

export interface IndicatorRule {
  key: IndicatorKey;
  weight: number;
  /** maximum score of the indicator; null = no cap */
  cap: number | null;
  /** denominator missing or 0 (energy, emissions, employees, revenue, electricity) */
  ifDenominatorMissing: MissingRule;
}

export type BenchmarkMethod =
  /** benchmark = factor × arithmetic mean over the group's members that have a value; score = w·v/b */
  | { kind: 'mean'; factor: number }
  /** benchmark = the group's best value (full marks for the best) */
  | { kind: 'max' }
  /** published constants per scale group and indicator (Huangyan score sheets) */
  | { kind: 'fixed'; values: Partial<Record<ScaleGroup, Partial<Record<IndicatorKey, number>>>> }
  /** score = w × (floor + (100 − floor) × (x − min)/(max − min)) / 100 (Jingde) */
  | { kind: 'minmax'; floor: number };

export interface ClassificationRule {
  /**
   * position: p = (members with a strictly higher total) / (group size); the first class whose cut
   * is above p, else D. score: the first class whose threshold the total reaches, else D.
   */
  method: 'position' | 'score';
  /** upper bounds of p for A, B, C (position) or minimum totals for A, B, C (score) */
  cuts: { A: number; B: number; C: number };
}

export interface GroupRules {
  indicators: IndicatorRule[];
  classification: ClassificationRule;
}

/**
 * An adjustment keyed by an enterprise attribute (a number: 1/0 for a flag, a count otherwise).
 * bonus/penalty add/subtract points × attribute (or a fixed amount when perUnit is false);
 * veto caps the class (cannot be better than `worstClass`… i.e. the class becomes at best `classLimit`);
 * protect keeps the class from falling below `classLimit`.
 */
export interface Adjustment {
  id: string;
  label: string;
  kind: 'bonus' | 'penalty' | 'veto' | 'protect';
  attribute: string;
  /** points per unit of the attribute (bonus/penalty) */
  points?: number;
  /** count above which points start (Wenling: the first tenant of a 规上 landlord is free) */
  freeUnits?: number;
  /** points for the first unit when it differs (Wenling 规下 landlord: −10 then −5 each) */
  firstUnitPoints?: number;
  classLimit?: EvaluationClass;
  scales?: ScaleGroup[];
}

export interface Exemption {
  id: string;
  label: string;
  /** not evaluated when the enterprise attribute is non-zero */
  attribute: string;
}

export const POLICY_KINDS = [
  'electricity_surcharge', // 差别化电价 (元/千瓦时 on the year's electricity)
  'water_surcharge', // 差别化水价 (元/吨; water use is not in the platform's inputs)
  'sewage_surcharge', // 差别化污水处理费 (元/吨)
  'land_tax_relief', // 城镇土地使用税减免 (% of the tax on the firm's land)
  'energy_quota', // 用能指标 (% of the year's energy use, + support / − reduction)
  'emission_quota', // 排污指标 (% of the year's emissions)
  'land_supply', // 新增供地 (优先 / 限制)
  'other',
] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** The departments that act on a policy: each gets its ledger (issue 15 item 6). */
export const POLICY_DEPARTMENTS = ['power', 'water', 'tax', 'resources', 'environment', 'economy'] as const;
export type PolicyDepartment = (typeof POLICY_DEPARTMENTS)[number];

export interface PolicyRule {
  id: string;
  class: EvaluationClass;
  kind: PolicyKind;
  /** 元/kWh (元/吨) for surcharges, percent for relief and quotas */
  value: number;
  unit: string;
  label: string;
  /** applies only when the class held for at least this many consecutive years (this one included) */
  consecutiveYears?: number;
  /** 城镇土地使用税 税额标准 (元/平方米·年) for a land-tax relief amount */
  rate?: number;
  /** the department whose ledger lists it; absent = the kind's usual department (policyDepartment) */
  department?: PolicyDepartment;
  /** where the value comes from (a document, or "INFERENCE: …") */
  source?: string;
}

export interface WatchRule {
  /** three-year 亩均税收 (万元/亩) below which a firm is on the 低散乱 watch list */
  threeYearTaxPerMu: Record<ScaleGroup, number>;
  classes: EvaluationClass[];
}

export interface RuleSet {
  name: string;
  description?: string;
  population: {
    /** GB/T 4754 divisions (2 digits) not evaluated: utilities 44/45/46 */
    excludeDivisions: string[];
    /** land must be present and > 0; besides, a group needs at least this much land (亩) */
    minLandMu: Record<ScaleGroup, number>;
  };
  /** benchmarks and ranks are computed within (county, scale) and, when set, industry division */
  groupByIndustryDivision: boolean;
  /** emissions: sum of the four pollutants in tonnes (default) or pollution-equivalent weighted */
  emissionWeights: { cod: number; ammoniaNitrogen: number; so2: number; nox: number };
  benchmark: BenchmarkMethod;
  groups: Record<ScaleGroup, GroupRules>;
  adjustments: Adjustment[];
  exemptions: Exemption[];
  policies: PolicyRule[];
  watch: WatchRule;
  /**
   * How a blank is read (issue 15). 'zero': a blank tax, value added or R&D, and an indicator scored 0
   * because its employees / electricity / revenue are missing or 0, is the value 0 everywhere — in the
   * benchmark mean, the group's minimum and maximum, its mean score — so a blank and a typed 0 give
   * identical results; a numerator of 0 (blank or typed) makes the indicator 0 whatever the denominator.
   * 'excluded' (versions saved before issue 15; also when absent, so they keep their results): such
   * cells score 0 but are left out of the benchmark. Energy and emissions keep their own rule either way
   * (missing → the group's mean score, left out of the benchmark).
   */
  blanks?: 'zero' | 'excluded';
  /** A total of 0 or less is class D: there is nothing to rank it by (issue 15). Absent = ranked. */
  zeroTotalIsD?: boolean;
  /**
   * Optional A+ (Haining uses it; its criteria were not retrieved, so the reading is ours): the top
   * `share` of a group's class-A members by total are A+ (ties share). A+ firms keep class A for every
   * rule and policy; A+ is a mark on top. Absent = no A+.
   */
  aPlus?: { share: number };
}

/** One enterprise's annual inputs and registry facts (units as in the schema: 万元, 亩, tce, 万kWh, 吨). */
export interface EvaluationInput {
  enterpriseId: number;
  regionCode: string;
  scale: ScaleGroup;
  industryCode: string;
  landMu: number | null;
  taxPaid: number | null;
  valueAdded: number | null;
  revenue: number | null;
  mainRevenue: number | null;
  energyTce: number | null;
  electricity: number | null;
  cod: number | null;
  ammoniaNitrogen: number | null;
  so2: number | null;
  nox: number | null;
  rdExpense: number | null;
  avgEmployees: number | null;
  /** adjustment and exemption attributes, e.g. { safetyIncident: 1, extraTenants: 2 } */
  attributes?: Record<string, number>;
}

export type ExclusionCode = 'utility' | 'land_missing' | 'small_land' | `exempt:${string}`;

/** How each indicator cell was obtained. */
export const CELL = {
  notApplicable: 0,
  value: 1,
  /** numerator blank (tax, value added, R&D) → score 0 (value 0 in the benchmark when blanks = 'zero') */
  numeratorBlank: 2,
  /** denominator missing or 0, rule 'zero' → score 0 (value 0 in the benchmark when blanks = 'zero') */
  denominatorZero: 3,
  /** denominator missing or 0, rule 'groupMeanScore' → mean score of the group's members with a value */
  denominatorMean: 4,
} as const;
export type CellStatus = (typeof CELL)[keyof typeof CELL];
