// The default rule set (issue 5, and its version 2 of issue 15; users' scripts depend on it) and the presets of the reference
// notes (Huangyan weights and constants, Wenling quotas and rental deductions, min–max and 2×-average
// benchmark variants, Changle veto/protection hooks).
import type { GroupRules, IndicatorRule, RuleSet } from './types.ts';

const ind = (
  key: IndicatorRule['key'],
  weight: number,
  ifDenominatorMissing: IndicatorRule['ifDenominatorMissing'] = 'zero',
): IndicatorRule => ({
  key,
  weight,
  cap: null,
  ifDenominatorMissing,
});

const ABOVE: GroupRules = {
  indicators: [
    ind('taxPerMu', 30),
    ind('valueAddedPerMu', 20),
    ind('valueAddedPerEnergy', 20, 'groupMeanScore'),
    ind('valueAddedPerEmission', 10, 'groupMeanScore'),
    ind('laborProductivity', 10),
    ind('rdRatio', 10),
  ],
  classification: { method: 'position', cuts: { A: 0.2, B: 0.8, C: 0.95 } },
};

const BELOW: GroupRules = {
  indicators: [ind('taxPerMu', 50), ind('taxPerElectricity', 50)],
  classification: { method: 'position', cuts: { A: 0.05, B: 0.75, C: 0.95 } },
};

/**
 * The default rule set of issue 5 (version 1 of `default`). Frozen: runs made with it keep its results.
 * The presets below are built on it too (they are version 1 of their own codes).
 */
export const DEFAULT_RULE_SET_V1: RuleSet = {
  name: '默认规则（黄岩权重 + 温岭比例，基准值为组内均值）',
  description:
    'Population: enterprises with annual inputs for the year, except divisions 44/45/46, land missing or ≤ 0, 规下 with land < 3 亩. Groups (county, 规上|规下). Benchmark = group mean; score = max(0, w·v/b); no cap.',
  population: { excludeDivisions: ['44', '45', '46'], minLandMu: { above: 0, below: 3 } },
  groupByIndustryDivision: false,
  emissionWeights: { cod: 1, ammoniaNitrogen: 1, so2: 1, nox: 1 },
  benchmark: { kind: 'mean', factor: 1 },
  groups: { above: ABOVE, below: BELOW },
  adjustments: [],
  exemptions: [],
  policies: [
    {
      id: 'd-electricity',
      class: 'D',
      kind: 'electricity_surcharge',
      value: 0.3,
      unit: '元/千瓦时',
      label: 'D类企业电价加价',
    },
    {
      id: 'd-electricity-3y',
      class: 'D',
      kind: 'electricity_surcharge',
      value: 0.4,
      unit: '元/千瓦时',
      label: '连续三年D类企业电价加价',
      consecutiveYears: 3,
    },
    {
      id: 'a-land-tax',
      class: 'A',
      kind: 'land_tax_relief',
      value: 100,
      unit: '%',
      label: 'A类企业城镇土地使用税减免',
    },
    {
      id: 'b-land-tax',
      class: 'B',
      kind: 'land_tax_relief',
      value: 80,
      unit: '%',
      label: 'B类企业城镇土地使用税减免',
    },
  ],
  watch: { threeYearTaxPerMu: { above: 10, below: 3 }, classes: ['D'] },
};

/** Why version 2 of `default` exists (also how seeding recognises it in a database). */
export const DEFAULT_V2_REASON =
  'issue 15: a blank counts as 0 (in the benchmark too), a total of 0 is class D, adjustment flags (veto, protection)';

/**
 * Version 2 of `default` (issue 15): the same indicators, weights, benchmark, quotas and policies, with
 * a blank read as 0 everywhere, a total of 0 in class D, and the adjustment flags the bureau records
 * (src/domain/evaluation/flags.ts): incidents and a missed energy-saving task keep a firm out of A and B;
 * a new firm, last year's 小升规 and a major project under construction stay out of D except by veto.
 * No bonus: 高新技术企业 / 专精特新 earn points only in a rule set that gives them.
 */
