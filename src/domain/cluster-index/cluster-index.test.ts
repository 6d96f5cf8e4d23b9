// The hand-computed small case of issue 19: 3 units, 4 indicators in 2 dimensions, every normalisation
// and aggregation worked out in the comments; then missing data, gates, and the seeded Monte Carlo.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  aggregate,
  checkFramework,
  computeIndex,
  mulberry32,
  normalise,
  quantile,
  rankScores,
  uncertainty,
  type IndexFramework,
  type IndexRow,
} from './index.ts';

const ind = (key: string, dimension: string, base: number, target: number, direction: 1 | -1 = 1) => ({
  key,
  name: key,
  nameEn: key,
  dimension,
  metric: key,
  unit: '',
  direction,
  weight: 1,
  base,
  target,
  source: 'test',
});

/**
 * Dimensions A (i1, i2) and B (i3, i4), half the weight each; indicators equal within a dimension.
 *   raw        i1  i2  i3  i4 (less is better)
 *   U1         10   4   1  30
 *   U2         20   2   1  10
 *   U3         30   0   4  20
 * target method: i1 0→40, i2 0→4, i3 0→2 (capped), i4 40→0
 *   U1 25 100  50 25 | U2 50 50 50 75 | U3 75 0 100 50
 */
const FW: IndexFramework = {
  name: 't',
  nameEn: 't',
  description: '',
  dimensions: [
    { key: 'A', name: 'A', nameEn: 'A', weight: 0.5, source: '' },
    { key: 'B', name: 'B', nameEn: 'B', weight: 0.5, source: '' },
  ],
  indicators: [ind('i1', 'A', 0, 40), ind('i2', 'A', 0, 4), ind('i3', 'B', 0, 2), ind('i4', 'B', 40, 0, -1)],
  normalisation: 'target',
  aggregation: 'arithmetic',
  missing: 'reweight',
  gates: [
    {
      key: 'g',
      name: 'g',
      nameEn: 'g',
      anyOf: [
        { metric: 'i1', op: '>=', threshold: 20 },
        { metric: 'i3', op: '>', threshold: 3 },
      ],
      source: '',
    },
  ],
  bands: [
    { min: 55, label: '核心区', labelEn: 'core' },
    { min: 0, label: '培育', labelEn: 'nurture' },
  ],
  uncertainty: {
    runs: 400,
    seed: 7,
    weightSpread: 0.25,
    normalisations: ['target', 'minmax', 'zscore'],
    aggregations: ['arithmetic', 'geometric'],
  },
  minFirms: 3,
  sources: [],
};

const row = (id: string, raw: (number | null)[]): IndexRow => ({
  id,
  unit: id,
  period: '2025',
  firms: 10,
  raw: { i1: raw[0]!, i2: raw[1]!, i3: raw[2]!, i4: raw[3]! },
});
const ROWS = [row('U1', [10, 4, 1, 30]), row('U2', [20, 2, 1, 10]), row('U3', [30, 0, 4, 20])];
const scores = (fw: IndexFramework, rows = ROWS) => computeIndex(fw, rows).map((r) => r.score);

describe('normalisation', () => {
  it('target: linear base → target, capped, lower-is-better when the target is below the base', () => {
    expect(normalise([10, 20, 30], FW.indicators[0]!, 'target')).toEqual([25, 50, 75]);
    expect(normalise([1, 1, 4], FW.indicators[2]!, 'target')).toEqual([50, 50, 100]);
    expect(normalise([30, 10, 20, null], FW.indicators[3]!, 'target')).toEqual([25, 75, 50, null]);
  });
  it('min–max over the set, reversed for less-is-better', () => {
    expect(normalise([10, 20, 30], FW.indicators[0]!, 'minmax')).toEqual([0, 50, 100]);
    expect(normalise([30, 10, 20], FW.indicators[3]!, 'minmax')).toEqual([0, 100, 50]);
    expect(normalise([5, 5], FW.indicators[0]!, 'minmax')).toEqual([50, 50]);
  });
  it('z-score as 50 + 10·z with the population standard deviation', () => {
    // i1: mean 20, sd √(200/3) = 8.164966 → z = ∓1.224745 → 37.75255, 50, 62.24745
    const z = normalise([10, 20, 30], FW.indicators[0]!, 'zscore');
    expect(z[0]).toBeCloseTo(37.75255, 4);
    expect(z[1]).toBeCloseTo(50, 9);
    expect(z[2]).toBeCloseTo(62.24745, 4);
  });
});

