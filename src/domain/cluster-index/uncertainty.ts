// Uncertainty and sensitivity analysis (COINr / JRC practice): the index is recomputed many times with
// the alternatives the method leaves open — dimension weights ±, normalisation, aggregation — drawn by a
// seeded PRNG, so the same edition always publishes the same bands.
import {
  compositeScores,
  defaultChoices,
  dimensionScores,
  normalisedMatrix,
  periodGroups,
  ranksWithin,
} from './pipeline.ts';
import type { Aggregation, Choices, IndexFramework, IndexRow, Normalisation } from './types.ts';

/** mulberry32: a small, fast, seeded 32-bit PRNG (uniform in [0, 1)). Never Math.random. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The q-quantile (0–1) of sorted values, linear between order statistics (R type 7). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (!sorted.length) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface RowBand {
  id: string;
  medianRank: number | null;
  p5Rank: number | null;
  p95Rank: number | null;
  medianScore: number | null;
  p5Score: number | null;
  p95Score: number | null;
}

export interface SensitivityRow {
  /** `normalisation`, `aggregation` or `weight:<dimension>` */
  factor: string;
  /** first-order index: share of the rank variance explained by this choice alone (mean over rows) */
  firstOrder: number;
  /** mean |rank change| when only this choice moves away from the edition's own (one at a time) */
  meanAbsRankShift: number;
}

export interface UncertaintyResult {
  runs: number;
  seed: number;
  bands: RowBand[];
  sensitivity: SensitivityRow[];
}

interface Draw {
  choices: Choices;
  /** levels of each factor in this run, for the first-order indices */
  levels: Record<string, number>;
}

const WEIGHT_BINS = 5;

type Evaluator = (c: Choices) => { scores: (number | null)[]; ranks: (number | null)[] };

/**
 * Scores and ranks for any choices, fast: the dimension scores depend only on the normalisation and
 * aggregation (a handful of combinations), so they are computed once each; a run only re-weights them.
 */
function evaluator(fw: IndexFramework, rows: readonly IndexRow[]): Evaluator {
  const groups = periodGroups(rows);
  const cache = new Map<string, (number | null)[][]>();
  return (c) => {
    const key = `${c.normalisation}|${c.aggregation}`;
    let dims = cache.get(key);
    if (!dims) {
      dims = dimensionScores(fw, normalisedMatrix(fw, rows, c.normalisation).values, c.aggregation).scores;
      cache.set(key, dims);
    }
    const scores = compositeScores(fw, dims, c.dimensionWeights, c.aggregation).map((x) => x.score);
    return { scores, ranks: ranksWithin(scores, groups) };
  };
}

function draw(fw: IndexFramework, rand: () => number): Draw {
  const u = fw.uncertainty;
  const levels: Record<string, number> = {};
  const weights: Record<string, number> = {};
  for (const d of fw.dimensions) {
    const x = rand();
    weights[d.key] = d.weight * (1 - u.weightSpread + 2 * u.weightSpread * x);
    levels[`weight:${d.key}`] = Math.min(WEIGHT_BINS - 1, Math.floor(x * WEIGHT_BINS));
  }
  const ni = Math.min(u.normalisations.length - 1, Math.floor(rand() * u.normalisations.length));
  const ai = Math.min(u.aggregations.length - 1, Math.floor(rand() * u.aggregations.length));
  levels.normalisation = ni;
  levels.aggregation = ai;
  return {
    choices: {
      normalisation: u.normalisations[ni] as Normalisation,
      aggregation: u.aggregations[ai] as Aggregation,
      dimensionWeights: weights,
    },
    levels,
  };
}

