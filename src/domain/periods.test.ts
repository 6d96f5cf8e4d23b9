import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  addMonths,
  cumulative,
  excelSerialToMonth,
  isMonth,
  monthLabelEn,
  monthLabelZh,
  monthNumber,
  monthToDate,
  monthsBetween,
  parseMonth,
  parseYear,
  sameMonthLastYear,
  ytdLabelEn,
  ytdLabelZh,
  ytdMonths,
  ytdYoy,
  yoyGrowth,
  type Month,
  type ParsedMonth,
} from './periods.ts';

function monthOf(result: ParsedMonth): Month {
  if (!result.ok) throw new Error(`expected a month, got ${result.reason}: ${result.message.en}`);
  return result.month;
}

const month = fc
  .tuple(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);

describe('parseMonth', () => {
  it.each([
    '2024-03',
    '2024-3',
    '2024/3',
    '2024/03',
    '2024年3月',
    '2024年03月',
    '2024年3月份',
    '202403',
    '2024.03',
    '2024.3',
    '2024-03-15',
    '2024/3/31',
    '2024年3月15日',
    '2024-03-15 08:30:00',
    '2024-03-15T08:30:00Z',
    '２０２４年３月',
    '２０２４－０３',
    ' 2024-03\u3000',
  ])('"%s" → 2024-03', (text) => {
    expect(monthOf(parseMonth(text))).toBe('2024-03');
  });

  it('reads a JS Date by its UTC parts', () => {
    expect(monthOf(parseMonth(new Date(Date.UTC(2024, 2, 31, 23, 59))))).toBe('2024-03');
    expect(monthOf(parseMonth(new Date('2024-04-01T00:00:00Z')))).toBe('2024-04');
    expect(parseMonth(new Date('not a date')).ok).toBe(false);
  });

  it('reads a YYYYMM number', () => {
    expect(monthOf(parseMonth(202403))).toBe('2024-03');
    expect(parseMonth(202413).ok).toBe(false);
  });

  it.each([
    ['2024-13', 'invalidMonth'],
    ['2024-00', 'invalidMonth'],
    ['2024-02-30', 'invalidDate'],
    ['2023-02-29', 'invalidDate'],
    ['1899-12', 'outOfRange'],
    ['2101-01', 'outOfRange'],
    ['2024', 'unrecognised'],
    ['2024年1-3月', 'unrecognised'],
    ['March 2024', 'unrecognised'],
    ['45352', 'unrecognised'],
    ['', 'unrecognised'],
  ])('"%s" is refused: %s', (text, reason) => {
    const result = parseMonth(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.message.zh.length).toBeGreaterThan(0);
      expect(result.message.en.length).toBeGreaterThan(0);
    }
  });

  it('accepts 2024-02-29 (leap year)', () => {
    expect(monthOf(parseMonth('2024-02-29'))).toBe('2024-02');
  });

  it('round-trips its own outputs and labels', () => {
    fc.assert(
      fc.property(month, (m) => {
        expect(monthOf(parseMonth(m))).toBe(m);
        expect(monthOf(parseMonth(monthToDate(m)))).toBe(m);
        expect(monthOf(parseMonth(monthLabelZh(m)))).toBe(m);
        expect(monthOf(parseMonth(Number(m.replace('-', ''))))).toBe(m);
      }),
    );
  });
});

describe('Excel date serials', () => {
  it.each([
    [45352, '2024-03'], // 2024-03-01
    [45351, '2024-02'], // 2024-02-29
    [43831, '2020-01'], // 2020-01-01
    [1, '1900-01'], // 1900-01-01
    [31, '1900-01'], // 1900-01-31
    [32, '1900-02'], // 1900-02-01
    [59, '1900-02'], // 1900-02-28
    [60, '1900-02'], // the fictitious 1900-02-29
    [61, '1900-03'], // 1900-03-01: from here on one day is subtracted
    [45351.75, '2024-02'], // time of day is ignored
    [73415, '2100-12'], // 2100-12-31
  ])('%d → %s', (serial, expected) => {
    expect(monthOf(parseMonth(serial))).toBe(expected);
    expect(monthOf(excelSerialToMonth(serial))).toBe(expected);
  });

  it.each([0, -1, 0.5, 73416, 150000, Number.NaN])('%d is out of range', (serial) => {
    const result = parseMonth(serial);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('outOfRange');
  });

  it('agrees with the calendar for every day from 1900-03-01', () => {
    const start = Date.UTC(1900, 2, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 73415 - 61 }), (offset) => {
        const d = new Date(start + offset * 86_400_000);
        const expected = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
        expect(monthOf(parseMonth(61 + offset))).toBe(expected);
      }),
    );
  });
});

