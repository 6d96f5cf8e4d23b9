// County assessment (目标考核, issue 16 item 6): a versioned scheme of dimensions and indicators, each
// indicator scored linearly from its 基数值 to its 目标值 and capped (宁波 工业经济发展评价), dimensions
// weighted (default 质量/效率/动力 20/20/20 + 工作评价 40, back-calculated from Zhejiang's evaluation of
// Jiaxing — an inference), optional 一票否决 and 加扣分 items with reasons, counties compared within size
// tiers (工业强县 三档). Pure: the assessment service feeds it values with their provenance.

export interface IndicatorDef {
  key: string;
  nameZh: string;
  unit: string;
  /** 'higher' is better (growth, 亩均), 'lower' is better (能耗) */
  direction: 'higher' | 'lower';
  /** weight inside its dimension; equal weights when all are absent */
  weight?: number;
  /** 数据来源 / 审核部门 */
  source: string;
}

export interface DimensionDef {
  key: string;
  nameZh: string;
  /** points of 100 */
  weight: number;
  indicators: IndicatorDef[];
}

export interface Scheme {
  key: string;
  version: number;
  dimensions: DimensionDef[];
  /** share of an indicator's points a county gets beyond its target (1 = capped at the target) */
  cap: number;
}

export interface IndicatorInput {
  value: number | null;
  /** 基数值 (0 points) */
  base: number;
  /** 目标值 (full points) */
  target: number;
}

export interface Adjustment {
  kind: 'bonus' | 'penalty' | 'veto';
  /** points added (bonus) or taken (penalty); ignored for a veto */
  points: number;
  reason: string;
}

/**
 * The share (0..cap) of an indicator's points: (value − base) / (target − base), clipped at 0 and at the cap.
 * A value at or past the target earns the full share; a missing value earns nothing. For a 'lower is
 * better' indicator the same formula holds with target < base.
 */
export function indicatorShare(input: IndicatorInput, cap = 1): number {
  if (input.value === null || !Number.isFinite(input.value)) return 0;
  const span = input.target - input.base;
  if (span === 0) return input.value === input.target ? 1 : 0;
  const share = (input.value - input.base) / span;
  return Math.max(0, Math.min(cap, share));
}

export interface IndicatorScore {
  key: string;
  share: number;
  /** points within the dimension's 100 */
  points: number;
  weightInDimension: number;
  input: IndicatorInput;
}

export interface DimensionScore {
  key: string;
  /** 0..100 (× cap) */
  score: number;
  weight: number;
  /** score × weight / 100: what it adds to the total */
  contribution: number;
  indicators: IndicatorScore[];
}

export interface CountyScore {
  dimensions: DimensionScore[];
  adjustments: Adjustment[];
  vetoed: boolean;
  /** weighted sum plus bonus minus penalty; 0 when vetoed */
  total: number;
}

function weightsOf(d: DimensionDef): number[] {
  const explicit = d.indicators.every((i) => i.weight !== undefined);
  const raw = explicit ? d.indicators.map((i) => i.weight!) : d.indicators.map(() => 1);
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => (sum > 0 ? w / sum : 0));
}

/** Scores one county: dimension score = Σ share × weight-in-dimension × 100; total = Σ score × weight / 100. */
export function scoreCounty(
  scheme: Scheme,
  inputs: Readonly<Record<string, IndicatorInput>>,
  adjustments: readonly Adjustment[] = [],
  weightsOverride?: Readonly<Record<string, number>>,
): CountyScore {
  const dimensions = scheme.dimensions.map((d) => {
    const ws = weightsOf(d);
    const indicators = d.indicators.map((ind, i) => {
      const input = inputs[ind.key] ?? { value: null, base: 0, target: 1 };
      const share = indicatorShare(input, scheme.cap);
      return { key: ind.key, share, points: share * ws[i]! * 100, weightInDimension: ws[i]!, input };
    });
    const score = indicators.reduce((a, x) => a + x.points, 0);
    const weight = weightsOverride?.[d.key] ?? d.weight;
    return { key: d.key, score, weight, contribution: (score * weight) / 100, indicators };
  });
  const vetoed = adjustments.some((a) => a.kind === 'veto');
  const base = dimensions.reduce((a, d) => a + d.contribution, 0);
  const adj = adjustments.reduce(
    (a, x) => a + (x.kind === 'bonus' ? x.points : x.kind === 'penalty' ? -x.points : 0),
    0,
  );
  return { dimensions, adjustments: [...adjustments], vetoed, total: vetoed ? 0 : base + adj };
}

/**
 * Ranks (1 = best) within each tier; ties share the best rank of their block. A vetoed county ranks last
 * in its tier whatever its points.
 */
export function rankWithinTiers<K extends string>(
  scores: ReadonlyMap<K, { total: number; vetoed: boolean }>,
  tierOf: (k: K) => string,
): Map<K, { tier: string; rank: number }> {
  const byTier = new Map<string, K[]>();
  for (const k of scores.keys()) {
    const t = tierOf(k);
    byTier.set(t, [...(byTier.get(t) ?? []), k]);
  }
  const out = new Map<K, { tier: string; rank: number }>();
  for (const [tier, ks] of byTier) {
    const key = (k: K) => {
      const s = scores.get(k)!;
      return s.vetoed ? -Infinity : s.total;
    };
    const sorted = [...ks].sort((a, b) => key(b) - key(a));
    sorted.forEach((k, i) => {
      const first = sorted.findIndex((x) => key(x) === key(k));
      out.set(k, { tier, rank: (first === -1 ? i : first) + 1 });
    });
  }
  return out;
}

/** Size tier by last year's 规上工业总产值 (亿元), as 工业强县 compares counties: ≥1000, 500–1000, <500. */
export function sizeTier(outputYiYuan: number, bounds: readonly number[] = [1000, 500]): string {
  if (outputYiYuan >= bounds[0]!) return `≥${bounds[0]}`;
  if (outputYiYuan >= bounds[1]!) return `${bounds[1]}–${bounds[0]}`;
  return `<${bounds[1]}`;
}

/**
 * Weight sensitivity: each dimension's weight moved by ±delta points, the others rescaled so the total stays
 * 100; for every county, the lowest and highest rank seen (within its tier) and the largest shift.
 */
export function weightSensitivity<K extends string>(
  scheme: Scheme,
  inputs: ReadonlyMap<K, Readonly<Record<string, IndicatorInput>>>,
  adjustments: ReadonlyMap<K, readonly Adjustment[]>,
  tierOf: (k: K) => string,
  delta = 5,
): { dimension: string; change: number; ranks: Map<K, number> }[] {
  const total = scheme.dimensions.reduce((a, d) => a + d.weight, 0);
  const runs: { dimension: string; change: number; ranks: Map<K, number> }[] = [];
  for (const d of scheme.dimensions) {
    for (const change of [-delta, delta]) {
      const moved = Math.max(0, d.weight + change);
      const rest = total - d.weight;
      const weights: Record<string, number> = {};
      for (const o of scheme.dimensions)
        weights[o.key] = o.key === d.key ? moved : rest > 0 ? (o.weight * (total - moved)) / rest : 0;
      const scores = new Map(
        [...inputs].map(
          ([k, inp]) => [k, scoreCounty(scheme, inp, adjustments.get(k) ?? [], weights)] as const,
        ),
      );
      const ranks = rankWithinTiers(scores, tierOf);
      runs.push({ dimension: d.key, change, ranks: new Map([...ranks].map(([k, r]) => [k, r.rank])) });
    }
  }
  return runs;
}
