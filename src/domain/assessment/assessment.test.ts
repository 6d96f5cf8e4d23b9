import { describe, expect, it } from 'vitest';
import {
  assess,
  redBlackLists,
  schemeProblems,
  type AssessmentScheme,
  type CountyFacts,
} from './assessment.ts';

const scheme: AssessmentScheme = {
  key: 't',
  version: 1,
  cap: 1,
  tierBoundsYiYuan: [1000, 500],
  vetoItems: [{ key: 'energy', nameZh: '节能', source: 'x' }],
  advanced: { perTier: 1, minScore: 60 },
  listSize: 1,
  dimensions: [
    {
      key: 'q',
      nameZh: '质量',
      weight: 60,
      indicators: [
        {
          key: 'g',
          nameZh: '增速',
          unit: '%',
          direction: 'higher',
          source: 's',
          base: 0,
          target: 10,
          basis: 'b',
          process: true,
        },
      ],
    },
    {
      key: 'w',
      nameZh: '工作',
      weight: 40,
      indicators: [
        {
          key: 'e',
          nameZh: '能耗',
          unit: 't',
          direction: 'lower',
          source: 's',
          base: 1,
          target: 0.5,
          basis: 'b',
        },
        {
          key: 'r',
          nameZh: '按时率',
          unit: '%',
          direction: 'higher',
          source: 's',
          base: 80,
          target: 100,
          basis: 'b',
          process: true,
        },
      ],
    },
  ],
};

const county = (
  code: string,
  out: number,
  g: number | null,
  e: number | null,
  r: number | null,
): CountyFacts => ({
  regionCode: code,
  name: code,
  outputPrevYiYuan: out,
  values: Object.fromEntries(
    Object.entries({ g, e, r }).map(([k, v]) => [
      k,
      {
        value: v,
        provenance: { source: 's', basis: 'b', inputs: {}, refs: [] },
        ...(v === null ? { missing: '未填报' } : {}),
      },
    ]),
  ),
});