describe('parseYear', () => {
  it.each([
    ['2024', 2024],
    ['2024年', 2024],
    [2024, 2024],
    ['２０２４', 2024],
    ['２０２４年', 2024],
    [' 1900 ', 1900],
    ['2100', 2100],
  ] as const)('%s → %d', (input, year) => {
    expect(parseYear(input)).toEqual({ ok: true, year });
  });

  it.each(['1899', '2101', '24', '2024.5', 'abc', ''])('"%s" is refused', (input) => {
    expect(parseYear(input).ok).toBe(false);
  });

  it('refuses non-integer and out-of-range numbers', () => {
    expect(parseYear(2024.5).ok).toBe(false);
    expect(parseYear(1800).ok).toBe(false);
  });
});

describe('month arithmetic', () => {
  it('monthToDate', () => {
    expect(monthToDate('2024-03')).toBe('2024-03-01');
    expect(() => monthToDate('2024-3')).toThrow(RangeError);
  });

  it('addMonths across year boundaries', () => {
    expect(addMonths('2023-12', 1)).toBe('2024-01');
    expect(addMonths('2024-01', -1)).toBe('2023-12');
    expect(addMonths('2024-03', -15)).toBe('2022-12');
    expect(addMonths('2024-03', 0)).toBe('2024-03');
    expect(addMonths('2024-03', 24)).toBe('2026-03');
    expect(() => addMonths('2024-03', 1.5)).toThrow(RangeError);
  });

  it('addMonths(addMonths(m, k), -k) = m', () => {
    fc.assert(
      fc.property(month, fc.integer({ min: -1200, max: 1200 }), (m, k) => {
        expect(addMonths(addMonths(m, k), -k)).toBe(m);
      }),
    );
  });

  it('monthsBetween is inclusive and empty when reversed', () => {
    expect(monthsBetween('2023-11', '2024-02')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(monthsBetween('2024-02', '2024-02')).toEqual(['2024-02']);
    expect(monthsBetween('2024-03', '2024-02')).toEqual([]);
  });

  it('monthsBetween(m, addMonths(m, k)) has k + 1 consecutive months', () => {
    fc.assert(
      fc.property(month, fc.integer({ min: 0, max: 60 }), (m, k) => {
        const list = monthsBetween(m, addMonths(m, k));
        expect(list).toHaveLength(k + 1);
        expect(list[0]).toBe(m);
        list.forEach((x, i) => expect(x).toBe(addMonths(m, i)));
      }),
    );
  });

  it('sameMonthLastYear', () => {
    expect(sameMonthLastYear('2024-01')).toBe('2023-01');
    expect(sameMonthLastYear('2024-12')).toBe('2023-12');
  });

  it('ytdMonths is January to the month', () => {
    expect(ytdMonths('2024-03')).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(ytdMonths('2024-01')).toEqual(['2024-01']);
  });

  it('ytdMonths length = month number, all in the same year', () => {
    fc.assert(
      fc.property(month, (m) => {
        const list = ytdMonths(m);
        expect(list).toHaveLength(monthNumber(m));
        expect(list.every((x) => x.slice(0, 4) === m.slice(0, 4) && isMonth(x))).toBe(true);
        expect(list.at(-1)).toBe(m);
      }),
    );
  });
});

// Hand-computed data: 2023-12 is present to show that 1–N月累计 never reaches into the previous year.
const OUTPUT: Record<Month, number | null> = {
  '2023-01': 100,
  '2023-02': 110,
  '2023-03': 120,
  '2023-12': 999,
  '2024-01': 110,
  '2024-02': 120,
  '2024-03': 133,
};

describe('cumulative (1–N月累计)', () => {
  it('sums January to the month', () => {
    expect(cumulative(OUTPUT, '2024-03')).toEqual({
      value: 363,
      monthsPresent: 3,
      monthsExpected: 3,
      missingMonths: [],
    });
    expect(cumulative(OUTPUT, '2024-01').value).toBe(110); // not 110 + 999 from 2023-12
    expect(cumulative(OUTPUT, '2023-03').value).toBe(330);
  });

  it('reports a missing month instead of treating it as zero', () => {
    const values = new Map<Month, number | null>([
      ['2024-01', 110],
      ['2024-02', null],
      ['2024-03', 133],
    ]);
    expect(cumulative(values, '2024-03')).toEqual({
      value: 243,
      monthsPresent: 2,
      monthsExpected: 3,
      missingMonths: ['2024-02'],
    });
    expect(cumulative(values, '2024-04').missingMonths).toEqual(['2024-02', '2024-04']);
  });

  it('has value null when no month is present', () => {
    expect(cumulative({}, '2024-02')).toEqual({
      value: null,
      monthsPresent: 0,
      monthsExpected: 2,
      missingMonths: ['2024-01', '2024-02'],
    });
  });
});

describe('yoyGrowth (同比)', () => {
  it('is a ratio', () => {
    expect(yoyGrowth(110, 100)).toBeCloseTo(0.1, 12);
    expect(yoyGrowth(90, 100)).toBeCloseTo(-0.1, 12);
    expect(yoyGrowth(100, 100)).toBe(0);
  });

  it('January compares with last January across the year boundary', () => {
    const jan = '2024-01';
    expect(yoyGrowth(OUTPUT[jan], OUTPUT[sameMonthLastYear(jan)])).toBeCloseTo(0.1, 12); // 110 / 100 − 1
  });

  it('is null for a missing value or a zero or negative base', () => {
    expect(yoyGrowth(null, 100)).toBeNull();
    expect(yoyGrowth(100, null)).toBeNull();
    expect(yoyGrowth(undefined, 100)).toBeNull();
    expect(yoyGrowth(100, 0)).toBeNull();
    expect(yoyGrowth(50, -100)).toBeNull();
    expect(yoyGrowth(Number.NaN, 100)).toBeNull();
  });

  it('allows a negative current value on a positive base (profit turned to loss)', () => {
    expect(yoyGrowth(-50, 100)).toBeCloseTo(-1.5, 12);
  });
});

describe('ytdYoy (累计同比)', () => {
  it('compares the same 1–N months of both years', () => {
    // (110 + 120 + 133) / (100 + 110 + 120) − 1 = 363 / 330 − 1 = 0.1
    const result = ytdYoy(OUTPUT, '2024-03');
    expect(result.value).toBeCloseTo(0.1, 12);
    expect(result.reason).toBeUndefined();
    // 1–2月: 230 / 210 − 1
    expect(ytdYoy(OUTPUT, '2024-02').value).toBeCloseTo(230 / 210 - 1, 12);
  });

  it('is null when a month of this year is missing', () => {
    const values = { ...OUTPUT, '2024-02': null };
    expect(ytdYoy(values, '2024-03')).toEqual({
      value: null,
      reason: 'incompleteCurrentYear',
      missingMonths: ['2024-02'],
    });
  });

  it('is null when a month of last year is missing', () => {
    const values = new Map(Object.entries(OUTPUT));
    values.delete('2023-02');
    expect(ytdYoy(values, '2024-03')).toEqual({
      value: null,
      reason: 'incompletePreviousYear',
      missingMonths: ['2023-02'],
    });
    // 2024-01 needs only 2023-01, so it is still comparable.
    expect(ytdYoy(values, '2024-01').value).toBeCloseTo(0.1, 12);
  });

  it('is null on a zero or negative base', () => {
    expect(ytdYoy({ '2023-01': -5, '2024-01': 10 }, '2024-01')).toEqual({
      value: null,
      reason: 'nonPositiveBase',
    });
    expect(ytdYoy({ '2023-01': 0, '2024-01': 10 }, '2024-01')).toEqual({
      value: null,
      reason: 'nonPositiveBase',
    });
  });
});

describe('labels', () => {
  it('Chinese', () => {
    expect(monthLabelZh('2024-03')).toBe('2024年3月');
    expect(monthLabelZh('2024-12')).toBe('2024年12月');
    expect(ytdLabelZh('2024-03')).toBe('2024年1–3月');
    expect(ytdLabelZh('2024-01')).toBe('2024年1月');
  });

  it('English', () => {
    expect(monthLabelEn('2024-03')).toBe('Mar 2024');
    expect(ytdLabelEn('2024-03')).toBe('Jan–Mar 2024');
    expect(ytdLabelEn('2024-01')).toBe('Jan 2024');
  });
});
