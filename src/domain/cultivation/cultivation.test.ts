import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkLibrary,
  ladderCounts,
  metricsOf,
  movers,
  rungOf,
  canMove,
  type FirmYearMetrics,
  type Library,
} from './index.ts';

const zjtx: Library = {
  key: 'zhuanjingtexin',
  nameZh: '专精特新中小企业',
  nameEn: 'SRDI SME',
  tier: 'zhuanjingtexin',
  level: 'provincial',
  body: '省经信厅',
  source: 'test',
  criteria: [
    { key: 'rd', labelZh: '研发费用', metric: 'rdExpense', op: '>=', value: 100, unit: '万元' },
    { key: 'rdShare', labelZh: '研发强度', metric: 'rdIntensity', op: '>=', value: 3, unit: '%' },
    { key: 'revenue', labelZh: '营业收入', metric: 'revenue', op: '>=', value: 1000, unit: '万元' },
    { key: 'score', labelZh: '评分≥60', testable: false },
  ],
};

const base: FirmYearMetrics = {
  revenue: 5000,
  revenueGrowth2y: 8,
  revenueGrowthMin2y: 6,
  rdExpense: 200,
  rdIntensity: 4,
  profit: 400,
  profitMargin: 8,
  profitGrowth2y: 12,
  employees: 120,
  exportShare: 10,
  yearsOperating: 6,
  outputYiYuan: 0.55,
};

describe('library criteria', () => {
  it('a firm that meets every data-testable criterion is a candidate; the untestable one stays manual', () => {
    const o = checkLibrary(zjtx, base);
    expect(o.meetsAll).toBe(true);
    expect(o.missing).toBe(0);
    expect(o.outcomes.map((x) => x.status)).toEqual(['met', 'met', 'met', 'manual']);
  });

  it('a firm missing one criterion by a little reports the gap in the criterion unit', () => {
    // R&D 145 万元 on revenue 5000 万元 = 2.9 %: short of 3 % by 0.1 point
    const o = checkLibrary(zjtx, { ...base, rdExpense: 145, rdIntensity: 2.9 });
    expect(o.meetsAll).toBe(false);
    expect(o.missing).toBe(1);
    const miss = o.outcomes.find((x) => x.key === 'rdShare')!;
    expect(miss.status).toBe('missed');
    if (miss.status === 'missed') expect(miss.gap).toBeCloseTo(0.1, 10);
  });

  it('a single miss within 20 % of its threshold is "near"; a wide miss is not', () => {
    expect(checkLibrary(zjtx, { ...base, revenue: 900 }).near).toBe(true); // 10 % short of 1000
    expect(checkLibrary(zjtx, { ...base, revenue: 700 }).near).toBe(false); // 30 % short
    expect(checkLibrary(zjtx, base).near).toBe(false); // meets all
  });

  it('missing data is not a pass', () => {
    const o = checkLibrary(zjtx, { ...base, rdExpense: null, rdIntensity: null });
    expect(o.meetsAll).toBe(false);
    expect(o.outcomes.filter((x) => x.status === 'no_data')).toHaveLength(2);
  });

  it('a library that requires another is met only when that one is held', () => {
    const lg: Library = { ...zjtx, key: 'little_giant', requires: ['zhuanjingtexin'] };
    expect(checkLibrary(lg, base).meetsAll).toBe(false);
    expect(checkLibrary(lg, base, new Set(['zhuanjingtexin'])).meetsAll).toBe(true);
  });

  it('metrics from yearly sums: growth means, R&D intensity, years, 亿元', () => {
    const m = metricsOf({
      revenue: [12100, 11000, 10000],
      profit: [1210, 1100, 1000],
      output: 150000,
      exportValue: 15000,
      rdExpense: 363,
      employees: 80,
      foundedYear: 2015,
      year: 2025,
    });
    expect(m.revenueGrowth2y).toBeCloseTo(10, 10); // 10 % then 10 %
    expect(m.revenueGrowthMin2y).toBeCloseTo(10, 10);
    expect(m.rdIntensity).toBeCloseTo(3, 10); // 363 / 12100
    expect(m.profitMargin).toBeCloseTo(10, 10);
    expect(m.profitGrowth2y).toBeCloseTo(10, 10);
    expect(m.exportShare).toBeCloseTo(10, 10);
    expect(m.yearsOperating).toBe(10);
    expect(m.outputYiYuan).toBe(15);
  });

  it('a two-year growth needs both years', () => {
    const m = metricsOf({
      revenue: [100, 90, null],
      profit: [null, null, null],
      output: null,
      exportValue: null,
      rdExpense: null,
      employees: null,
      foundedYear: null,
      year: 2025,
    });
    expect(m.revenueGrowth2y).toBeNull();
    expect(m.profitMargin).toBeNull();
  });

  it('property: raising a ">=" metric never turns met into missed', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (v, d) => {
          const before = checkLibrary(zjtx, { ...base, revenue: v }).outcomes[2]!;
          const after = checkLibrary(zjtx, { ...base, revenue: v + d }).outcomes[2]!;
          return !(before.status === 'met' && after.status !== 'met');
        },
      ),
    );
  });
});

describe('ladder', () => {
  it('counts "at least" each rung, so a 600 亿元 firm is in the 100 and 500 rungs', () => {
    expect(ladderCounts([600, 120, 99, 1000, null, 12])).toEqual([
      { rung: 10, firms: 5 },
      { rung: 50, firms: 4 },
      { rung: 100, firms: 3 },
      { rung: 500, firms: 2 },
      { rung: 1000, firms: 1 },
    ]);
    expect(rungOf(600)).toBe(500);
    expect(rungOf(9.99)).toBeNull();
  });

  it('movers up and down between two years', () => {
    const m = movers(
      new Map([
        [1, 95],
        [2, 510],
        [3, 20],
      ]),
      new Map([
        [1, 101],
        [2, 480],
        [3, 25],
      ]),
    );
    expect(m).toEqual([
      { enterpriseId: 1, from: 50, to: 100, direction: 'up' },
      { enterpriseId: 2, from: 500, to: 100, direction: 'down' },
    ]);
  });
});

describe('pipeline', () => {
  it('moves only along the ladder of stages', () => {
    expect(canMove('candidate', 'nurturing')).toBe(true);
    expect(canMove('candidate', 'recognised')).toBe(false);
    expect(canMove('applying', 'rejected')).toBe(true);
    expect(canMove('rejected', 'nurturing')).toBe(true);
    expect(canMove('recognised', 'candidate')).toBe(false);
  });
});
