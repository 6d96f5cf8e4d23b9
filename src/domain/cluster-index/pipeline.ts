// The index pipeline as small pure functions over one set of rows: normalise each indicator over the
// comparison set, treat missing values, aggregate indicators into dimensions and dimensions into the
// index, rank within each period, then the gates and bands beside the score.
import type {
  Aggregation,
  Choices,
  Gate,
  GateResult,
  IndexFramework,
  IndexRow,
  Indicator,
  IndicatorResult,
  MissingTreatment,
  Normalisation,
  RowResult,
} from './types.ts';

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Normalises one indicator's raw values over the comparison set (nulls stay null). */
export function normalise(
  values: readonly (number | null)[],
  ind: Pick<Indicator, 'direction' | 'base' | 'target'>,
  method: Normalisation,
): (number | null)[] {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  switch (method) {
    case 'target': {
      const span = ind.target - ind.base;
      return values.map((v) =>
        v === null || !Number.isFinite(v)
          ? null
          : span === 0
            ? v >= ind.target
              ? 100
              : 0
            : clamp(((v - ind.base) / span) * 100, 0, 100),
      );
    }
    case 'minmax': {
      const min = Math.min(...present);
      const max = Math.max(...present);
      return values.map((v) => {
        if (v === null || !Number.isFinite(v)) return null;
        if (max === min) return 50;
        const s = ((v - min) / (max - min)) * 100;
        return ind.direction === 1 ? s : 100 - s;
      });
    }
    case 'zscore': {
      const n = present.length;
      const mean = present.reduce((a, b) => a + b, 0) / (n || 1);
      // population standard deviation: the comparison set is every unit, not a sample of them
      const sd = Math.sqrt(present.reduce((a, b) => a + (b - mean) ** 2, 0) / (n || 1));
      return values.map((v) =>
        v === null || !Number.isFinite(v)
          ? null
          : sd === 0
            ? 50
            : 50 + 10 * ind.direction * ((v - mean) / sd),
      );
    }
  }
}

/** Fills the gaps of one normalised column by the treatment (`reweight` leaves them for aggregation). */
export function treatMissing(
  normalised: readonly (number | null)[],
  treatment: MissingTreatment,
): { values: (number | null)[]; imputed: boolean[] } {
  const present = normalised.filter((v): v is number => v !== null);
  const mean = present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
  const values = normalised.map((v) => {
    if (v !== null) return v;
    if (treatment === 'zero') return 0;
    if (treatment === 'mean') return mean;
    return null;
  });
  return { values, imputed: normalised.map((v, i) => v === null && values[i] !== null) };
}

/** The geometric mean counts scores below 1 (of 100) as 1, so one zero does not wipe out the whole [inference]. */
export const GEOMETRIC_FLOOR = 1;

/**
 * Weighted mean of the values present; the weights of missing values are shared out over the rest.
 * Returns null when nothing is present, and the weights as applied (summing to 1 over present values).
 */
export function aggregate(
  values: readonly (number | null)[],
  weights: readonly number[],
  method: Aggregation,
): { value: number | null; score: number | null; applied: number[] } {
  let total = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== null) total += weights[i]!;
  const applied = values.map((v, i) => (v === null || total <= 0 ? 0 : weights[i]! / total));
  if (total <= 0) return { value: null, score: null, applied };
  if (method === 'arithmetic') {
    let s = 0;
    for (let i = 0; i < values.length; i++) if (values[i] !== null) s += applied[i]! * values[i]!;
    return { value: s, score: s, applied };
  }
  let l = 0;
  for (let i = 0; i < values.length; i++)
    if (values[i] !== null) l += applied[i]! * Math.log(Math.max(GEOMETRIC_FLOOR, values[i]!));
  const g = Math.exp(l);
  return { value: g, score: g, applied };
}

/** Competition ranking (1 = highest score; ties share the better rank; nulls unranked). */
export function rankScores(scores: readonly (number | null)[]): (number | null)[] {
  const eps = 1e-9;
  const order = scores
    .map((s, i) => [s, i] as const)
    .filter((x): x is readonly [number, number] => x[0] !== null)
    .sort((a, b) => b[0] - a[0]);
  const ranks = new Array<number | null>(scores.length).fill(null);
  let rank = 1;
  order.forEach(([s, i], k) => {
    // a score within eps of the one before shares its rank (1, 2, 2, 4)
    if (k > 0 && order[k - 1]![0] - s > eps) rank = k + 1;
    ranks[i] = rank;
  });
  return ranks;
}

export function gateResult(gate: Gate, raw: Record<string, number | null>): GateResult {
  const values = gate.anyOf.map((c) => raw[c.metric] ?? null);
  let unknown = false;
  for (let i = 0; i < gate.anyOf.length; i++) {
    const c = gate.anyOf[i]!;
    const v = values[i];
    if (v === null || v === undefined) {
      unknown = true;
      continue;
    }
    const ok =
      c.op === '>='
        ? v >= c.threshold
        : c.op === '>'
          ? v > c.threshold
          : c.op === '<='
            ? v <= c.threshold
            : v < c.threshold;
    if (ok) return { key: gate.key, pass: true, values };
  }
  return { key: gate.key, pass: unknown ? null : false, values };
}

export function bandOf(fw: Pick<IndexFramework, 'bands'>, score: number | null): string | null {
  if (score === null) return null;
  const sorted = [...fw.bands].sort((a, b) => b.min - a.min);
  return sorted.find((b) => score >= b.min)?.label ?? null;
}

export function defaultChoices(fw: IndexFramework): Choices {
  return {
    normalisation: fw.normalisation,
    aggregation: fw.aggregation,
    dimensionWeights: Object.fromEntries(fw.dimensions.map((d) => [d.key, d.weight])),
  };
}

