import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cagr, meets, seasonalProjection, targetProgress, trendProjection } from './targets.ts';

const spec = { goal: 200, comparator: '>=' as const, deadlineYear: 2025, baselineYear: 2020 };
const tenPercent = [
  { year: 2020, value: 100 },
  { year: 2021, value: 110 },
  { year: 2022, value: 121 },
  { year: 2023, value: 133.1 },
];

describe('target progress', () => {
  it('computes needed vs achieved growth and a trend projection by hand', () => {
    const p = targetProgress(spec, tenPercent, '2024-05');
    expect(p.actual).toBe(133.1);
    expect(p.actualYear).toBe(2023);
    expect(p.progress).toBeCloseTo(0.6655, 12);
    expect(p.growthNeeded).toBeCloseTo(2 ** 0.2 - 1, 12); // 14.87 % a year from 100 to 200 in 5 years
    expect(p.growthAchieved).toBeCloseTo(0.1, 12);
    expect(p.growthNeededFromNow).toBeCloseTo(Math.sqrt(200 / 133.1) - 1, 12);
    // exactly 10 % every year: no spread, so the band collapses onto 133.1 × 1.1²
    expect(p.projection?.value).toBeCloseTo(161.051, 9);
    expect(p.projection?.low).toBeCloseTo(161.051, 9);
    expect(p.projection?.method).toBe('trend');
    expect(p.status).toBe('off_track');
    expect(p.deadlinePassed).toBe(false);
  });

  it('judges a past deadline on the deadline year, ignoring later years', () => {
    const done = [
      ...tenPercent,
      { year: 2024, value: 180 },
      { year: 2025, value: 205 },
      { year: 2026, value: 150 },
    ];
    const p = targetProgress(spec, done, '2026-10');
    expect(p.deadlinePassed).toBe(true);
    expect(p.status).toBe('achieved');
    expect(p.actual).toBe(205);
    expect(p.projection).toBeNull();
    const missed = targetProgress(spec, [...tenPercent, { year: 2025, value: 199.9 }], '2026-01');
    expect(missed.status).toBe('missed');
    expect(targetProgress(spec, tenPercent, '2026-01').status).toBe('no_data');
    // December of the deadline year closes it
    expect(targetProgress(spec, [...tenPercent, { year: 2025, value: 250 }], '2025-12').status).toBe(
      'achieved',
    );
  });

  it('projects the deadline year in progress from 累计 and the seasonal ratios of earlier years', () => {
    const p = targetProgress(spec, [...tenPercent, { year: 2024, value: 180 }], '2025-06', {
      year: 2025,
      month: 6,
      ytd: 95,
      fullOverYtdRatios: [2, 2.1, 2.2],
    });
    expect(p.projection?.method).toBe('seasonal');
    expect(p.projection?.value).toBeCloseTo(95 * 2.1, 9);
    const spread = 1.2815515655446004 * 0.1 * Math.sqrt(1 + 1 / 3);
    expect(p.projection?.low).toBeCloseTo(95 * (2.1 - spread), 9);
    expect(p.projection?.high).toBeCloseTo(95 * (2.1 + spread), 9);
    expect(p.status).toBe('at_risk'); // 199.5 central, the band reaches 200
  });

  it('gives no band from fewer than three growth observations', () => {
    const pr = trendProjection(
      [
        { year: 2022, value: 100 },
        { year: 2023, value: 120 },
      ],
      2025,
    )!;
    expect(pr.value).toBeCloseTo(172.8, 9); // 120 × 1.2²
    expect(pr.low).toBeNull();
    expect(pr.observations).toBe(1);
    expect(seasonalProjection({ year: 2025, month: 3, ytd: 10, fullOverYtdRatios: [4] })?.high).toBeNull();
  });

  it('counts (leading-enterprise ladders) are compared, not projected', () => {
    const p = targetProgress({ ...spec, goal: 5, kind: 'count' }, [{ year: 2025, value: 3 }], '2026-02');
    expect(p).toMatchObject({
      actual: 3,
      progress: 0.6,
      growthNeeded: null,
      projection: null,
      status: 'missed',
    });
    expect(targetProgress({ ...spec, goal: null }, tenPercent, '2024-01').status).toBe('no_goal');
  });

  it('knows every comparator', () => {
    expect(meets(5, 5, '>=')).toBe(true);
    expect(meets(5, 5, '>')).toBe(false);
    expect(meets(4, 5, '<')).toBe(true);
    expect(meets(5.2, 5, '≈')).toBe(true);
    expect(meets(5.4, 5, '≈')).toBe(false);
    expect(meets(6, null, 'increase', 5)).toBe(true);
    expect(meets(6, null, 'decrease', 5)).toBe(false);
    expect(cagr(0, 10, 3)).toBeNull();
  });

  it('band always brackets the central projection, and the needed growth reaches the goal', () => {
    const series = fc.array(fc.double({ min: 1, max: 1e5, noNaN: true }), { minLength: 2, maxLength: 8 });
    fc.assert(
      fc.property(
        series,
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        (values, h, goal) => {
          const history = values.map((value, i) => ({ year: 2015 + i, value }));
          const pr = trendProjection(history, 2015 + values.length - 1 + h)!;
          if (pr.low != null && pr.high != null) {
            expect(pr.low).toBeLessThanOrEqual(pr.value * (1 + 1e-12));
            expect(pr.high).toBeGreaterThanOrEqual(pr.value * (1 - 1e-12));
          }
          const g = cagr(values[0]!, goal, h)!;
          expect(values[0]! * (1 + g) ** h).toBeCloseTo(goal, 6 - Math.ceil(Math.log10(goal)));
        },
      ),
    );
  });
});
