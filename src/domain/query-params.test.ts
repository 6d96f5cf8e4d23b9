import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import {
  dateText,
  monthText,
  queryBoolean,
  queryId,
  queryInt,
  queryMonth,
  queryNumber,
} from './query-params.ts';

const issues = (schema: z.ZodType, value: unknown) => {
  const r = z.object({ v: schema }).safeParse(value === undefined ? {} : { v: value });
  return r.success
    ? []
    : r.error.issues.map((i) => ({
        path: i.path,
        message: i.message,
        params: 'params' in i ? i.params : undefined,
      }));
};

describe('queryBoolean', () => {
  const flag = queryBoolean().optional();
  it('reads true/1 as true and false/0 as false (z.coerce.boolean read "false" and "0" as true)', () => {
    expect(['true', '1', 'false', '0'].map((v) => flag.parse(v))).toEqual([true, true, false, false]);
    expect(flag.parse(undefined)).toBeUndefined();
  });
  it('refuses anything else with a Chinese and an English reason, naming no default', () => {
    for (const v of ['', ' ', 'yes', 'no', 'TRUE', 'False', 'on', '2', '1e300', 'true ', ['true', 'false']])
      expect(issues(flag, v), JSON.stringify(v)).toEqual([
        expect.objectContaining({
          path: ['v'],
          params: { zh: expect.stringMatching(/^(须为 true、false、1 或 0|只能给出一次)$/) },
        }),
      ]);
  });
});

describe('queryInt', () => {
  const page = queryInt({ min: 1, max: 500 });
  it('reads decimal digits within the bounds', () => {
    expect(['1', '20', '500', '007'].map((v) => page.parse(v))).toEqual([1, 20, 500, 7]);
  });
  it('refuses what Number() would read too generously: blank, hex, binary, exponent, spaces, sign, fraction', () => {
    for (const v of [
      '',
      ' ',
      '0x10',
      '0b11',
      '0o7',
      '1e3',
      ' 5',
      '5 ',
      '+5',
      '5.0',
      'Infinity',
      'NaN',
      '0',
      '501',
    ])
      expect(issues(page, v), JSON.stringify(v)).toEqual([
        {
          path: ['v'],
          message: 'must be a whole number from 1 to 500',
          params: { zh: '须为 1 至 500 之间的整数' },
        },
      ]);
  });
  it('refuses a number past a safe integer, a repeated value and a missing required one', () => {
    expect(issues(queryId(), '99999999999999999999')[0]?.params).toEqual({ zh: '须为不小于 1 的整数' });
    expect(issues(queryId(), ['1', '2'])[0]?.params).toEqual({ zh: '只能给出一次' });
    expect(issues(queryId(), undefined)[0]?.params).toEqual({ zh: '缺少该参数' });
    expect(queryInt().parse('-3')).toBe(-3);
  });
  it('reads back every integer in range written as String(n), the way the web sends it', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), (n) => {
        expect(queryInt({ min: -1e6, max: 1e6 }).parse(String(n))).toBe(n);
      }),
    );
  });
});

describe('queryNumber', () => {
  const share = queryNumber({ min: 0, max: 1 });
  it('reads plain decimals, including a double as JavaScript prints it', () => {
    expect(['0', '0.5', '1', '0.30000000000000004'].map((v) => share.parse(v))).toEqual([
      0, 0.5, 1, 0.30000000000000004,
    ]);
    expect(queryNumber({ min: -1, max: 10 }).parse('-0.25')).toBe(-0.25);
  });
  it('refuses blank, hex, exponent, Infinity and values out of range', () => {
    for (const v of ['', ' ', '0x1', '1e-1', '.5', 'Infinity', '-0.1', '1.5'])
      expect(issues(share, v)[0]?.params, JSON.stringify(v)).toEqual({ zh: '须为 0 至 1 之间的数值' });
  });
});

describe('the OpenAPI document', () => {
  it('says what each accepts', () => {
    const doc = z.toJSONSchema(
      z.object({ b: queryBoolean().optional(), i: queryInt({ min: 1, max: 9 }), n: queryNumber({ min: 0 }) }),
      { io: 'input', unrepresentable: 'any' },
    );
    expect(doc.properties).toEqual({
      b: { type: 'string', enum: ['true', '1', 'false', '0'] },
      i: { type: 'integer', minimum: 1, maximum: 9 },
      n: { type: 'number', minimum: 0 },
    });
  });
});

describe('queryMonth', () => {
  const month = queryMonth().optional();
  it('reads YYYY-MM with a month 01–12 and a year 1900–2100 as it is written', () => {
    expect(['2026-01', '2026-12', '1900-01', '2100-12'].map((v) => month.parse(v))).toEqual([
      '2026-01',
      '2026-12',
      '1900-01',
      '2100-12',
    ]);
    expect(month.parse(undefined)).toBeUndefined();
  });
  it('refuses a month 13 or 00, one digit, no hyphen, a date, spaces and a year out of range, Chinese first', () => {
    for (const v of [
      '2026-13',
      '2026-00',
      '2026-1',
      '202613',
      '2026-01-01',
      ' 2026-01',
      '2026-01 ',
      '0000-01',
      '1899-12',
      '2101-01',
      '２０２６-01',
      '',
    ])
      expect(issues(month, v), JSON.stringify(v)).toEqual([
        {
          path: ['v'],
          message: 'must be a month YYYY-MM (month 01–12, year 1900–2100)',
          params: { zh: '须为 YYYY-MM 格式的月份（月份 01–12，年份 1900–2100）' },
        },
      ]);
    expect(issues(month, ['2026-01', '2026-02'])[0]?.params).toEqual({ zh: '只能给出一次' });
  });
});

describe('monthText (a month in a JSON body)', () => {
  const schema = z.object({ month: monthText() });
  it('takes the months queryMonth takes', () => {
    for (const month of ['1900-01', '2026-03', '2100-12'])
      expect(schema.safeParse({ month }).success, month).toBe(true);
  });
  it('refuses the rest with the reason in both languages', () => {
    for (const month of [
      '0000-01',
      '9999-12',
      '2026-13',
      '2026-00',
      '2026-1',
      '202613',
      '2026-03-01',
      '',
    ] as const) {
      const r = schema.safeParse({ month });
      expect(r.success, month).toBe(false);
      const issue = r.error!.issues[0]!;
      expect(issue.path).toEqual(['month']);
      expect((issue as unknown as { params: { zh: string } }).params.zh).toContain('YYYY-MM');
    }
    expect(schema.safeParse({ month: 202603 }).success).toBe(false);
  });
});

describe('dateText (a day in a JSON body)', () => {
  const schema = z.object({ day: dateText() });
  it('takes the days of the calendar', () => {
    for (const day of ['1900-01-01', '2024-02-29', '2026-12-31', '2100-12-31'])
      expect(schema.safeParse({ day }).success, day).toBe(true);
  });
  it('refuses impossible days and the rest, with the reason in both languages', () => {
    for (const day of [
      '2026-02-30',
      '2025-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '0000-01-01',
      '2101-01-01',
      '2026-1-5',
      '2026-03-15T00:00',
      '',
    ]) {
      const r = schema.safeParse({ day });
      expect(r.success, day).toBe(false);
      expect((r.error!.issues[0] as unknown as { params: { zh: string } }).params.zh).toContain('有效日期');
    }
  });
  it('agrees with the calendar on every day of two centuries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, d) => {
          const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
          expect(schema.safeParse({ day: text }).success).toBe(real);
        },
      ),
    );
  });
});
