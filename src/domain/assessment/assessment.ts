// A county assessment as a whole (issue 16 items 6–7): every county's indicator values with their
// provenance, scored by ./scoring.ts, ranked within size tiers, 先进单位 named, 红黑榜 of the process
// indicators, and the ±5-point weight sensitivity. Pure: the assessment service gathers the values from the
// other capabilities and freezes this result in the edition (a published assessment never changes).
import {
  rankWithinTiers,
  scoreCounty,
  sizeTier,
  weightSensitivity,
  type Adjustment,
  type DimensionDef,
  type IndicatorDef,
  type IndicatorInput,
  type Scheme,
} from './scoring.ts';

export interface SchemeIndicator extends IndicatorDef {
  /** 基数值: 0 points at or below it */
  base: number;
  /** 目标值: full points at or beyond it */
  target: number;
  /** how the value is computed, in words (shown beside every value) */
  basis: string;
  /** a process indicator (过程指标): in the monthly view and its 红黑榜 */
  process?: boolean;
  /**
   * A county's own 基数值/目标值 (keyed by region code), so counties are compared on progress against their
   * own base rather than one city-wide line; a county not named here uses `base`/`target`.
   */
  counties?: Record<string, { base: number; target: number }>;
}

export interface SchemeDimension extends Omit<DimensionDef, 'indicators'> {
  indicators: SchemeIndicator[];
}

export interface AssessmentScheme extends Omit<Scheme, 'dimensions'> {
  dimensions: SchemeDimension[];
  /** 工业强县 三档 by last year's 规上工业总产值 (亿元) */
  tierBoundsYiYuan: [number, number];
  vetoItems: { key: string; nameZh: string; source: string }[];
  /** 先进单位: the best `perTier` of each size tier with at least `minScore` points, none vetoed */
  advanced: { perTier: number; minScore: number };
  /** 红黑榜: how many counties each list names per process indicator */
  listSize: number;
  /** where the scheme comes from (sources, inferences) */
  note?: string;
  /**
   * How counties are ranked: within 工业强县 size tiers (default), or city-wide — fair when every county is
   * scored on progress against its own base (`counties` on the indicators).
   */
  ranking?: 'tiers' | 'citywide';
}

/** The city-wide "tier" of a scheme ranked on progress against each county's own base. */
export const CITYWIDE_TIER = '全市';

/** An indicator's 基数值/目标值 for one county: its own when the scheme sets one, else the city's line. */
export function lineOf(i: SchemeIndicator, regionCode: string): { base: number; target: number } {
  return i.counties?.[regionCode] ?? { base: i.base, target: i.target };
}

/** Where a number came from: the inputs, the rule, the record it was read from. */
export interface Provenance {
  /** 数据来源 · 审核部门 */
  source: string;
  /** the formula with its inputs filled in */
  basis: string;
  inputs: Record<string, number | string | null>;
  /** records behind it: an evaluation run, reported values, the rollup version … */
  refs: string[];
}

export interface IndicatorFact {
  value: number | null;
  provenance: Provenance;
  /** why there is no value (e.g. "未填报", "目标模块未接入") */
  missing?: string;
}

export interface CountyFacts {
  regionCode: string;
  name: string;
  /** last year's 规上工业总产值, 亿元 (the size tier) */
  outputPrevYiYuan: number;
  values: Record<string, IndicatorFact>;
}

export interface CountyAdjustment extends Adjustment {
  regionCode: string;
  /** a veto item's key (vetoItems), for a veto */
  item?: string;
}

export interface IndicatorLine {
  key: string;
  nameZh: string;
  unit: string;
  direction: 'higher' | 'lower';
  value: number | null;
  base: number;
  target: number;
  share: number;
  /** weight of the indicator in the total (points of 100) */
  weight: number;
  /** points it adds to the total: share × weight */
  points: number;
  process: boolean;
  provenance: Provenance;
  missing: string | null;
}

export interface CountyResult {
  regionCode: string;
  name: string;
  tier: string;
  outputPrevYiYuan: number;
  total: number;
  rank: number;
  vetoed: boolean;
  advanced: boolean;
  dimensions: { key: string; nameZh: string; weight: number; score: number; contribution: number }[];
  indicators: IndicatorLine[];
  adjustments: CountyAdjustment[];
  /** best and worst rank seen when each dimension weight moves ±delta */
  sensitivity: { best: number; worst: number };
}

