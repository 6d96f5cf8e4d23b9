// evaluate(ruleSet, inputs): population → groups → indicator values → benchmarks → scores (with the
// missing-data rules) → totals (with adjustments) → classes. Columnar and allocation-light: one typed
// array per quantity, so 10⁶ enterprises cost a few arrays, not 10⁶ objects per step.
import { INDICATORS, numeratorOf } from './indicators.ts';
import {
  type Adjustment,
  CELL,
  CLASSES,
  type CellStatus,
  type EvaluationClass,
  type EvaluationInput,
  type ExclusionCode,
  type IndicatorKey,
  INDICATOR_KEYS,
  type IndicatorRule,
  type RuleSet,
  type ScaleGroup,
} from './types.ts';

export interface GroupInfo {
  key: string;
  regionCode: string;
  scale: ScaleGroup;
  /** industry division when the rule set groups by it */
  division: string | null;
  /** indices into the inputs, in input order */
  members: number[];
  /** per indicator rule of the group (same order as ruleSet.groups[scale].indicators) */
  benchmark: Float64Array;
  valueCount: Int32Array;
  min: Float64Array;
  max: Float64Array;
  /** mean score over members with a value: what a member with missing energy/emissions gets */
  meanScore: Float64Array;
}

export interface Evaluation {
  /** index into CLASSES before veto/protection (position, and a zero total's D); 255 when not evaluated */
  rankClasses: Uint8Array;
  ruleSet: RuleSet;
  inputs: readonly EvaluationInput[];
  n: number;
  /** the indicator columns: every indicator used by some group, in catalogue order */
  indicatorKeys: IndicatorKey[];
  exclusion: (ExclusionCode | null)[];
  /** group index per input, -1 when not evaluated */
  groupOf: Int32Array;
  groups: GroupInfo[];
  /** n × K, NaN where the enterprise has no value */
  values: Float64Array;
  /** n × K, NaN where the indicator does not apply */
  scores: Float64Array;
  cells: Uint8Array;
  adjustment: Float64Array;
  /** NaN when not evaluated */
  totals: Float64Array;
  /** members of the group with a strictly higher total; -1 when not evaluated */
  higher: Int32Array;
  /** index into CLASSES; 255 when not evaluated */
  classes: Uint8Array;
  /** 1 where a class-A member is in the top `ruleSet.aPlus.share` of its group's A members (A+) */
  aPlus: Uint8Array;
}

export const NO_CLASS = 255;

export const EXCLUSION_LABELS: Record<string, { zh: string; en: string }> = {
  utility: {
    zh: '电力、热力、燃气及水生产和供应业（公用事业）不参评',
    en: 'Utility (industry division 44, 45 or 46): not evaluated',
  },
  land_missing: { zh: '用地面积缺失或不大于0', en: 'Land area missing or not above 0' },
  small_land: { zh: '规下企业用地面积不足3亩', en: 'Below designated size with less than 3 mu of land' },
};

export function exclusionLabel(code: string, ruleSet?: RuleSet): { zh: string; en: string } {
  if (code.startsWith('exempt:')) {
    const ex = ruleSet?.exemptions.find((e) => `exempt:${e.id}` === code);
    return {
      zh: `${ex?.label ?? code.slice(7)}（申请不参评）`,
      en: `Exempt on application: ${ex?.label ?? code.slice(7)}`,
    };
  }
  if (code === 'small_land' && ruleSet) {
    const mu = ruleSet.population.minLandMu.below;
    return { zh: `规下企业用地面积不足${mu}亩`, en: `Below designated size with less than ${mu} mu of land` };
  }
  return EXCLUSION_LABELS[code] ?? { zh: code, en: code };
}

/** Totals are compared after rounding to 1e-9, so float noise never splits a tie. */
export const totalKey = (t: number): number => Math.round(t * 1e9) / 1e9;

function exclusionOf(ruleSet: RuleSet, i: EvaluationInput): ExclusionCode | null {
  const division = i.industryCode.slice(0, 2);
  if (ruleSet.population.excludeDivisions.includes(division)) return 'utility';
  if (i.landMu == null || !(i.landMu > 0)) return 'land_missing';
  if (i.landMu < (ruleSet.population.minLandMu[i.scale] ?? 0)) return 'small_land';
  for (const ex of ruleSet.exemptions) if (i.attributes?.[ex.attribute]) return `exempt:${ex.id}`;
  return null;
}

export function indicatorColumns(ruleSet: RuleSet): IndicatorKey[] {
  const used = new Set<IndicatorKey>();
  for (const g of Object.values(ruleSet.groups)) for (const r of g.indicators) used.add(r.key);
  return INDICATOR_KEYS.filter((k) => used.has(k));
}