describe('a whole assessment', () => {
  // A (big tier): g 10 → 1 × 60; e 0.75 → 0.5 × 20; r 90 → 0.5 × 20 → 60 + 10 + 10 = 80
  // B (big tier): g 5 → 30; e 1 → 0; r 100 → 20 → 50
  // C (small tier): g null → 0; e 0.5 → 20; r 70 → 0 → 20 (missing named)
  const facts = [
    county('A', 1200, 10, 0.75, 90),
    county('B', 1500, 5, 1, 100),
    county('C', 100, null, 0.5, 70),
  ];

  it('scores with indicator weights in points of 100, ranks within tiers, names 先进单位', () => {
    const r = assess(scheme, facts, []);
    const by = Object.fromEntries(r.counties.map((c) => [c.regionCode, c]));
    expect(by.A!.total).toBeCloseTo(80, 12);
    expect(by.B!.total).toBeCloseTo(50, 12);
    expect(by.C!.total).toBeCloseTo(20, 12);
    expect(by.A!.indicators.map((i) => i.weight)).toEqual([60, 20, 20]);
    expect(by.A!.indicators.reduce((a, i) => a + i.points, 0)).toBeCloseTo(by.A!.total, 12);
    expect([by.A!.rank, by.B!.rank, by.C!.rank]).toEqual([1, 2, 1]);
    // C is first of its tier but below 60 points: not 先进单位
    expect(r.counties.filter((c) => c.advanced).map((c) => c.regionCode)).toEqual(['A']);
    expect(by.C!.indicators[0]!.missing).toBe('未填报');
    // ±5 on each of two dimensions: 4 runs, weights still summing to 100
    expect(r.sensitivity).toHaveLength(4);
    for (const s of r.sensitivity)
      expect(Object.values(s.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
  });

  it('a veto keeps the county out of 先进单位 and last in its tier', () => {
    const r = assess(scheme, facts, [
      { regionCode: 'A', kind: 'veto', points: 0, reason: '未完成节能任务', item: 'energy' },
    ]);
    const a = r.counties.find((c) => c.regionCode === 'A')!;
    expect([a.total, a.rank, a.advanced, a.vetoed]).toEqual([0, 2, false, true]);
  });

  it('红黑榜: best with points on red, worst short of the target on black, never both', () => {
    const lists = redBlackLists(scheme, facts);
    expect(lists.map((l) => l.indicator)).toEqual(['g', 'r']);
    // g: A 10, B 5 (C missing) → red A, black B
    expect(lists[0]!.red.map((x) => x.regionCode)).toEqual(['A']);
    expect(lists[0]!.black.map((x) => x.regionCode)).toEqual(['B']);
    // r: B 100 (met), A 90, C 70 → red B, black C
    expect(lists[1]!.red.map((x) => x.regionCode)).toEqual(['B']);
    expect(lists[1]!.black.map((x) => x.regionCode)).toEqual(['C']);
  });

  it('refuses a scheme whose weights do not sum to 100 or whose target contradicts its direction', () => {
    expect(schemeProblems(scheme)).toEqual([]);
    const bad = structuredClone(scheme);
    bad.dimensions[0]!.weight = 50;
    bad.dimensions[1]!.indicators[0]!.target = 2;
    expect(schemeProblems(bad)).toEqual([
      '维度权重合计应为 100（现为 90）',
      '指标“能耗”的目标值与方向不符（越低越好）',
    ]);
  });

  it('per-county base/target: a county is scored on progress against its own base, ranked city-wide', () => {
    const own = structuredClone(scheme);
    own.ranking = 'citywide';
    // C (small) grows from its own base 0 → target 4: g 3 → 0.75 × 60 = 45 (instead of null → 0 it has 3 now)
    own.dimensions[0]!.indicators[0]!.counties = { C: { base: 0, target: 4 }, B: { base: 4, target: 14 } };
    const facts2 = [
      county('A', 1200, 10, 0.75, 90),
      county('B', 1500, 5, 1, 100),
      county('C', 100, 3, 0.5, 70),
    ];
    const r = assess(own, facts2, []);
    const by = Object.fromEntries(r.counties.map((c) => [c.regionCode, c]));
    // A: city line 0 → 10: 60 + 10 + 10 = 80
    expect(by.A!.total).toBeCloseTo(80, 12);
    // B: own line 4 → 14, value 5: (5 − 4)/10 = 0.1 × 60 = 6; e 0; r 20 → 26
    expect(by.B!.total).toBeCloseTo(26, 12);
    const bg = by.B!.indicators.find((i) => i.key === 'g')!;
    expect([bg.base, bg.target, bg.share]).toEqual([4, 14, 0.1]);
    // C: own line 0 → 4, value 3: 0.75 × 60 = 45; e 20; r 0 → 65
    expect(by.C!.total).toBeCloseTo(65, 12);
    // one city-wide ranking (no size tiers): A 80, C 65, B 26
    expect([by.A!.rank, by.C!.rank, by.B!.rank]).toEqual([1, 2, 3]);
    expect(new Set(r.counties.map((c) => c.tier))).toEqual(new Set(['全市']));
    // 红黑榜 on own lines (list size 1): A on red; the lowest short of its own target (C, 3 of 4) on black
    const g = redBlackLists(own, facts2)[0]!;
    expect(g.red.map((x) => x.regionCode)).toEqual(['A']);
    expect(g.black.map((x) => x.regionCode)).toEqual(['C']);
  });

  it('checks every county line too', () => {
    const own = structuredClone(scheme);
    own.dimensions[0]!.indicators[0]!.counties = { C: { base: 5, target: 5 }, B: { base: 4, target: 1 } };
    expect(schemeProblems(own)).toEqual([
      '指标“增速”（C）的目标值不能等于基数值',
      '指标“增速”（B）的目标值与方向不符（越高越好）',
    ]);
  });
});