export const DEFAULT_RULE_SET: RuleSet = {
  ...structuredClone(DEFAULT_RULE_SET_V1),
  name: '默认规则 第2版（空缺按0计、总分为0列D类、调整标记）',
  description:
    DEFAULT_RULE_SET_V1.description +
    ' Version 2 (issue 15): a blank tax, value added, R&D, employees or electricity is 0 everywhere, group benchmark means included; a total of 0 is class D; veto (not A or B) for 安全生产事故, 环境事故, 未完成节能减排任务; protection (not D except by veto) for 新设立企业, 上年度小升规, 重大项目建设期.',
  blanks: 'zero',
  zeroTotalIsD: true,
  adjustments: [
    {
      id: 'veto-safety',
      label: '发生安全生产事故（不得列入A、B类）',
      kind: 'veto',
      attribute: 'safetyIncident',
      classLimit: 'C',
    },
    {
      id: 'veto-environment',
      label: '发生环境事故（不得列入A、B类）',
      kind: 'veto',
      attribute: 'environmentIncident',
      classLimit: 'C',
    },
    {
      id: 'veto-energy-task',
      label: '未完成节能减排任务（不得列入A、B类）',
      kind: 'veto',
      attribute: 'missedEnergyTarget',
      classLimit: 'C',
    },
    {
      id: 'protect-new',
      label: '新设立企业（除一票否决外不列入D类）',
      kind: 'protect',
      attribute: 'newFirm',
      classLimit: 'C',
    },
    {
      id: 'protect-upgraded',
      label: '上年度小升规企业（除一票否决外不列入D类）',
      kind: 'protect',
      attribute: 'upgradedToAbove',
      classLimit: 'C',
    },
    {
      id: 'protect-major-project',
      label: '重大项目建设期企业（除一票否决外不列入D类）',
      kind: 'protect',
      attribute: 'majorProject',
      classLimit: 'C',
    },
  ],
};

/** Why version 3 of `default` exists (issue 15 items 6 and 9). */
export const DEFAULT_V3_REASON =
  'issue 15: the full differentiated-policy table (water, sewage, land tax with a rate, energy and emission quotas, land supply) with departments and sources; A+ available as an option (off)';

const INFERRED = 'INFERENCE: the sources name the lever but not its amount; a county sets its own';

/**
 * Version 3 of `default`: version 2's classes exactly (same indicators, rules and flags), with the policy
 * table the bureau's departments act on (docs: ../shared/reference/mujun-evaluation.md §5, §8.6). Amounts
 * the sources give are cited; the others are marked as inferences to be set by each county.
 */
