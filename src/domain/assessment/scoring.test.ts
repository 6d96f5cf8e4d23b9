import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  indicatorShare,
  rankWithinTiers,
  scoreCounty,
  sizeTier,
  weightSensitivity,
  type Scheme,
} from './scoring.ts';

const scheme: Scheme = {
  key: 'test',
  version: 1,
  cap: 1,
  dimensions: [
    {
      key: 'quality',
      nameZh: '质量变革',
      weight: 20,
      indicators: [
        { key: 'mfgShare', nameZh: '制造业增加值占GDP', unit: '%', direction: 'higher', source: '统计局' },
      ],
    },
    {
      key: 'efficiency',
      nameZh: '效率变革',
      weight: 20,
      indicators: [
        {
          key: 'vaPerMu',
          nameZh: '亩均增加值',
          unit: '万元/亩',
          direction: 'higher',
          weight: 3,
          source: '经信局',
        },
        {
          key: 'energy',
          nameZh: '单位能耗',
          unit: 'tce/万元',
          direction: 'lower',
          weight: 1,
          source: '发改委',
        },
      ],
    },
    {
      key: 'momentum',
      nameZh: '动力变革',
      weight: 20,
      indicators: [{ key: 'rd', nameZh: '研发强度', unit: '%', direction: 'higher', source: '科技局' }],
    },
    {
      key: 'work',
      nameZh: '工作评价',
      weight: 40,
      indicators: [
        { key: 'tasks', nameZh: '集群工作任务完成率', unit: '%', direction: 'higher', source: '市转升办' },
      ],
    },
  ],
};

describe('indicator score: linear from 基数值 to 目标值, capped', () => {
  it('hand-computed points', () => {
    expect(indicatorShare({ value: 20, base: 15, target: 25 })).toBe(0.5); // 宁波's example: base 15 %, target 25 %
    expect(indicatorShare({ value: 30, base: 15, target: 25 })).toBe(1); // capped
    expect(indicatorShare({ value: 10, base: 15, target: 25 })).toBe(0); // below the base
    expect(indicatorShare({ value: null, base: 15, target: 25 })).toBe(0);
    expect(indicatorShare({ value: 0.45, base: 0.5, target: 0.4 })).toBeCloseTo(0.5, 12); // lower is better
    expect(indicatorShare({ value: 30, base: 15, target: 25 }, 1.2)).toBe(1.2); // a 120 % cap
  });
  it('property: never below 0 nor above the cap, and monotone in the value', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (v, d) => {
          const a = indicatorShare({ value: v, base: 0, target: 50 });
          const b = indicatorShare({ value: v + d, base: 0, target: 50 });
          return a >= 0 && a <= 1 && b >= a;
        },
      ),
    );
  });
});

describe('county score', () => {
  const inputs = {
    mfgShare: { value: 45, base: 40, target: 50 }, // 0.5
    vaPerMu: { value: 180, base: 150, target: 170 }, // capped 1
    energy: { value: 0.45, base: 0.5, target: 0.4 }, // 0.5
    rd: { value: 3.0, base: 2.5, target: 3.5 }, // 0.5
    tasks: { value: 90, base: 60, target: 100 }, // 0.75
  };
  it('weights dimensions 20/20/20/40 and indicators inside a dimension', () => {
    const s = scoreCounty(scheme, inputs);
    // quality 50; efficiency 0.75×100 + 0.25×50 = 87.5; momentum 50; work 75
    expect(s.dimensions.map((d) => d.score)).toEqual([50, 87.5, 50, 75]);
    // 0.2×50 + 0.2×87.5 + 0.2×50 + 0.4×75 = 67.5
    expect(s.total).toBeCloseTo(67.5, 12);
  });
  it('加扣分 add and take points; 一票否决 zeroes the total and ranks last', () => {
    const adjusted = scoreCounty(scheme, inputs, [
      { kind: 'bonus', points: 2, reason: '获评省级核心区' },
      { kind: 'penalty', points: 1, reason: '诉求超时' },
    ]);
    expect(adjusted.total).toBeCloseTo(68.5, 12);
    const vetoed = scoreCounty(scheme, inputs, [{ kind: 'veto', points: 0, reason: '未完成节能减排任务' }]);
    expect(vetoed.total).toBe(0);
    expect(vetoed.vetoed).toBe(true);
  });
});

describe('ranking within size tiers and weight sensitivity', () => {
  it('ranks within tiers; ties share the best rank; a veto ranks last', () => {
    const scores = new Map([
      ['A', { total: 80, vetoed: false }],
      ['B', { total: 70, vetoed: false }],
      ['C', { total: 90, vetoed: true }],
      ['D', { total: 60, vetoed: false }],
      ['E', { total: 60, vetoed: false }],
    ]);
    const tiers: Record<string, string> = { A: 'big', B: 'big', C: 'big', D: 'small', E: 'small' };
    const r = rankWithinTiers(scores, (k) => tiers[k]!);
    expect(r.get('A')!.rank).toBe(1);
    expect(r.get('B')!.rank).toBe(2);
    expect(r.get('C')!.rank).toBe(3);
    expect(r.get('D')!.rank).toBe(1);
    expect(r.get('E')!.rank).toBe(1);
    expect(sizeTier(1200)).toBe('≥1000');
    expect(sizeTier(600)).toBe('500–1000');
    expect(sizeTier(80)).toBe('<500');
  });

  it('moves each weight ±5 points: a county strong only in 工作评价 drops when that weight falls', () => {
    const strongWork = {
      mfgShare: { value: 40, base: 40, target: 50 },
      vaPerMu: { value: 150, base: 150, target: 170 },
      energy: { value: 0.5, base: 0.5, target: 0.4 },
      rd: { value: 2.5, base: 2.5, target: 3.5 },
      tasks: { value: 100, base: 60, target: 100 },
    }; // 0 + 0 + 0 + 40 = 40
    const balanced = {
      mfgShare: { value: 45, base: 40, target: 50 },
      vaPerMu: { value: 160, base: 150, target: 170 },
      energy: { value: 0.45, base: 0.5, target: 0.4 },
      rd: { value: 3.0, base: 2.5, target: 3.5 },
      tasks: { value: 75, base: 60, target: 100 },
    }; // dimensions 50/50/50/37.5: 0.2×150 + 0.4×37.5 = 45
    const base = new Map([
      ['W', scoreCounty(scheme, strongWork)],
      ['B', scoreCounty(scheme, balanced)],
    ]);
    expect(base.get('W')!.total).toBeCloseTo(40, 12);
    expect(base.get('B')!.total).toBeCloseTo(45, 12);
    const runs = weightSensitivity(
      scheme,
      new Map([
        ['W', strongWork],
        ['B', balanced],
      ]),
      new Map(),
      () => 'all',
    );
    expect(runs).toHaveLength(8);
    // 工作评价 at 45 (the others 55/3 each): W = 45, B = 55/3 % × 150 + 0.45 × 37.5 = 44.375: W overtakes B
    const up = runs.find((r) => r.dimension === 'work' && r.change === 5)!;
    expect(up.ranks.get('W')).toBe(1);
    const down = runs.find((r) => r.dimension === 'work' && r.change === -5)!;
    expect(down.ranks.get('W')).toBe(2);
  });
});
