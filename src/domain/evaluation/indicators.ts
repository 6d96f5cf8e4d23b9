// The indicator catalogue: formula, unit and labels of each indicator the engine can compute.
import type { EvaluationInput, IndicatorKey, RuleSet } from './types.ts';

export interface IndicatorDef {
  key: IndicatorKey;
  zh: string;
  en: string;
  unit: string;
  /** the input a "what would move me up" lever changes to raise this indicator */
  numeratorField: 'taxPaid' | 'valueAdded' | 'rdExpense' | 'revenue';
  numeratorZh: string;
  denominatorZh: string;
  /** the denominator; null when missing; a value ≤ 0 also counts as missing */
  denominator(input: EvaluationInput, ruleSet: RuleSet): number | null;
}

const land = (i: EvaluationInput) => i.landMu;

/** Sum of the four main pollutants (tonnes, or weighted); null when all four are blank. */
export function emissionTotal(i: EvaluationInput, ruleSet: RuleSet): number | null {
  const w = ruleSet.emissionWeights;
  if (i.cod == null && i.ammoniaNitrogen == null && i.so2 == null && i.nox == null) return null;
  return (
    (i.cod ?? 0) * w.cod +
    (i.ammoniaNitrogen ?? 0) * w.ammoniaNitrogen +
    (i.so2 ?? 0) * w.so2 +
    (i.nox ?? 0) * w.nox
  );
}

export const INDICATORS: Record<IndicatorKey, IndicatorDef> = {
  taxPerMu: {
    key: 'taxPerMu',
    zh: '亩均税收',
    en: 'Tax per mu',
    unit: '万元/亩',
    numeratorField: 'taxPaid',
    numeratorZh: '实缴税金',
    denominatorZh: '用地面积',
    denominator: land,
  },
  valueAddedPerMu: {
    key: 'valueAddedPerMu',
    zh: '亩均增加值',
    en: 'Value added per mu',
    unit: '万元/亩',
    numeratorField: 'valueAdded',
    numeratorZh: '工业增加值',
    denominatorZh: '用地面积',
    denominator: land,
  },
  valueAddedPerEnergy: {
    key: 'valueAddedPerEnergy',
    zh: '单位能耗增加值',
    en: 'Value added per tce',
    unit: '万元/吨标准煤',
    numeratorField: 'valueAdded',
    numeratorZh: '工业增加值',
    denominatorZh: '综合能耗',
    denominator: (i) => i.energyTce,
  },
  valueAddedPerEmission: {
    key: 'valueAddedPerEmission',
    zh: '单位排放增加值',
    en: 'Value added per tonne of emissions',
    unit: '万元/吨',
    numeratorField: 'valueAdded',
    numeratorZh: '工业增加值',
    denominatorZh: '主要污染物排放量',
    denominator: emissionTotal,
  },
  laborProductivity: {
    key: 'laborProductivity',
    zh: '全员劳动生产率',
    en: 'Labour productivity',
    unit: '万元/人',
    numeratorField: 'valueAdded',
    numeratorZh: '工业增加值',
    denominatorZh: '年平均职工人数',
    denominator: (i) => i.avgEmployees,
  },
  rdRatio: {
    key: 'rdRatio',
    zh: 'R&D经费支出占主营业务收入之比',
    en: 'R&D share of main-business revenue',
    unit: '',
    numeratorField: 'rdExpense',
    numeratorZh: 'R&D经费支出',
    denominatorZh: '主营业务收入',
    denominator: (i) => i.mainRevenue,
  },
  taxPerElectricity: {
    key: 'taxPerElectricity',
    zh: '单位电耗税收',
    en: 'Tax per 10⁴ kWh',
    unit: '万元/万千瓦时',
    numeratorField: 'taxPaid',
    numeratorZh: '实缴税金',
    denominatorZh: '用电量',
    denominator: (i) => i.electricity,
  },
  revenuePerMu: {
    key: 'revenuePerMu',
    zh: '亩均营业收入',
    en: 'Revenue per mu',
    unit: '万元/亩',
    numeratorField: 'revenue',
    numeratorZh: '营业收入',
    denominatorZh: '用地面积',
    denominator: land,
  },
};

export function numeratorOf(def: IndicatorDef, i: EvaluationInput): number | null {
  return i[def.numeratorField];
}

/** Short column label for exports: 亩均税收, 单位能耗增加值, …, R&D占比. */
export function indicatorShortZh(key: IndicatorKey): string {
  return key === 'rdRatio' ? 'R&D占比' : INDICATORS[key].zh;
}