export const DEFAULT_RULE_SET_V3: RuleSet = {
  ...structuredClone(DEFAULT_RULE_SET),
  name: '默认规则 第3版（差别化政策清单与部门台账）',
  description:
    DEFAULT_RULE_SET.description +
    ' Version 3 (issue 15): the same classes as version 2; the differentiated policies per class with amounts, units, departments and sources; an optional A+ (off).',
  policies: [
    ...DEFAULT_RULE_SET.policies
      .filter((p) => p.kind !== 'land_tax_relief')
      .map((p) => ({
        ...p,
        source: '海宁市2025年修订稿（嘉兴县级）：D类 +0.3 元/千瓦时，连续三年D类 +0.4 元/千瓦时',
      })),
    ...DEFAULT_RULE_SET.policies
      .filter((p) => p.kind === 'land_tax_relief')
      .map((p) => ({
        ...p,
        rate: 6,
        source:
          '浙政办发〔2019〕62号：A类减免100%、B类减免80%（执行至2021-12-31，作为可配置表保留）；税额标准6元/平方米为INFERENCE（各地按土地等级确定）',
      })),
    {
      id: 'd-water',
      class: 'D',
      kind: 'water_surcharge',
      value: 1,
      unit: '元/吨',
      label: 'D类企业差别化水价加价',
      source: `2018年浙江省指导意见允许实施用水差别化价格；莲都平台模型列有"征收差别化水价"。${INFERRED}`,
    },
    {
      id: 'd-sewage',
      class: 'D',
      kind: 'sewage_surcharge',
      value: 1,
      unit: '元/吨',
      label: 'D类企业差别化污水处理费',
      source: `莲都平台模型列有"征收差别化排污费"。${INFERRED}`,
    },
    {
      id: 'c-energy',
      class: 'C',
      kind: 'energy_quota',
      value: -5,
      unit: '%',
      label: 'C类企业削减用能指标',
      source: `海宁市2025年修订稿：C、D类企业核减年度用能指标（比例未公布）。${INFERRED}`,
    },
    {
      id: 'd-energy',
      class: 'D',
      kind: 'energy_quota',
      value: -10,
      unit: '%',
      label: 'D类企业削减用能指标',
      source: `海宁市2025年修订稿：C、D类企业核减年度用能指标（比例未公布）。${INFERRED}`,
    },
    {
      id: 'a-energy',
      class: 'A',
      kind: 'energy_quota',
      value: 5,
      unit: '%',
      label: 'A类企业支持用能指标',
      source: `莲都平台模型：A、B类"支持用能指标(吨标煤)"。${INFERRED}`,
    },
    {
      id: 'd-emission',
      class: 'D',
      kind: 'emission_quota',
      value: -10,
      unit: '%',
      label: 'D类企业削减排污指标',
      source: `莲都平台模型："削减排污指标"。${INFERRED}`,
    },
    {
      id: 'a-land',
      class: 'A',
      kind: 'land_supply',
      value: 0,
      unit: '—',
      label: 'A类企业新增供地优先保障',
      source: '莲都平台模型："新增供应土地(亩)"；绍兴：第一档企业新项目用地优先',
    },
    {
      id: 'd-land',
      class: 'D',
      kind: 'land_supply',
      value: 0,
      unit: '—',
      label: 'D类企业严格限制新增供地',
      source: '"A类优先保障，B类积极支持，C类相对控制，D类严格限制"（济宁，非浙江，作为原则参考）',
    },
  ],
};

const clone = (r: RuleSet): RuleSet => structuredClone(r);

function huangyan(): RuleSet {
  const r = clone(DEFAULT_RULE_SET_V1);
  r.name = '黄岩2022年度评分表（公布基准值）';
  r.description =
    'Huangyan 黄岩 score sheet for 2022 data: published constant benchmarks, weights 30/20/20/10/10/10 and 50/50.';
  r.benchmark = {
    kind: 'fixed',
    values: {
      above: {
        taxPerMu: 24.097,
        valueAddedPerMu: 136.16,
        valueAddedPerEnergy: 2.694,
        valueAddedPerEmission: 4929.81,
        laborProductivity: 18.14,
        rdRatio: 0.0302,
      },
      below: { taxPerMu: 11.5932, taxPerElectricity: 0.2352 },
    },
  };
  return r;
}

function wenling(): RuleSet {
  const r = clone(DEFAULT_RULE_SET_V1);
  r.name = '温岭2022（比例 + 出租扣分）';
  r.description =
    'Wenling 温岭 2022: quotas 20/60/15/5 (规上) and 5/70/20/5 (规下); rental deductions without cap.';
  r.adjustments = [
    {
      id: 'wl-above-tenants',
      label: '规上企业出租给多家规下企业（第二家起每家扣5分）',
      kind: 'penalty',
      attribute: 'tenants',
      points: 5,
      freeUnits: 1,
      scales: ['above'],
    },
    {
      id: 'wl-below-tenants',
      label: '规下企业出租给规下企业（首家扣10分，其后每家扣5分）',
      kind: 'penalty',
      attribute: 'tenants',
      firstUnitPoints: 10,
      points: 5,
      scales: ['below'],
    },
  ];
  return r;
}