function scoreOf(ruleSet: RuleSet, rule: IndicatorRule, g: GroupInfo, r: number, v: number): number {
  const b = ruleSet.benchmark;
  let s: number;
  if (b.kind === 'minmax') {
    const range = g.max[r]! - g.min[r]!;
    const share = range > 0 ? (v - g.min[r]!) / range : 1;
    s = (rule.weight * (b.floor + (100 - b.floor) * share)) / 100;
  } else {
    const bench = g.benchmark[r]!;
    s = bench > 0 ? Math.max(0, (rule.weight * v) / bench) : 0;
  }
  if (rule.cap != null && s > rule.cap) s = rule.cap;
  return s;
}

/** Points a bonus (+) or penalty (−) adds to the input's total; 0 when it does not apply. */
export function adjustmentAmount(a: Adjustment, input: EvaluationInput): number {
  if (a.kind !== 'bonus' && a.kind !== 'penalty') return 0;
  if (a.scales && !a.scales.includes(input.scale)) return 0;
  const units = input.attributes?.[a.attribute] ?? 0;
  const counted = units - (a.freeUnits ?? 0);
  if (counted <= 0) return 0;
  const per = a.points ?? 0;
  const amount = a.firstUnitPoints != null ? a.firstUnitPoints + (counted - 1) * per : counted * per;
  return a.kind === 'bonus' ? amount : -amount;
}

function adjustmentPoints(ruleSet: RuleSet, input: EvaluationInput): number {
  let points = 0;
  for (const a of ruleSet.adjustments) points += adjustmentAmount(a, input);
  return points;
}

export function classifyPosition(
  ruleSet: RuleSet,
  scale: ScaleGroup,
  higher: number,
  size: number,
  total: number,
): number {
  const c = ruleSet.groups[scale].classification;
  if (c.method === 'position') {
    const p = higher / size;
    if (p < c.cuts.A) return 0;
    if (p < c.cuts.B) return 1;
    if (p < c.cuts.C) return 2;
    return 3;
  }
  const t = totalKey(total);
  if (t >= c.cuts.A) return 0;
  if (t >= c.cuts.B) return 1;
  if (t >= c.cuts.C) return 2;
  return 3;
}

/** The veto and protect adjustments that apply to the input (its attribute set, its scale). */
export function classLimitsOf(ruleSet: RuleSet, input: EvaluationInput) {
  return ruleSet.adjustments.filter(
    (a) =>
      (a.kind === 'veto' || a.kind === 'protect') &&
      a.classLimit &&
      (!a.scales || a.scales.includes(input.scale)) &&
      !!input.attributes?.[a.attribute],
  );
}

/**
 * Veto: at best `classLimit` (不得列入A、B类). Protect: at worst `classLimit` (不列入D类) — "except by veto":
 * a vetoed enterprise is not protected.
 */
export function applyClassLimits(ruleSet: RuleSet, input: EvaluationInput, cls: number): number {
  // a limit applies only through an attribute: most firms have none, and nothing to filter
  if (!input.attributes) return cls;
  const limits = classLimitsOf(ruleSet, input);
  const vetoed = limits.some((a) => a.kind === 'veto');
  let out = cls;
  for (const a of limits) {
    const limit = CLASSES.indexOf(a.classLimit!);
    if (a.kind === 'veto' && out < limit) out = limit;
    if (a.kind === 'protect' && !vetoed && out > limit) out = limit;
  }
  return out;
}

