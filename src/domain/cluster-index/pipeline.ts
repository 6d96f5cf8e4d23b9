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
): { value: number | null; applied: number[] } {
  let total = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== null) total += weights[i]!;
  const applied = values.map((v, i) => (v === null || total <= 0 ? 0 : weights[i]! / total));
  if (total <= 0) return { value: null, applied };
  if (method === 'arithmetic') {
    let s = 0;
    for (let i = 0; i < values.length; i++) if (values[i] !== null) s += applied[i]! * values[i]!;
    return { value: s, applied };
  }
  let l = 0;
  for (let i = 0; i < values.length; i++)
    if (values[i] !== null) l += applied[i]! * Math.log(Math.max(GEOMETRIC_FLOOR, values[i]!));
  return { value: Math.exp(l), applied };
}

/** Competition ranking (1 = highest score; ties share the better rank; nulls unranked). */
export function rankScores(scores: readonly (number | null)[]): (number | null)[] {
  const eps = 1e-9;
  return scores.map((s) => {
    if (s === null) return null;
    let better = 0;
    for (const o of scores) if (o !== null && o > s + eps) better++;
    return better + 1;
  });
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

/**
 * Computes the index over one comparison set (all rows of one level and frequency: normalisation
 * pools every unit and period so that scores compare over time; ranks are within each period).
 */
export function computeIndex(
  fw: IndexFramework,
  rows: readonly IndexRow[],
  choices = defaultChoices(fw),
): RowResult[] {
  const norm = fw.indicators.map((ind) => {
    const n = normalise(
      rows.map((r) => r.raw[ind.metric] ?? null),
      ind,
      choices.normalisation,
    );
    return treatMissing(n, fw.missing);
  });
  const scores: (number | null)[] = [];
  const partial = rows.map((row, r) => {
    const dims = fw.dimensions.map((d) => {
      const idx = fw.indicators.flatMap((ind, i) => (ind.dimension === d.key ? [i] : []));
      const agg = aggregate(
        idx.map((i) => norm[i]!.values[r]!),
        idx.map((i) => fw.indicators[i]!.weight),
        choices.aggregation,
      );
      return { key: d.key, idx, score: agg.value, within: agg.applied };
    });
    const top = aggregate(
      dims.map((d) => d.score),
      dims.map((d) => choices.dimensionWeights[d.key] ?? 0),
      choices.aggregation,
    );
    scores.push(top.value);
    return { row, r, dims, top };
  });
  const ranks = new Array<number | null>(rows.length).fill(null);
  const byPeriod = new Map<string, number[]>();
  rows.forEach((row, i) => byPeriod.set(row.period, [...(byPeriod.get(row.period) ?? []), i]));
  for (const idx of byPeriod.values()) {
    const rk = rankScores(idx.map((i) => scores[i]!));
    idx.forEach((i, k) => (ranks[i] = rk[k]!));
  }
  return partial.map(({ row, r, dims, top }) => {
    const score = top.value;
    const indicators: IndicatorResult[] = fw.indicators.map((ind, i) => ({
      key: ind.key,
      raw: row.raw[ind.metric] ?? null,
      normalised: norm[i]!.values[r]!,
      imputed: norm[i]!.imputed[r]!,
      weight: 0,
      contribution: 0,
    }));
    dims.forEach((d, k) => {
      d.idx.forEach((i, j) => (indicators[i]!.weight = top.applied[k]! * d.within[j]!));
    });
    contributions(indicators, score, choices.aggregation);
    return {
      id: row.id,
      unit: row.unit,
      period: row.period,
      firms: row.firms,
      indicators,
      dimensions: dims.map((d, k) => ({ key: d.key, score: d.score, weight: top.applied[k]! })),
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