/** Each row's normalised (and missing-treated) value per indicator, framework order. */
export function normalisedMatrix(
  fw: IndexFramework,
  rows: readonly IndexRow[],
  normalisation: Normalisation,
): { values: (number | null)[][]; imputed: boolean[][] } {
  const cols = fw.indicators.map((ind) =>
    treatMissing(
      normalise(
        rows.map((r) => r.raw[ind.metric] ?? null),
        ind,
        normalisation,
      ),
      fw.missing,
    ),
  );
  return {
    values: rows.map((_, r) => cols.map((c) => c.values[r]!)),
    imputed: rows.map((_, r) => cols.map((c) => c.imputed[r]!)),
  };
}

export interface DimensionScores {
  /** per row, per dimension (framework order) */
  scores: (number | null)[][];
  /** per row, per dimension: the weights applied to its indicators (missing ones reweighted) */
  within: number[][][];
  /** per dimension: the indices of its indicators */
  members: number[][];
}

/** Indicators → dimensions. Depends on the normalisation and aggregation only, not on dimension weights. */
export function dimensionScores(
  fw: IndexFramework,
  normalised: readonly (readonly (number | null)[])[],
  aggregation: Aggregation,
): DimensionScores {
  const members = fw.dimensions.map((d) =>
    fw.indicators.flatMap((ind, i) => (ind.dimension === d.key ? [i] : [])),
  );
  const weights = members.map((idx) => idx.map((i) => fw.indicators[i]!.weight));
  const scores: (number | null)[][] = [];
  const within: number[][][] = [];
  for (const row of normalised) {
    const s: (number | null)[] = [];
    const w: number[][] = [];
    members.forEach((idx, k) => {
      const agg = aggregate(
        idx.map((i) => row[i]!),
        weights[k]!,
        aggregation,
      );
      s.push(agg.value);
      w.push(agg.applied);
    });
    scores.push(s);
    within.push(w);
  }
  return { scores, within, members };
}

/** Dimensions → index with the given dimension weights. */
export function compositeScores(
  fw: IndexFramework,
  dims: readonly (readonly (number | null)[])[],
  dimensionWeights: Record<string, number>,
  aggregation: Aggregation,
): { score: number | null; applied: number[] }[] {
  const w = fw.dimensions.map((d) => dimensionWeights[d.key] ?? 0);
  return dims.map((row) => aggregate(row, w, aggregation));
}

/** Row indices grouped by period (ranks are within a period). */
export function periodGroups(rows: readonly IndexRow[]): number[][] {
  const byPeriod = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const g = byPeriod.get(row.period);
    if (g) g.push(i);
    else byPeriod.set(row.period, [i]);
  });
  return [...byPeriod.values()];
}

export function ranksWithin(
  scores: readonly (number | null)[],
  groups: readonly number[][],
): (number | null)[] {
  const ranks = new Array<number | null>(scores.length).fill(null);
  for (const idx of groups) {
    const rk = rankScores(idx.map((i) => scores[i]!));
    idx.forEach((i, k) => (ranks[i] = rk[k]!));
  }
  return ranks;
}

/**
 * Computes the index over one comparison set (all rows of one level and frequency: normalisation
 * pools every unit and period so that scores compare over time; ranks are within each period).
 */
export function computeIndex(
  fw: IndexFramework,
  rows: readonly IndexRow[],
  choices = defaultChoices(fw),
): RowResult[] {
  const norm = normalisedMatrix(fw, rows, choices.normalisation);
  const dims = dimensionScores(fw, norm.values, choices.aggregation);
  const top = compositeScores(fw, dims.scores, choices.dimensionWeights, choices.aggregation);
  const ranks = ranksWithin(
    top.map((t) => t.score),
    periodGroups(rows),
  );
  return rows.map((row, r) => {
    const score = top[r]!.score;
    const indicators: IndicatorResult[] = fw.indicators.map((ind, i) => ({
      key: ind.key,
      raw: row.raw[ind.metric] ?? null,
      normalised: norm.values[r]![i]!,
      imputed: norm.imputed[r]![i]!,
      weight: 0,
      contribution: 0,
    }));
    dims.members.forEach((idx, k) => {
      idx.forEach((i, j) => (indicators[i]!.weight = top[r]!.applied[k]! * dims.within[r]![k]![j]!));
    });
    contributions(indicators, score, choices.aggregation);
    return {
      id: row.id,
      unit: row.unit,
      period: row.period,
      firms: row.firms,
      indicators,
      dimensions: fw.dimensions.map((d, k) => ({
        key: d.key,
        score: dims.scores[r]![k]!,
        weight: top[r]!.applied[k]!,
      })),
      score,
      rank: ranks[r]!,
      band: bandOf(fw, score),
      gates: fw.gates.map((g) => gateResult(g, row.raw)),
    };
  });
}

/**
 * Splits a score into the indicators' contributions: arithmetic — weight × normalised value; geometric —
 * each indicator's share of log(score) (weight × log value), so the contributions still add up to the score.
 */
function contributions(indicators: IndicatorResult[], score: number | null, method: Aggregation) {
  if (score === null) return;
  if (method === 'arithmetic') {
    for (const c of indicators) c.contribution = c.normalised === null ? 0 : c.weight * c.normalised;
    return;
  }
  const logs = indicators.map((c) =>
    c.normalised === null || c.weight === 0
      ? 0
      : c.weight * Math.log(Math.max(GEOMETRIC_FLOOR, c.normalised)),
  );
  const total = logs.reduce((a, b) => a + b, 0);
  indicators.forEach((c, i) => {
    c.contribution = total > 0 ? (score * logs[i]!) / total : score * c.weight;
  });
}
