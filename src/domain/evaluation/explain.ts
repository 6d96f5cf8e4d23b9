// "Why am I class C?": each indicator's value, benchmark, weight, score and rank in the group, the rules
// that applied, and what would move the enterprise up one class (more tax or value added, less land or
// energy), found by re-evaluating its group with one input changed.
import {
  adjustmentAmount,
  classLimitsOf,
  evaluate,
  exclusionLabel,
  classOf,
  totalKey,
  type Evaluation,
} from './evaluate.ts';
import { INDICATORS } from './indicators.ts';
import {
  CELL,
  CLASSES,
  type CellStatus,
  type EvaluationClass,
  type EvaluationInput,
  type IndicatorKey,
  type RuleSet,
} from './types.ts';

export interface AppliedRule {
  code: string;
  zh: string;
  en: string;
}

export interface IndicatorExplanation {
  key: IndicatorKey;
  zh: string;
  unit: string;
  value: number | null;
  benchmark: number | null;
  weight: number;
  score: number;
  /** 1 + members of the group with a strictly higher score on this indicator */
  rank: number;
  rule: AppliedRule;
}

export type Lever = 'taxPaid' | 'valueAdded' | 'landMu' | 'energyTce';

export interface MoveUpOption {
  lever: Lever;
  zh: string;
  en: string;
  current: number | null;
  /** the value the input would need (at least, for tax/value added; at most, for land/energy) */
  required: number;
  /** required − current (positive: more; negative: less) */
  change: number;
}

export interface Explanation {
  enterpriseId: number;
  evaluated: boolean;
  exclusion: { code: string; zh: string; en: string } | null;
  scale: 'above' | 'below';
  groupKey: string | null;
  groupSize: number;
  indicators: IndicatorExplanation[];
  /** every adjustment whose attribute the enterprise has, and what it did to the result */
  adjustments: AdjustmentEffect[];
  /** a class rule beside the position (a total of 0 → D); null when the position decided */
  classRule: AppliedRule | null;
  adjustmentPoints: number;
  total: number | null;
  rank: number | null;
  position: number | null;
  class: EvaluationClass | null;
  classification: { method: string; cuts: { A: number; B: number; C: number } };
  /** the class one step up, or null for A / not evaluated */
  nextClass: EvaluationClass | null;
  moveUp: MoveUpOption[];
}

export interface AdjustmentEffect {
  id: string;
  label: string;
  kind: string;
  attribute: string;
  /** points added (+) or taken (−) by a bonus or penalty; 0 for veto/protect */
  points: number;
  /** class before and after a veto or protection; null for bonus/penalty */
  classBefore: EvaluationClass | null;
  classAfter: EvaluationClass | null;
  /** whether it changed the total or the class */
  changed: boolean;
}

function cellRule(
  status: CellStatus,
  key: IndicatorKey,
  benchmark: number | null,
  value: number | null,
  capped: boolean,
  blanksZero: boolean,
): AppliedRule {
  const def = INDICATORS[key];
  switch (status) {
    case CELL.numeratorBlank:
      return blanksZero
        ? {
            code: 'numerator_blank_zero',
            zh: `${def.numeratorZh}空缺，按0计（计入组内基准值），该项得0分`,
            en: `${def.numeratorZh} blank: counted as 0 (in the group benchmark too), score 0`,
          }
        : {
            code: 'numerator_blank',
            zh: `${def.numeratorZh}空缺，该项得0分`,
            en: `${def.numeratorZh} blank: score 0`,
          };
    case CELL.denominatorZero:
      return blanksZero
        ? {
            code: 'denominator_zero_counted',
            zh: `${def.denominatorZh}缺失或为0，该项按0计（计入组内基准值），得0分`,
            en: `${def.denominatorZh} missing or 0: the indicator counts as 0 (in the group benchmark too), score 0`,
          }
        : {
            code: 'denominator_zero',
            zh: `${def.denominatorZh}缺失或为0，该项得0分`,
            en: `${def.denominatorZh} missing or 0: score 0`,
          };
    case CELL.denominatorMean:
      return {
        code: 'denominator_group_mean',
        zh: `${def.denominatorZh}缺失或为0，按组内该项平均得分赋分`,
        en: `${def.denominatorZh} missing or 0: the group's mean score of this indicator`,
      };
    default:
      if (benchmark == null || !(benchmark > 0))
        return {
          code: 'benchmark_not_positive',
          zh: '基准值不大于0，该项得0分',
          en: 'Benchmark ≤ 0: score 0',
        };
      if (value != null && value < 0)
        return { code: 'floor_zero', zh: '指标值为负，该项得0分', en: 'Negative value: score 0 (floor)' };
      if (capped) return { code: 'cap', zh: '得分达到上限', en: 'Score capped' };
      return { code: 'ratio', zh: '得分 = 权重 × 指标值 ÷ 基准值', en: 'score = weight × value ÷ benchmark' };
  }
}

