import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { concentration, concentrationFromSums, locationQuotient, shiftShare } from './structure.ts';

describe('location quotient', () => {
  it('matches the REAT::locq reference example', () => {
    expect(locationQuotient(1714, 79006, 879213, 15593224)).toBeCloseTo(0.3847623, 7);
  });
  it('is 1 when the region mirrors the reference, and null on empty totals', () => {
    expect(locationQuotient(30, 100, 300, 1000)).toBeCloseTo(1, 12);
    expect(locationQuotient(0, 0, 300, 1000)).toBeNull();
    expect(locationQuotient(1, 10, 0, 1000)).toBeNull();
    expect(locationQuotient(Number.NaN, 10, 1, 1000)).toBeNull();
  });
  it('averages to 1 over the regions of the reference economy, weighted by their totals', () => {
    const region = fc.record({
      industry: fc.integer({ min: 0, max: 1000 }),
      other: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(region, { minLength: 1, maxLength: 8 }), (regions) => {
        const E_i = regions.reduce((s, r) => s + r.industry, 0);
        const E = regions.reduce((s, r) => s + r.industry + r.other, 0);
        fc.pre(E_i > 0);
        const weighted = regions.reduce((s, r) => {
          const e_j = r.industry + r.other;
          return s + (e_j / E) * locationQuotient(r.industry, e_j, E_i, E)!;
        }, 0);
        expect(weighted).toBeCloseTo(1, 9);
      }),
    );
  });
});

describe('concentration', () => {
  it('computes HHI, its standardised form, the equivalent number and the top-N share by hand', () => {
    const c = concentration([20, 50, 30, 0, -5], 2)!;
    expect(c.n).toBe(3);
    expect(c.hhi).toBeCloseTo(0.38, 12); // .5² + .3² + .2²
    expect(c.hhiNormalised).toBeCloseTo((0.38 - 1 / 3) / (2 / 3), 12);
    expect(c.equivalentNumber).toBeCloseTo(1 / 0.38, 12);
    expect(c.topShare).toBeCloseTo(0.8, 12);
  });
  it('is null with nothing positive, and 1 for a single firm', () => {
    expect(concentration([])).toBeNull();
    expect(concentration([0, -1])).toBeNull();
    expect(concentration([7])).toMatchObject({ hhi: 1, hhiNormalised: null, topShare: 1 });
  });
  it('keeps HHI within [1/n, 1] and the top-N share within [N/n, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        (xs, k) => {
          const c = concentration(xs, k)!;
          expect(c.hhi).toBeGreaterThanOrEqual(1 / c.n - 1e-12);
          expect(c.hhi).toBeLessThanOrEqual(1 + 1e-12);
          expect(c.topShare).toBeGreaterThanOrEqual(Math.min(k, c.n) / c.n - 1e-9);
          expect(c.topShare).toBeLessThanOrEqual(1 + 1e-12);
        },
      ),
    );
  });
});

describe('concentration from sums', () => {
  it('equals concentration over the values themselves', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        (xs, k) => {
          const sorted = [...xs].sort((a, b) => b - a);
          const fromSums = concentrationFromSums(
            {
              n: xs.length,
              total: xs.reduce((s, v) => s + v, 0),
              sumSquares: xs.reduce((s, v) => s + v * v, 0),
              top: sorted.slice(0, k),
            },
            k,
          )!;
          const direct = concentration(xs, k)!;
          expect(fromSums.n).toBe(direct.n);
          expect(fromSums.hhi).toBeCloseTo(direct.hhi, 9);
          expect(fromSums.topShare).toBeCloseTo(direct.topShare, 9);
          expect(fromSums.equivalentNumber / direct.equivalentNumber).toBeCloseTo(1, 9);
          if (direct.hhiNormalised === null) expect(fromSums.hhiNormalised).toBeNull();
          else expect(fromSums.hhiNormalised!).toBeCloseTo(direct.hhiNormalised, 6);
        },
      ),
    );
  });
  it('is null with no firms, and 1 for a single firm', () => {
    expect(concentrationFromSums({ n: 0, total: 0, sumSquares: 0, top: [] })).toBeNull();
    expect(concentrationFromSums({ n: 1, total: 7, sumSquares: 49, top: [7] })).toMatchObject({
      hhi: 1,
      hhiNormalised: null,
      topShare: 1,
    });
  });
});

describe('shift-share', () => {
  it('decomposes a hand-computed example', () => {
    const s = shiftShare([
      { key: 'A', regionBase: 100, regionCurrent: 120, referenceBase: 1000, referenceCurrent: 1100 },
      { key: 'B', regionBase: 50, regionCurrent: 50, referenceBase: 1000, referenceCurrent: 1300 },
    ]);
    expect(s.referenceTotalGrowth).toBeCloseTo(0.2, 12);
    const [a, b] = s.components;
    expect(a).toMatchObject({ change: 20 });
    expect(a!.referenceGrowth).toBeCloseTo(20, 9);
    expect(a!.industryMix).toBeCloseTo(-10, 9);
    expect(a!.regionalShare).toBeCloseTo(10, 9);
    expect(b!.referenceGrowth).toBeCloseTo(10, 9);
    expect(b!.industryMix).toBeCloseTo(5, 9);
    expect(b!.regionalShare).toBeCloseTo(-15, 9);
    expect(s.total.change).toBe(20);
  });
  it('uses a given reference total for G', () => {
    const s = shiftShare(
      [{ key: 'A', regionBase: 10, regionCurrent: 12, referenceBase: 100, referenceCurrent: 110 }],
      { base: 1000, current: 1050 },
    );
    expect(s.referenceTotalGrowth).toBeCloseTo(0.05, 12);
    expect(s.components[0]!.referenceGrowth).toBeCloseTo(0.5, 12);
    expect(s.components[0]!.industryMix).toBeCloseTo(0.5, 12);
    expect(s.components[0]!.regionalShare).toBeCloseTo(1, 12);
  });
  it('always adds up: NS + IM + RS = actual change, per industry and in total', () => {
    const v = fc.double({ min: 0, max: 1e6, noNaN: true });
    const row = fc.record({
      key: fc.string(),
      regionBase: v,
      regionCurrent: v,
      referenceBase: v,
      referenceCurrent: v,
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), (rows) => {
        const s = shiftShare(rows);
        for (const c of [...s.components, s.total]) {
          const scale = Math.max(1, Math.abs(c.change), Math.abs(c.referenceGrowth), Math.abs(c.industryMix));
          expect(
            Math.abs(c.referenceGrowth + c.industryMix + c.regionalShare - c.change) / scale,
          ).toBeLessThan(1e-9);
        }
      }),
    );
  });
});