function minmax(): RuleSet {
  const r = clone(DEFAULT_RULE_SET_V1);
  r.name = '极差法（下限20分）';
  r.description = 'Min–max: 单项得分 = 权重×[20+80×(x−min)/(max−min)]/100 (Jingde 旌德 variant).';
  r.benchmark = { kind: 'minmax', floor: 20 };
  return r;
}

function twiceMean(): RuleSet {
  const r = clone(DEFAULT_RULE_SET_V1);
  r.name = '基准值为组内均值的2倍';
  r.description = "Huai'an-style benchmark = 2 × group mean (of the evaluated year, not the previous one).";
  r.benchmark = { kind: 'mean', factor: 2 };
  return r;
}

function changle(): RuleSet {
  const r = clone(DEFAULT_RULE_SET_V1);
  r.name = '昌乐比例 + 一票否决与保护';
  r.description =
    'Changle quotas 20/55/20/5 for both groups; an incident caps the class at C; new firms are kept out of D.';
  r.groups.above.classification = { method: 'position', cuts: { A: 0.2, B: 0.75, C: 0.95 } };
  r.groups.below.classification = { method: 'position', cuts: { A: 0.2, B: 0.75, C: 0.95 } };
  r.adjustments = [
    {
      id: 'veto-incident',
      label: '发生安全生产、重大环境责任事故（不得列入A、B类）',
      kind: 'veto',
      attribute: 'incident',
      classLimit: 'C',
    },
    {
      id: 'protect-new',
      label: '新设立企业、上年度小升规企业（不列入D类）',
      kind: 'protect',
      attribute: 'newFirm',
      classLimit: 'C',
    },
  ];
  return r;
}

export interface Preset {
  code: string;
  /** the current version */
  ruleSet: RuleSet;
  /** earlier versions, oldest first (version 1 …); seeded before the current one */
  earlier?: RuleSet[];
  /** why each earlier version was made ('preset' where absent), same order as `earlier` */
  earlierReasons?: (string | undefined)[];
  /** why the current version was made (seeding looks for it); 'preset' for a version 1 */
  reason?: string;
}

export const PRESETS: Preset[] = [
  {
    code: 'default',
    ruleSet: DEFAULT_RULE_SET_V3,
    earlier: [DEFAULT_RULE_SET_V1, DEFAULT_RULE_SET],
    earlierReasons: [undefined, DEFAULT_V2_REASON],
    reason: DEFAULT_V3_REASON,
  },
  { code: 'huangyan-2022', ruleSet: huangyan() },
  { code: 'wenling-2022', ruleSet: wenling() },
  { code: 'minmax-20', ruleSet: minmax() },
  { code: 'twice-mean', ruleSet: twiceMean() },
  { code: 'changle', ruleSet: changle() },
];

/**
 * The presets' names in English (the UI's second language), by their Chinese name: a rule set keeps one
 * name (edited versions are named by their author), so the web looks a preset's name up here and shows
 * an edited name as written.
 */
export const PRESET_NAMES_EN: Readonly<Record<string, string>> = {
  [DEFAULT_RULE_SET_V1.name]: 'Default rules (Huangyan weights + Wenling shares, benchmark = group mean)',
  [DEFAULT_RULE_SET.name]: 'Default rules v2 (missing counts as 0, total 0 is class D, adjustment flags)',
  [DEFAULT_RULE_SET_V3.name]: 'Default rules v3 (differentiated policy list and department ledgers)',
  [huangyan().name]: 'Huangyan 2022 score sheet (published benchmarks)',
  [wenling().name]: 'Wenling 2022 (shares + deduction for rented-out land)',
  [minmax().name]: 'Min–max method (floor 20 points)',
  [twiceMean().name]: 'Benchmark = twice the group mean',
  [changle().name]: 'Changle shares + veto and protection',
};