/** Class of `input` (replacing the member at index `at`) when its group is re-evaluated; null if excluded. */
function classWith(
  ruleSet: RuleSet,
  members: EvaluationInput[],
  at: number,
  input: EvaluationInput,
): number | null {
  const saved = members[at]!;
  members[at] = input;
  const ev = evaluate(ruleSet, members);
  members[at] = saved;
  const c = ev.classes[at]!;
  return c === 255 ? null : c;
}

function searchIncrease(test: (v: number) => boolean, base: number): number | null {
  let step = Math.max(Math.abs(base), 1);
  let lo = 0;
  let hi = -1;
  for (let k = 0; k < 40; k++) {
    if (test(base + step)) {
      hi = step;
      break;
    }
    lo = step;
    step *= 2;
  }
  if (hi < 0) return null;
  for (let k = 0; k < 60 && hi - lo > 1e-9 * Math.max(1, hi); k++) {
    const mid = (lo + hi) / 2;
    if (test(base + mid)) hi = mid;
    else lo = mid;
  }
  return base + hi;
}

function searchDecrease(test: (v: number) => boolean, base: number, floor: number): number | null {
  // the smallest allowed value must succeed, else no amount of reduction helps
  if (!(base > floor) || !test(floor)) return null;
  let ok = floor;
  let bad = base;
  for (let k = 0; k < 60 && bad - ok > 1e-9 * Math.max(1, base); k++) {
    const mid = (ok + bad) / 2;
    if (test(mid)) ok = mid;
    else bad = mid;
  }
  return ok;
}

export function moveUpOptions(ev: Evaluation, i: number): MoveUpOption[] {
  const g = ev.groupOf[i]!;
  const cls = ev.classes[i]!;
  if (g < 0 || cls === 0 || cls === 255) return [];
  const ruleSet = ev.ruleSet;
  const group = ev.groups[g]!;
  const members = group.members.map((m) => ev.inputs[m]!);
  const at = group.members.indexOf(i);
  const input = ev.inputs[i]!;
  const keys = new Set(ruleSet.groups[group.scale].indicators.map((r) => r.key));
  const better = (changed: EvaluationInput) => {
    const c = classWith(ruleSet, members, at, changed);
    return c != null && c < cls;
  };
  const out: MoveUpOption[] = [];
  const usesTax = keys.has('taxPerMu') || keys.has('taxPerElectricity');
  const usesVa = [
    'valueAddedPerMu',
    'valueAddedPerEnergy',
    'valueAddedPerEmission',
    'laborProductivity',
  ].some((k) => keys.has(k as IndicatorKey));
  if (usesTax) {
    const req = searchIncrease((v) => better({ ...input, taxPaid: v }), input.taxPaid ?? 0);
    if (req != null)
      out.push({
        lever: 'taxPaid',
        zh: '实缴税金增加',
        en: 'more tax paid',
        current: input.taxPaid,
        required: req,
        change: req - (input.taxPaid ?? 0),
      });
  }
  if (usesVa) {
    const req = searchIncrease((v) => better({ ...input, valueAdded: v }), input.valueAdded ?? 0);
    if (req != null)
      out.push({
        lever: 'valueAdded',
        zh: '工业增加值增加',
        en: 'more value added',
        current: input.valueAdded,
        required: req,
        change: req - (input.valueAdded ?? 0),
      });
  }
  if (
    input.landMu != null &&
    (keys.has('taxPerMu') || keys.has('valueAddedPerMu') || keys.has('revenuePerMu'))
  ) {
    const floor = Math.max(ruleSet.population.minLandMu[input.scale] ?? 0, input.landMu * 1e-3);
    const req = searchDecrease((v) => better({ ...input, landMu: v }), input.landMu, floor);
    if (req != null)
      out.push({
        lever: 'landMu',
        zh: '用地面积减少',
        en: 'less land',
        current: input.landMu,
        required: req,
        change: req - input.landMu,
      });
  }
  if (keys.has('valueAddedPerEnergy') && input.energyTce != null && input.energyTce > 0) {
    const req = searchDecrease(
      (v) => better({ ...input, energyTce: v }),
      input.energyTce,
      input.energyTce * 1e-3,
    );
    if (req != null)
      out.push({
        lever: 'energyTce',
        zh: '综合能耗减少',
        en: 'less energy',
        current: input.energyTce,
        required: req,
        change: req - input.energyTce,
      });
  }
  return out;
}

/**
 * What each adjustment the enterprise's attributes trigger did: the points of a bonus or penalty, the
 * class a veto or protection moved it from and to (each judged alone against the class before any
 * limit, with the rule that a veto lifts protection).
 */