export interface SensitivityRun {
  dimension: string;
  nameZh: string;
  change: number;
  /** the weights used (points of 100) */
  weights: Record<string, number>;
  ranks: Record<string, number>;
}

export interface ListEntry {
  indicator: string;
  nameZh: string;
  unit: string;
  red: { regionCode: string; name: string; value: number }[];
  black: { regionCode: string; name: string; value: number }[];
}

export interface AssessmentResult {
  counties: CountyResult[];
  sensitivity: SensitivityRun[];
  delta: number;
  redBlack: ListEntry[];
}

/** The indicator's weight in the total: its share of the dimension × the dimension's points. */
function indicatorWeights(scheme: AssessmentScheme): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of scheme.dimensions) {
    const explicit = d.indicators.every((i) => i.weight !== undefined);
    const raw = d.indicators.map((i) => (explicit ? i.weight! : 1));
    const sum = raw.reduce((a, b) => a + b, 0);
    d.indicators.forEach((i, k) => out.set(i.key, sum > 0 ? (raw[k]! / sum) * d.weight : 0));
  }
  return out;
}

function inputsOf(scheme: AssessmentScheme, c: CountyFacts): Record<string, IndicatorInput> {
  const out: Record<string, IndicatorInput> = {};
  for (const d of scheme.dimensions)
    for (const i of d.indicators)
      out[i.key] = { value: c.values[i.key]?.value ?? null, ...lineOf(i, c.regionCode) };
  return out;
}

/** Checks a scheme is usable: weights sum to 100, each indicator's target differs from its base. */
export function schemeProblems(scheme: AssessmentScheme): string[] {
  const out: string[] = [];
  const total = scheme.dimensions.reduce((a, d) => a + d.weight, 0);
  if (Math.abs(total - 100) > 1e-9) out.push(`维度权重合计应为 100（现为 ${total}）`);
  const keys = new Set<string>();
  for (const d of scheme.dimensions) {
    if (!d.indicators.length) out.push(`维度“${d.nameZh}”没有指标`);
    for (const i of d.indicators) {
      if (keys.has(i.key)) out.push(`指标 ${i.key} 重复`);
      keys.add(i.key);
      const lines: [string, { base: number; target: number }][] = [
        ['', i],
        ...Object.entries(i.counties ?? {}).map(([c, l]) => [`（${c}）`, l] as [string, typeof l]),
      ];
      for (const [who, l] of lines) {
        if (l.base === l.target) out.push(`指标“${i.nameZh}”${who}的目标值不能等于基数值`);
        else if ((i.direction === 'higher') !== l.target > l.base)
          out.push(
            `指标“${i.nameZh}”${who}的目标值与方向不符（${i.direction === 'higher' ? '越高越好' : '越低越好'}）`,
          );
      }
    }
  }
  return out;
}