export function evaluate(ruleSet: RuleSet, inputs: readonly EvaluationInput[]): Evaluation {
  const n = inputs.length;
  const keys = indicatorColumns(ruleSet);
  const K = keys.length;
  const col = new Map(keys.map((k, j) => [k, j]));
  const colsOf: Record<ScaleGroup, number[]> = {
    above: ruleSet.groups.above.indicators.map((r) => col.get(r.key)!),
    below: ruleSet.groups.below.indicators.map((r) => col.get(r.key)!),
  };
  const exclusion: (ExclusionCode | null)[] = new Array(n).fill(null);
  const groupOf = new Int32Array(n).fill(-1);
  const groups: GroupInfo[] = [];
  const groupIndex = new Map<string, number>();
  const values = new Float64Array(n * K).fill(NaN);
  const scores = new Float64Array(n * K).fill(NaN);
  const cells = new Uint8Array(n * K);
  const adjustment = new Float64Array(n);
  const totals = new Float64Array(n).fill(NaN);
  const higher = new Int32Array(n).fill(-1);
  const classes = new Uint8Array(n).fill(NO_CLASS);
  const rankClasses = new Uint8Array(n).fill(NO_CLASS);
  const aPlus = new Uint8Array(n);
  const sums: Float64Array[] = [];
  const blanksZero = ruleSet.blanks === 'zero';

  // 1. population, groups, indicator values, per-group sums
  for (let i = 0; i < n; i++) {
    const input = inputs[i]!;
    const ex = exclusionOf(ruleSet, input);
    if (ex) {
      exclusion[i] = ex;
      continue;
    }
    const division = ruleSet.groupByIndustryDivision ? input.industryCode.slice(0, 2) : null;
    const gkey = division
      ? `${input.regionCode}|${input.scale}|${division}`
      : `${input.regionCode}|${input.scale}`;
    let g = groupIndex.get(gkey);
    const rules = ruleSet.groups[input.scale].indicators;
    if (g === undefined) {
      g = groups.length;
      groupIndex.set(gkey, g);
      const R = rules.length;
      groups.push({
        key: gkey,
        regionCode: input.regionCode,
        scale: input.scale,
        division,
        members: [],
        benchmark: new Float64Array(R).fill(NaN),
        valueCount: new Int32Array(R),
        min: new Float64Array(R).fill(Infinity),
        max: new Float64Array(R).fill(-Infinity),
        meanScore: new Float64Array(R),
      });
      sums.push(new Float64Array(R));
    }
    groupOf[i] = g;
    const group = groups[g]!;
    group.members.push(i);
    const cols = colsOf[input.scale];
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r]!;
      const def = INDICATORS[rule.key];
      const cell = i * K + cols[r]!;
      const num = numeratorOf(def, input);
      let v: number;
      if (blanksZero && (num == null || num === 0)) {
        // nothing produced is 0 per anything: the denominator does not matter, and the 0 is counted
        v = 0;
        cells[cell] = num == null ? CELL.numeratorBlank : CELL.value;
      } else if (num == null) {
        cells[cell] = CELL.numeratorBlank;
        continue;
      } else {
        const den = def.denominator(input, ruleSet);
        if (den == null || !(den > 0)) {
          if (rule.ifDenominatorMissing === 'groupMeanScore') {
            cells[cell] = CELL.denominatorMean;
            continue;
          }
          cells[cell] = CELL.denominatorZero;
          if (!blanksZero) continue;
          v = 0;
        } else {
          v = num / den;
          cells[cell] = CELL.value;
        }
      }
      values[cell] = v;
      sums[g]![r]! += v;
      group.valueCount[r]!++;
      if (v < group.min[r]!) group.min[r] = v;
      if (v > group.max[r]!) group.max[r] = v;
    }
  }

  // 2. benchmarks
  const method = ruleSet.benchmark;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    const rules = ruleSet.groups[group.scale].indicators;
    for (let r = 0; r < rules.length; r++) {
      const count = group.valueCount[r]!;
      if (method.kind === 'mean')
        group.benchmark[r] = count > 0 ? (method.factor * sums[g]![r]!) / count : NaN;
      else if (method.kind === 'max') group.benchmark[r] = count > 0 ? group.max[r]! : NaN;
      else if (method.kind === 'fixed')
        group.benchmark[r] = method.values[group.scale]?.[rules[r]!.key] ?? NaN;
    }
  }

  // 3. scores of members with a value; the group's mean score per indicator
  const scoreSums = groups.map((g) => new Float64Array(g.valueCount.length));
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    if (g < 0) continue;
    const group = groups[g]!;
    const rules = ruleSet.groups[group.scale].indicators;
    const cols = colsOf[group.scale];
    for (let r = 0; r < rules.length; r++) {
      const cell = i * K + cols[r]!;
      // every cell with a value (a blank read as 0 included) is scored and counts in the mean score
      if (Number.isNaN(values[cell]!)) continue;
      const s = scoreOf(ruleSet, rules[r]!, group, r, values[cell]!);
      scores[cell] = s;
      scoreSums[g]![r]! += s;
    }
  }
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    for (let r = 0; r < group.valueCount.length; r++) {
      const c = group.valueCount[r]!;
      group.meanScore[r] = c > 0 ? scoreSums[g]![r]! / c : 0;
    }
  }

  // 4. missing-data scores, adjustments, totals
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    if (g < 0) continue;
    const group = groups[g]!;
    const cols = colsOf[group.scale];
    let total = 0;
    for (let r = 0; r < cols.length; r++) {
      const cell = i * K + cols[r]!;
      const status = cells[cell] as CellStatus;
      if (status === CELL.denominatorMean) scores[cell] = group.meanScore[r]!;
      else if (Number.isNaN(values[cell]!)) scores[cell] = 0;
      total += scores[cell]!;
    }
    const adj = ruleSet.adjustments.length ? adjustmentPoints(ruleSet, inputs[i]!) : 0;
    adjustment[i] = adj;
    totals[i] = total + adj;
  }

  // 5. classes by position within the group; ties share a class. The rounded totals are worked out
  // once, not twice per comparison of the sort (at province scale that was most of this step).
  const keyOf = new Float64Array(n);
  for (let i = 0; i < n; i++) if (groupOf[i]! >= 0) keyOf[i] = totalKey(totals[i]!);
  for (const group of groups) {
    const size = group.members.length;
    const order = Int32Array.from(group.members);
    order.sort((a, b) => keyOf[b]! - keyOf[a]!);
    let above = 0;
    let prev = NaN;
    for (let j = 0; j < size; j++) {
      const i = order[j]!;
      const key = keyOf[i]!;
      if (key !== prev) {
        above = j;
        prev = key;
      }
      higher[i] = above;
      let cls = classifyPosition(ruleSet, group.scale, above, size, totals[i]!);
      if (ruleSet.zeroTotalIsD && key <= 0) cls = CLASSES.length - 1;
      rankClasses[i] = cls;
      if (ruleSet.adjustments.length) cls = applyClassLimits(ruleSet, inputs[i]!, cls);
      classes[i] = cls;
    }
    if (ruleSet.aPlus) markAPlus(ruleSet.aPlus.share, order, totals, classes, aPlus);
  }

  return {
    ruleSet,
    inputs,
    n,
    indicatorKeys: keys,
    exclusion,
    groupOf,
    groups,
    values,
    scores,
    cells,
    adjustment,
    totals,
    higher,
    classes,
    rankClasses,
    aPlus,
  };
}