export function adjustmentEffects(ev: Evaluation, i: number): AdjustmentEffect[] {
  const input = ev.inputs[i]!;
  const ruleSet = ev.ruleSet;
  const before = ev.rankClasses[i]!;
  const after = ev.classes[i]!;
  const limits = classLimitsOf(ruleSet, input);
  const vetoed = limits.some((a) => a.kind === 'veto');
  const out: AdjustmentEffect[] = [];
  for (const a of ruleSet.adjustments) {
    if (a.scales && !a.scales.includes(input.scale)) continue;
    if (!((input.attributes?.[a.attribute] ?? 0) > 0)) continue;
    if (a.kind === 'bonus' || a.kind === 'penalty') {
      const points = adjustmentAmount(a, input);
      out.push({
        id: a.id,
        label: a.label,
        kind: a.kind,
        attribute: a.attribute,
        points,
        classBefore: null,
        classAfter: null,
        changed: points !== 0,
      });
      continue;
    }
    const limit = a.classLimit ? CLASSES.indexOf(a.classLimit) : -1;
    const bites =
      before !== 255 && limit >= 0 && (a.kind === 'veto' ? before < limit : !vetoed && before > limit);
    out.push({
      id: a.id,
      label: a.label,
      kind: a.kind,
      attribute: a.attribute,
      points: 0,
      classBefore: before === 255 ? null : CLASSES[before]!,
      classAfter: after === 255 ? null : CLASSES[after]!,
      changed: bites,
    });
  }
  return out;
}

export function explain(ev: Evaluation, i: number, options: { moveUp?: boolean } = {}): Explanation {
  const input = ev.inputs[i]!;
  const g = ev.groupOf[i]!;
  const ruleSet = ev.ruleSet;
  const classification = ruleSet.groups[input.scale].classification;
  if (g < 0) {
    const code = ev.exclusion[i]!;
    return {
      enterpriseId: input.enterpriseId,
      evaluated: false,
      exclusion: { code, ...exclusionLabel(code, ruleSet) },
      scale: input.scale,
      groupKey: null,
      groupSize: 0,
      indicators: [],
      adjustments: [],
      classRule: null,
      adjustmentPoints: 0,
      total: null,
      rank: null,
      position: null,
      class: null,
      classification,
      nextClass: null,
      moveUp: [],
    };
  }
  const group = ev.groups[g]!;
  const K = ev.indicatorKeys.length;
  const rules = ruleSet.groups[group.scale].indicators;
  const indicators: IndicatorExplanation[] = rules.map((rule, r) => {
    const c = ev.indicatorKeys.indexOf(rule.key);
    const score = ev.scores[i * K + c]!;
    const key = totalKey(score);
    let rank = 1;
    for (const m of group.members) if (totalKey(ev.scores[m * K + c]!) > key) rank++;
    const v = ev.values[i * K + c]!;
    const value = Number.isNaN(v) ? null : v;
    const b = group.benchmark[r]!;
    const benchmark = Number.isNaN(b) ? null : b;
    const status = ev.cells[i * K + c] as CellStatus;
    const capped = rule.cap != null && score >= rule.cap;
    const applied =
      ruleSet.benchmark.kind === 'minmax' && status === CELL.value
        ? {
            code: 'minmax',
            zh: `得分 = 权重 × [${ruleSet.benchmark.floor} + ${100 - ruleSet.benchmark.floor} × (x − 最小值)/(最大值 − 最小值)] / 100`,
            en: 'min–max score',
          }
        : cellRule(status, rule.key, benchmark, value, capped, ruleSet.blanks === 'zero');
    return {
      key: rule.key,
      zh: INDICATORS[rule.key].zh,
      unit: INDICATORS[rule.key].unit,
      value,
      benchmark,
      weight: rule.weight,
      score,
      rank,
      rule: applied,
    };
  });
  const cls = classOf(ev, i);
  const adjustments = adjustmentEffects(ev, i);
  const rankCls = ev.rankClasses[i]!;
  const zeroTotal = ruleSet.zeroTotalIsD === true && totalKey(ev.totals[i]!) <= 0;
  const ci = cls ? CLASSES.indexOf(cls) : -1;
  return {
    enterpriseId: input.enterpriseId,
    evaluated: true,
    exclusion: null,
    scale: input.scale,
    groupKey: group.key,
    groupSize: group.members.length,
    indicators,
    adjustments,
    classRule:
      zeroTotal && rankCls === CLASSES.length - 1
        ? {
            code: 'zero_total_d',
            zh: '总分为0，无从排序，列为D类',
            en: 'A total of 0 has nothing to rank it by: class D',
          }
        : null,
    adjustmentPoints: ev.adjustment[i]!,
    total: ev.totals[i]!,
    rank: ev.higher[i]! + 1,
    position: ev.higher[i]! / group.members.length,
    class: cls,
    classification,
    nextClass: ci > 0 ? CLASSES[ci - 1]! : null,
    moveUp: options.moveUp === false ? [] : moveUpOptions(ev, i),
  };
}