/** Monte Carlo over the method's alternatives: median rank and 5–95 % bands, and first-order sensitivity. */
export function uncertainty(fw: IndexFramework, rows: readonly IndexRow[]): UncertaintyResult {
  const { runs, seed } = fw.uncertainty;
  const rand = mulberry32(seed);
  const n = rows.length;
  const ranks: number[][] = rows.map(() => []);
  const scores: number[][] = rows.map(() => []);
  const rankRuns: (number | null)[][] = [];
  const draws: Draw[] = [];
  const ev = evaluator(fw, rows);
  for (let k = 0; k < runs; k++) {
    const d = draw(fw, rand);
    draws.push(d);
    const res = ev(d.choices);
    rankRuns.push(res.ranks);
    for (let i = 0; i < n; i++) {
      const rk = res.ranks[i];
      const sc = res.scores[i];
      if (rk !== null && rk !== undefined) ranks[i]!.push(rk);
      if (sc !== null && sc !== undefined) scores[i]!.push(sc);
    }
  }
  const bands: RowBand[] = rows.map((row, i) => {
    const rs = [...ranks[i]!].sort((a, b) => a - b);
    const ss = [...scores[i]!].sort((a, b) => a - b);
    return {
      id: row.id,
      medianRank: quantile(rs, 0.5),
      p5Rank: quantile(rs, 0.05),
      p95Rank: quantile(rs, 0.95),
      medianScore: quantile(ss, 0.5),
      p5Score: quantile(ss, 0.05),
      p95Score: quantile(ss, 0.95),
    };
  });
  const factors = ['normalisation', 'aggregation', ...fw.dimensions.map((d) => `weight:${d.key}`)];
  const sensitivity = factors.map((factor) => ({
    factor,
    firstOrder: firstOrder(factor, draws, rankRuns, n),
    meanAbsRankShift: oneAtATime(fw, ev, factor),
  }));
  return { runs, seed, bands, sensitivity };
}

/** S = Var(E[rank | factor level]) / Var(rank), per row, averaged over rows whose rank varies at all. */
function firstOrder(
  factor: string,
  draws: readonly Draw[],
  rankRuns: readonly (number | null)[][],
  n: number,
) {
  let sum = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    const groups = new Map<number, { s: number; c: number }>();
    let s = 0;
    let s2 = 0;
    let c = 0;
    draws.forEach((d, k) => {
      const y = rankRuns[k]![i];
      if (y === null || y === undefined) return;
      const g = groups.get(d.levels[factor]!) ?? { s: 0, c: 0 };
      g.s += y;
      g.c++;
      groups.set(d.levels[factor]!, g);
      s += y;
      s2 += y * y;
      c++;
    });
    if (c < 2) continue;
    const mean = s / c;
    const v = s2 / c - mean * mean;
    if (v <= 1e-12) continue;
    let between = 0;
    for (const g of groups.values()) between += (g.c / c) * (g.s / g.c - mean) ** 2;
    sum += Math.min(1, between / v);
    counted++;
  }
  return counted ? sum / counted : 0;
}

/** Mean |rank change| over rows and over the factor's alternatives, the other choices held at the edition's. */
function oneAtATime(fw: IndexFramework, ev: Evaluator, factor: string): number {
  const base = defaultChoices(fw);
  const baseRanks = ev(base).ranks;
  const alternatives: Choices[] = [];
  if (factor === 'normalisation')
    for (const m of fw.uncertainty.normalisations)
      if (m !== base.normalisation) alternatives.push({ ...base, normalisation: m });
  if (factor === 'aggregation')
    for (const m of fw.uncertainty.aggregations)
      if (m !== base.aggregation) alternatives.push({ ...base, aggregation: m });
  if (factor.startsWith('weight:')) {
    const key = factor.slice('weight:'.length);
    for (const f of [1 - fw.uncertainty.weightSpread, 1 + fw.uncertainty.weightSpread])
      alternatives.push({
        ...base,
        dimensionWeights: { ...base.dimensionWeights, [key]: base.dimensionWeights[key]! * f },
      });
  }
  if (!alternatives.length) return 0;
  let total = 0;
  let count = 0;
  for (const alt of alternatives) {
    ev(alt).ranks.forEach((rank, i) => {
      if (rank === null || baseRanks[i] === null) return;
      total += Math.abs(rank - baseRanks[i]!);
      count++;
    });
  }
  return count ? total / count : 0;
}