export function assess(
  scheme: AssessmentScheme,
  counties: readonly CountyFacts[],
  adjustments: readonly CountyAdjustment[],
  delta = 5,
): AssessmentResult {
  const weights = indicatorWeights(scheme);
  const byCode = new Map(counties.map((c) => [c.regionCode, c]));
  const tierOf = (k: string) =>
    scheme.ranking === 'citywide'
      ? CITYWIDE_TIER
      : sizeTier(byCode.get(k)!.outputPrevYiYuan, scheme.tierBoundsYiYuan);
  const adjOf = new Map<string, CountyAdjustment[]>();
  for (const a of adjustments) adjOf.set(a.regionCode, [...(adjOf.get(a.regionCode) ?? []), a]);
  const inputs = new Map(counties.map((c) => [c.regionCode, inputsOf(scheme, c)]));
  const scores = new Map(
    counties.map((c) => [
      c.regionCode,
      scoreCounty(scheme, inputs.get(c.regionCode)!, adjOf.get(c.regionCode)),
    ]),
  );
  const ranks = rankWithinTiers(scores, tierOf);
  const runs = weightSensitivity(scheme, inputs, adjOf, tierOf, delta);
  const sensitivity: SensitivityRun[] = runs.map((r) => {
    const d = scheme.dimensions.find((x) => x.key === r.dimension)!;
    const total = scheme.dimensions.reduce((a, x) => a + x.weight, 0);
    const moved = Math.max(0, d.weight + r.change);
    const rest = total - d.weight;
    const w: Record<string, number> = {};
    for (const o of scheme.dimensions)
      w[o.key] = o.key === d.key ? moved : rest > 0 ? (o.weight * (total - moved)) / rest : 0;
    return {
      dimension: r.dimension,
      nameZh: d.nameZh,
      change: r.change,
      weights: w,
      ranks: Object.fromEntries(r.ranks),
    };
  });
  const out: CountyResult[] = counties.map((c) => {
    const s = scores.get(c.regionCode)!;
    const rank = ranks.get(c.regionCode)!;
    const seen = [rank.rank, ...sensitivity.map((r) => r.ranks[c.regionCode]!)];
    const indicators: IndicatorLine[] = scheme.dimensions.flatMap((d) =>
      d.indicators.map((i) => {
        const fact = c.values[i.key];
        const share = s.dimensions
          .find((x) => x.key === d.key)!
          .indicators.find((x) => x.key === i.key)!.share;
        const weight = weights.get(i.key)!;
        const line = lineOf(i, c.regionCode);
        return {
          key: i.key,
          nameZh: i.nameZh,
          unit: i.unit,
          direction: i.direction,
          value: fact?.value ?? null,
          base: line.base,
          target: line.target,
          share,
          weight,
          points: share * weight,
          process: i.process === true,
          provenance: fact?.provenance ?? { source: i.source, basis: i.basis, inputs: {}, refs: [] },
          missing: fact?.value == null ? (fact?.missing ?? '无数据') : null,
        };
      }),
    );
    return {
      regionCode: c.regionCode,
      name: c.name,
      tier: rank.tier,
      outputPrevYiYuan: c.outputPrevYiYuan,
      total: s.total,
      rank: rank.rank,
      vetoed: s.vetoed,
      advanced: false,
      dimensions: s.dimensions.map((d) => ({
        key: d.key,
        nameZh: scheme.dimensions.find((x) => x.key === d.key)!.nameZh,
        weight: d.weight,
        score: d.score,
        contribution: d.contribution,
      })),
      indicators,
      adjustments: adjOf.get(c.regionCode) ?? [],
      sensitivity: { best: Math.min(...seen), worst: Math.max(...seen) },
    };
  });
  for (const c of out)
    c.advanced = !c.vetoed && c.rank <= scheme.advanced.perTier && c.total >= scheme.advanced.minScore;
  out.sort(
    (a, b) => a.tier.localeCompare(b.tier) || a.rank - b.rank || a.regionCode.localeCompare(b.regionCode),
  );
  return { counties: out, sensitivity, delta, redBlack: redBlackLists(scheme, counties) };
}

/**
 * 红黑榜 of the process indicators: per indicator, the best `listSize` counties that earned some points
 * (红榜) and the worst `listSize` that fell short of the target (黑榜), never the same county on both.
 * Counties without a value are on neither (their missing value shows on their own page).
 */
export function redBlackLists(scheme: AssessmentScheme, counties: readonly CountyFacts[]): ListEntry[] {
  const out: ListEntry[] = [];
  for (const d of scheme.dimensions)
    for (const i of d.indicators) {
      if (!i.process) continue;
      const sign = i.direction === 'higher' ? 1 : -1;
      const valued = counties
        .filter((c) => c.values[i.key]?.value != null)
        .map((c) => ({ regionCode: c.regionCode, name: c.name, value: c.values[i.key]!.value! }))
        .sort((a, b) => sign * (b.value - a.value) || a.regionCode.localeCompare(b.regionCode));
      const share = (x: { regionCode: string; value: number }) => {
        const l = lineOf(i, x.regionCode);
        return (x.value - l.base) / (l.target - l.base);
      };
      const red = valued.filter((x) => share(x) > 0).slice(0, scheme.listSize);
      const redCodes = new Set(red.map((x) => x.regionCode));
      const black = valued
        .filter((x) => share(x) < 1 && !redCodes.has(x.regionCode))
        .slice(-scheme.listSize)
        .reverse();
      out.push({ indicator: i.key, nameZh: i.nameZh, unit: i.unit, red, black });
    }
  return out;
}