/**
 * A+ within one group: of the members whose final class is A (in `order`, best total first), those with
 * fewer than share × (A members) A members strictly ahead of them. Ties share the mark, as they share a
 * class; a group of 4 A members with share 0.2 gets one A+ (0 ahead < 0.8), a tie for first gets two.
 */
export function markAPlus(
  share: number,
  order: ArrayLike<number>,
  totals: Float64Array,
  classes: Uint8Array,
  out: Uint8Array,
): void {
  const members: number[] = [];
  for (let j = 0; j < order.length; j++) if (classes[order[j]!] === 0) members.push(order[j]!);
  const limit = share * members.length;
  let ahead = 0;
  let prev = NaN;
  for (let j = 0; j < members.length; j++) {
    const key = totalKey(totals[members[j]!]!);
    if (key !== prev) {
      ahead = j;
      prev = key;
    }
    if (ahead < limit) out[members[j]!] = 1;
  }
}

export interface IndicatorResult {
  key: IndicatorKey;
  value: number | null;
  score: number;
  cell: CellStatus;
}

export interface EnterpriseResult {
  enterpriseId: number;
  regionCode: string;
  scale: ScaleGroup;
  evaluated: boolean;
  exclusion: ExclusionCode | null;
  groupKey: string | null;
  groupSize: number | null;
  indicators: IndicatorResult[];
  adjustment: number;
  total: number | null;
  rank: number | null;
  position: number | null;
  class: EvaluationClass | null;
  /** A+ on top of class A (rule sets with the A+ option) */
  aPlus: boolean;
}

/** One enterprise's result as a plain object (for storage, export and display). */
export function resultRow(ev: Evaluation, i: number): EnterpriseResult {
  const input = ev.inputs[i]!;
  const g = ev.groupOf[i]!;
  const K = ev.indicatorKeys.length;
  if (g < 0) {
    return {
      enterpriseId: input.enterpriseId,
      regionCode: input.regionCode,
      scale: input.scale,
      evaluated: false,
      exclusion: ev.exclusion[i]!,
      groupKey: null,
      groupSize: null,
      indicators: [],
      adjustment: 0,
      total: null,
      rank: null,
      position: null,
      class: null,
      aPlus: false,
    };
  }
  const group = ev.groups[g]!;
  const indicators: IndicatorResult[] = [];
  for (const rule of ev.ruleSet.groups[group.scale].indicators) {
    const cell = i * K + ev.indicatorKeys.indexOf(rule.key);
    const v = ev.values[cell]!;
    indicators.push({
      key: rule.key,
      value: Number.isNaN(v) ? null : v,
      score: ev.scores[cell]!,
      cell: ev.cells[cell] as CellStatus,
    });
  }
  return {
    enterpriseId: input.enterpriseId,
    regionCode: input.regionCode,
    scale: input.scale,
    evaluated: true,
    exclusion: null,
    groupKey: group.key,
    groupSize: group.members.length,
    indicators,
    adjustment: ev.adjustment[i]!,
    total: ev.totals[i]!,
    rank: ev.higher[i]! + 1,
    position: ev.higher[i]! / group.members.length,
    class: CLASSES[ev.classes[i]!]!,
    aPlus: ev.aPlus[i] === 1,
  };
}

export function classOf(ev: Evaluation, i: number): EvaluationClass | null {
  const c = ev.classes[i]!;
  return c === NO_CLASS ? null : CLASSES[c]!;
}
