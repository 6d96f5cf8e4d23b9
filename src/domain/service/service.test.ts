import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { workflowProblems } from '../workitems/index.ts';
import {
  closeWorkingDays,
  likelyDuplicates,
  ratesOf,
  scoreUnits,
  SERVICE_WORKFLOW,
  suggestRoute,
  textSimilarity,
  type RoutableUnit,
  type UnitCounts,
} from './index.ts';

describe('the service request workflow', () => {
  it('is a sound machine', () => {
    expect(workflowProblems(SERVICE_WORKFLOW)).toEqual([]);
  });
  it('a consultation closes the same day, others in 7 working days, complex cases in 25', () => {
    expect(closeWorkingDays('consult')).toBe(0);
    expect(closeWorkingDays('help')).toBe(7);
    expect(closeWorkingDays('help', true)).toBe(25);
  });
});

describe('duplicates', () => {
  it('finds the same problem told in other words, not an unrelated one', () => {
    const open = [
      { id: 1, title: '新厂房用电增容', description: '新建厂房需要用电增容，供电公司答复排期过长' },
      { id: 2, title: '出口退税进度', description: '一季度出口退税尚未到账' },
    ];
    const found = likelyDuplicates(
      { title: '厂房用电增容申请', description: '新厂房用电增容排期太长，请协调供电公司' },
      open,
    );
    expect(found.map((f) => f.id)).toEqual([1]);
  });
  it('similarity is symmetric, within [0, 1], and 1 for the same text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (a, b) => {
        const s = textSimilarity(a, b);
        return s >= 0 && s <= 1 && Math.abs(s - textSimilarity(b, a)) < 1e-12;
      }),
    );
    expect(textSimilarity('企业融资难', '企业融资难')).toBe(1);
  });
});

describe('routing', () => {
  const units: RoutableUnit[] = [
    { id: 1, kind: 'department', regionCode: null, clusterCode: null, duties: ['financing'], active: true },
    { id: 2, kind: 'cluster_agency', regionCode: null, clusterCode: 'textile', duties: [], active: true },
    { id: 3, kind: 'county', regionCode: '330402', clusterCode: null, duties: [], active: true },
  ];
  it('sends a chain-wide problem to the cluster task force, county matters to the county, others by category', () => {
    expect(
      suggestRoute(
        {
          category: 'financing',
          chainCommon: true,
          clusterCode: 'textile',
          regionCode: '330402',
          level: 'city',
        },
        units,
      ).leadUnitId,
    ).toBe(2);
    expect(
      suggestRoute(
        {
          category: 'financing',
          chainCommon: false,
          clusterCode: 'textile',
          regionCode: '330402',
          level: 'county',
        },
        units,
      ).leadUnitId,
    ).toBe(3);
    expect(
      suggestRoute(
        { category: 'financing', chainCommon: false, clusterCode: null, regionCode: '330402', level: 'city' },
        units,
      ).leadUnitId,
    ).toBe(1);
    expect(
      suggestRoute(
        { category: 'policy', chainCommon: false, clusterCode: null, regionCode: null, level: 'city' },
        units,
      ).leadUnitId,
    ).toBeNull();
  });
});

describe('rates and scores', () => {
  it('computes the published rates', () => {
    expect(ratesOf({ received: 10, direct: 2, closed: 8, closedOnTime: 6, rated: 8, satisfied: 7 })).toEqual({
      directRate: 0.2,
      closeRate: 0.8,
      onTimeRate: 0.75,
      satisfactionRate: 0.875,
    });
    expect(
      ratesOf({ received: 0, direct: 0, closed: 0, closedOnTime: 0, rated: 0, satisfied: 0 }).closeRate,
    ).toBeNull();
  });
  it('ranks departments and counties apart; 红榜 and 黑榜 never share a unit', () => {
    const mk = (i: number, group: 'county' | 'department', good: number): UnitCounts => ({
      unitId: i,
      unitName: `u${i}`,
      group,
      assigned: 20,
      receivedOnTime: good,
      answered: 20,
      answeredOnTime: good,
      rated: 20,
      satisfied: good,
      returned: 20 - good,
      redone: 0,
    });
    const list = [
      ...Array.from({ length: 12 }, (_, i) => mk(i + 1, 'department', 8 + i)),
      mk(100, 'county', 20),
      mk(101, 'county', 10),
      mk(102, 'county', 2),
      { ...mk(103, 'county', 20), assigned: 2 },
    ];
    const s = scoreUnits(list);
    const dept = s.filter((x) => x.group === 'department');
    expect(
      dept
        .filter((x) => x.board === 'red')
        .map((x) => x.unitId)
        .sort((a, b) => a - b),
    ).toEqual([8, 9, 10, 11, 12]);
    expect(
      dept
        .filter((x) => x.board === 'black')
        .map((x) => x.unitId)
        .sort((a, b) => a - b),
    ).toEqual([1, 2, 3, 4, 5]);
    const county = s.filter((x) => x.group === 'county');
    expect(county.find((x) => x.unitId === 100)!.board).toBe('red');
    expect(county.find((x) => x.unitId === 102)!.board).toBe('black');
    expect(county.find((x) => x.unitId === 103)!.rank).toBeNull(); // too few requests to rank
    expect(s.find((x) => x.unitId === 100)!.score).toBe(100);
  });
});

describe('the service vocabulary in English', () => {
  it('names every nature, category, channel, rating and level in English, without Chinese', async () => {
    const d = await import('./defaults.ts');
    for (const [keys, en] of [
      [d.NATURES, d.NATURE_EN],
      [d.CATEGORIES, d.CATEGORY_EN],
      [d.CHANNELS, d.CHANNEL_EN],
      [d.RATINGS, d.RATING_EN],
      [d.LEVELS, d.LEVEL_EN],
    ] as const)
      for (const k of keys) expect((en as Record<string, string>)[k]).toMatch(/^[^\u4e00-\u9fff]+$/);
  });
});