describe('the hand-computed case', () => {
  it('target + arithmetic: A = (25+100)/2, B = (50+25)/2 → U1 50; U2 56.25; U3 56.25 (tied ranks)', () => {
    const res = computeIndex(FW, ROWS);
    expect(res.map((r) => r.score)).toEqual([50, 56.25, 56.25]);
    expect(res.map((r) => r.dimensions.map((d) => d.score))).toEqual([
      [62.5, 37.5],
      [50, 62.5],
      [37.5, 75],
    ]);
    expect(res.map((r) => r.rank)).toEqual([3, 1, 1]);
    expect(res.map((r) => r.band)).toEqual(['培育', '核心区', '核心区']);
    // contributions: weight ¼ each × normalised value: 6.25 + 25 + 12.5 + 6.25 = 50
    expect(res[0]!.indicators.map((c) => c.contribution)).toEqual([6.25, 25, 12.5, 6.25]);
    expect(res[0]!.indicators.map((c) => c.weight)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('target + geometric: U1 (25·100·50·25)^¼ = 42.0448, U2 (50·50·50·75)^¼ = 55.3341, U3 (75·1·100·50)^¼ = 24.7462', () => {
    // U3's i2 is 0 and counts as 1 in the geometric mean (the floor)
    const res = computeIndex({ ...FW, aggregation: 'geometric' }, ROWS);
    expect(res[0]!.score).toBeCloseTo(42.0448, 3);
    expect(res[1]!.score).toBeCloseTo(55.3341, 3);
    expect(res[2]!.score).toBeCloseTo(24.7462, 3);
    expect(res[2]!.dimensions[0]!.score).toBeCloseTo(Math.sqrt(75), 9);
    expect(res.map((r) => r.rank)).toEqual([2, 1, 3]);
    // the log shares still add up to the score
    for (const r of res)
      expect(r.indicators.reduce((a, c) => a + c.contribution, 0)).toBeCloseTo(r.score!, 9);
  });

  it('min–max + arithmetic: A 50, 50, 50; B 0, 50, 75 → 25, 50, 62.5', () => {
    expect(scores({ ...FW, normalisation: 'minmax' })).toEqual([25, 50, 62.5]);
    // and geometric: A U1 √(1·100) = 10 (i1 min 0 → 1); B U1 √(1·1) = 1 → U1 √10
    const g = scores({ ...FW, normalisation: 'minmax', aggregation: 'geometric' });
    expect(g[0]).toBeCloseTo(Math.sqrt(10), 9);
  });

  it('z-score + arithmetic: 45.17037, 51.29409, 53.53553', () => {
    // A: (37.75255 + 62.24745)/2 = 50 for every unit; B: U1 (42.92893 + 37.75255)/2 = 40.34074,
    // U2 (42.92893 + 62.24745)/2 = 52.58819, U3 (64.14214 + 50)/2 = 57.07107
    const s = scores({ ...FW, normalisation: 'zscore' });
    expect(s[0]).toBeCloseTo(45.17037, 4);
    expect(s[1]).toBeCloseTo(51.29409, 4);
    expect(s[2]).toBeCloseTo(53.53553, 4);
  });

  it('missing data: reweight shares the weight out; mean imputes (marked); zero scores 0', () => {
    const rows = [ROWS[0]!, ROWS[1]!, row('U3', [30, null, 4, 20])];
    const rw = computeIndex(FW, rows)[2]!;
    // A = i1 alone = 75; B = 75 → 75; i1 carries half the index
    expect(rw.score).toBe(75);
    expect(rw.indicators[0]!.weight).toBe(0.5);
    expect(rw.indicators[1]).toMatchObject({ raw: null, normalised: null, weight: 0, contribution: 0 });
    const mean = computeIndex({ ...FW, missing: 'mean' }, rows)[2]!;
    // i2 imputed as (100 + 50)/2 = 75 → A = 75, B = 75
    expect(mean.indicators[1]).toMatchObject({ normalised: 75, imputed: true });
    expect(mean.score).toBe(75);
    expect(computeIndex({ ...FW, missing: 'zero' }, rows)[2]!.score).toBe(56.25);
  });

  it('gates pass when any condition holds, are unknown without data, and never touch the score', () => {
    const res = computeIndex(FW, [...ROWS, row('U4', [null, 1, null, 1])]);
    expect(res.map((r) => r.gates[0]!.pass)).toEqual([false, true, true, null]);
    const noGates = computeIndex({ ...FW, gates: [] }, ROWS).map((r) => r.score);
    expect(noGates).toEqual([50, 56.25, 56.25]);
  });

  it('ranks within each period; normalisation pools the periods', () => {
    const rows = [
      ...ROWS,
      ...ROWS.map((r) => ({ ...r, id: `${r.id}-24`, period: '2024', raw: { ...r.raw, i1: r.raw.i1! / 2 } })),
    ];
    const res = computeIndex({ ...FW, normalisation: 'minmax' }, rows);
    expect(res.filter((r) => r.period === '2025').map((r) => r.rank)).toEqual([3, 2, 1]);
    // i1 min–max over both years: 5 → 0, 30 → 100
    expect(res.find((r) => r.id === 'U1-24')!.indicators[0]!.normalised).toBe(0);
  });
});

describe('aggregation and ranking properties', () => {
  it('the arithmetic mean lies between the smallest and largest value; geometric ≤ arithmetic', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 1, max: 100, noNaN: true }),
            fc.double({ min: 0.01, max: 5, noNaN: true }),
          ),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        (pairs) => {
          const v = pairs.map((p) => p[0]);
          const w = pairs.map((p) => p[1]);
          const a = aggregate(v, w, 'arithmetic').value!;
          const g = aggregate(v, w, 'geometric').value!;
          expect(a).toBeGreaterThanOrEqual(Math.min(...v) - 1e-9);
          expect(a).toBeLessThanOrEqual(Math.max(...v) + 1e-9);
          expect(g).toBeLessThanOrEqual(a + 1e-9);
        },
      ),
    );
  });
  it('ranks: ties share the better rank, nulls stay unranked', () => {
    expect(rankScores([3, null, 5, 5, 1])).toEqual([3, null, 1, 1, 4]);
  });
  it('quantile interpolates between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.05)).toBeCloseTo(1.2, 9);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('Monte Carlo uncertainty and sensitivity', () => {
  it('gives the same bands for the same seed, and bands around the median', () => {
    const a = uncertainty(FW, ROWS);
    const b = uncertainty(FW, ROWS);
    expect(a).toEqual(b);
    for (const band of a.bands) {
      expect(band.p5Rank!).toBeLessThanOrEqual(band.medianRank!);
      expect(band.medianRank!).toBeLessThanOrEqual(band.p95Rank!);
      expect(band.p5Score!).toBeLessThanOrEqual(band.p95Score!);
    }
    expect(a.sensitivity.map((s) => s.factor)).toEqual([
      'normalisation',
      'aggregation',
      'weight:A',
      'weight:B',
    ]);
  });

  it('is stable: another seed with enough runs gives the same median ranks', () => {
    const a = uncertainty({ ...FW, uncertainty: { ...FW.uncertainty, runs: 2000, seed: 1 } }, ROWS);
    const b = uncertainty({ ...FW, uncertainty: { ...FW.uncertainty, runs: 2000, seed: 99 } }, ROWS);
    expect(a.bands.map((x) => x.medianRank)).toEqual(b.bands.map((x) => x.medianRank));
    a.bands.forEach((x, i) => expect(Math.abs(x.medianScore! - b.bands[i]!.medianScore!)).toBeLessThan(1.5));
  });

  it('collapses to the edition’s own ranks when there is no alternative', () => {
    const fixed = {
      ...FW,
      uncertainty: {
        runs: 50,
        seed: 3,
        weightSpread: 0,
        normalisations: ['minmax' as const],
        aggregations: ['arithmetic' as const],
      },
      normalisation: 'minmax' as const,
    };
    const u = uncertainty(fixed, ROWS);
    expect(u.bands.map((b) => [b.p5Rank, b.medianRank, b.p95Rank])).toEqual([
      [3, 3, 3],
      [2, 2, 2],
      [1, 1, 1],
    ]);
    expect(u.sensitivity.every((s) => s.firstOrder === 0 && s.meanAbsRankShift === 0)).toBe(true);
  });

  it('says the method choices move these ranks more than a dimension weight', () => {
    // target ranks U2=U3 > U1, min–max U3 > U2 > U1, geometric moves U3 to last: both matter, weights less
    const s = uncertainty(FW, ROWS).sensitivity;
    const byFactor = Object.fromEntries(s.map((x) => [x.factor, x]));
    expect(byFactor['aggregation']!.meanAbsRankShift).toBeGreaterThan(byFactor['weight:A']!.meanAbsRankShift);
    expect(byFactor['normalisation']!.firstOrder + byFactor['aggregation']!.firstOrder).toBeGreaterThan(
      byFactor['weight:A']!.firstOrder,
    );
  });

  it('draws uniformly in [0, 1) from its seed', () => {
    const r = mulberry32(42);
    const xs = Array.from({ length: 2000 }, r);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(0.03);
  });
});

describe('framework check', () => {
  it('accepts the test framework and names what is wrong', () => {
    expect(checkFramework(FW)).toEqual([]);
    const bad = { ...FW, indicators: [...FW.indicators, { ...FW.indicators[0]!, dimension: 'Z' }] };
    expect(checkFramework(bad, new Set(['i1', 'i2', 'i3'])).map((p) => p.path)).toEqual([
      'indicators[3].metric',
      'indicators[4].key',
      'indicators[4].dimension',
    ]);
  });
});
