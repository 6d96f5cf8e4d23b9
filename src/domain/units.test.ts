import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  CANONICAL_UNITS,
  MONEY_UNITS,
  formatGrowthPct,
  formatMu,
  formatWanYuan,
  formatYiYuan,
  fromMu,
  fromTce,
  fromWanKwh,
  fromWanYuan,
  parseNumber,
  parseUnit,
  toCanonical,
  toHalfWidth,
  toMu,
  toTce,
  toWanKwh,
  toWanYuan,
  type MoneyUnitAlias,
  type LandUnitAlias,
  type ParsedNumber,
} from './units.ts';

function relativeError(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

function valueOf(result: ParsedNumber): number | null {
  if (!result.ok) throw new Error(`expected a number, got ${result.reason}: ${result.message.en}`);
  return result.value;
}

/** Magnitudes met in practice, from a few 元 of tax to a city's 亿元 totals, either sign. */
const quantity = fc
  .double({ min: 1e-6, max: 1e12, noNaN: true, noDefaultInfinity: true })
  .chain((v) => fc.constantFrom(v, -v));

describe('toHalfWidth', () => {
  it('converts full-width digits, punctuation and the ideographic space', () => {
    expect(toHalfWidth('１２３．４－（万元）％，\u3000')).toBe('123.4-(万元)%, ');
  });
  it('leaves CJK text and ㎡ alone', () => {
    expect(toHalfWidth('用地面积㎡')).toBe('用地面积㎡');
  });
});

describe('money', () => {
  it('canonical unit is 万元', () => {
    expect(CANONICAL_UNITS.money).toBe('万元');
    expect(Object.keys(MONEY_UNITS)).toEqual(['元', '千元', '万元', '亿元']);
  });

  it('converts each unit and its aliases to 万元', () => {
    expect(toWanYuan(12345, '元')).toBe(1.2345);
    expect(toWanYuan(12345, 'yuan')).toBe(1.2345);
    expect(toWanYuan(12345, 'CNY')).toBe(1.2345);
    expect(toWanYuan(12345, 'RMB')).toBe(1.2345);
    expect(toWanYuan(12345, '千元')).toBe(1234.5);
    expect(toWanYuan(12345, 'thousand yuan')).toBe(1234.5);
    expect(toWanYuan(12345, '万元')).toBe(12345);
    expect(toWanYuan(12345, '10k yuan')).toBe(12345);
    expect(toWanYuan(1.5, '亿元')).toBe(15000);
    expect(toWanYuan(1.5, '100m yuan')).toBe(15000);
  });

  it('converts from 万元', () => {
    expect(fromWanYuan(1.2345, '元')).toBe(12345);
    expect(fromWanYuan(15000, '亿元')).toBe(1.5);
    expect(fromWanYuan(7002.8 * 10000, '亿元')).toBe(7002.8);
  });

  it('throws on a unit of another kind', () => {
    expect(() => toWanYuan(1, '亩' as MoneyUnitAlias)).toThrow(RangeError);
  });

  it('round-trips within 1e-9 relative for every unit', () => {
    const units = Object.values(MONEY_UNITS).flatMap((u) => u.aliases);
    fc.assert(
      fc.property(quantity, fc.constantFrom(...units), (v, unit) => {
        expect(relativeError(fromWanYuan(toWanYuan(v, unit), unit), v)).toBeLessThanOrEqual(1e-9);
      }),
    );
  });
});

describe('land', () => {
  it('1 亩 = 10000/15 m², 1 公顷 = 15 亩', () => {
    expect(toMu(10000, '平方米')).toBe(15);
    expect(toMu(2000, 'm²')).toBe(3);
    expect(toMu(2000, '㎡')).toBe(3);
    expect(toMu(2000, '平米')).toBe(3);
    expect(toMu(1, '公顷')).toBe(15);
    expect(toMu(1, 'ha')).toBe(15);
    expect(fromMu(1, '平方米')).toBeCloseTo(666.6666666666666, 12);
    expect(fromMu(15, '公顷')).toBe(1);
    expect(toMu(1, '平方公里')).toBe(1500);
  });

  it('round-trips within 1e-9 relative', () => {
    const units: LandUnitAlias[] = ['亩', '平方米', 'm²', '公顷', 'ha', '平方公里'];
    fc.assert(
      fc.property(quantity, fc.constantFrom(...units), (v, unit) => {
        expect(relativeError(fromMu(toMu(v, unit), unit), v)).toBeLessThanOrEqual(1e-9);
        expect(relativeError(toMu(fromMu(v, unit), unit), v)).toBeLessThanOrEqual(1e-9);
      }),
    );
  });
});

describe('energy and electricity', () => {
  it('converts to tce and 万千瓦时', () => {
    expect(toTce(3.2, '万吨标准煤')).toBe(32000);
    expect(toTce(5, 'tce')).toBe(5);
    expect(fromTce(32000, '万吨标准煤')).toBe(3.2);
    expect(toWanKwh(123456, 'kWh')).toBe(12.3456);
    expect(toWanKwh(123456, '度')).toBe(12.3456);
    expect(toWanKwh(1.2, '亿千瓦时')).toBe(12000);
    expect(fromWanKwh(12000, '亿千瓦时')).toBe(1.2);
  });

  it('round-trips within 1e-9 relative', () => {
    fc.assert(
      fc.property(
        quantity,
        fc.constantFrom('吨标准煤', '万吨标准煤', 'tce') as fc.Arbitrary<'吨标准煤' | '万吨标准煤' | 'tce'>,
        (v, unit) => {
          expect(relativeError(fromTce(toTce(v, unit), unit), v)).toBeLessThanOrEqual(1e-9);
        },
      ),
    );
    fc.assert(
      fc.property(
        quantity,
        fc.constantFrom('千瓦时', '万千瓦时', '亿千瓦时') as fc.Arbitrary<'千瓦时' | '万千瓦时' | '亿千瓦时'>,
        (v, unit) => {
          expect(relativeError(fromWanKwh(toWanKwh(v, unit), unit), v)).toBeLessThanOrEqual(1e-9);
        },
      ),
    );
  });
});

describe('parseUnit', () => {
  it.each([
    ['工业总产值(万元)', { kind: 'money', unit: '万元' }],
    ['工业总产值（千元）', { kind: 'money', unit: '千元' }],
    ['工业总产值 ( 亿元 )', { kind: 'money', unit: '亿元' }],
    ['Output (10k yuan)', { kind: 'money', unit: '万元' }],
    ['Output (CNY)', { kind: 'money', unit: '元' }],
    ['用地面积(平方米)', { kind: 'land', unit: '平方米' }],
    ['用地面积（㎡）', { kind: 'land', unit: '平方米' }],
    ['用地面积(公顷)', { kind: 'land', unit: '公顷' }],
    ['用地面积【亩】', { kind: 'land', unit: '亩' }],
    ['综合能耗(吨标准煤)', { kind: 'energy', unit: '吨标准煤' }],
    ['综合能耗(tce)', { kind: 'energy', unit: '吨标准煤' }],
    ['用电量(万千瓦时)', { kind: 'electricity', unit: '万千瓦时' }],
    ['用电量(KWH)', { kind: 'electricity', unit: '千瓦时' }],
    ['从业人员(人)', { kind: 'count', unit: '人' }],
    ['企业数（家）', { kind: 'count', unit: '家' }],
    ['单位：万元', { kind: 'money', unit: '万元' }],
    ['万元', { kind: 'money', unit: '万元' }],
    ['产值(万元)(2024年)', { kind: 'money', unit: '万元' }],
  ])('%s', (header, expected) => {
    expect(parseUnit(header)).toEqual(expected);
  });

  it('returns null without a unit, or for compound units that are not quantities', () => {
    expect(parseUnit('工业总产值')).toBeNull();
    expect(parseUnit('亩均税收(万元/亩)')).toBeNull();
    expect(parseUnit('增速(%)')).toBeNull();
    expect(parseUnit('')).toBeNull();
  });

  it('feeds toCanonical', () => {
    const unit = parseUnit('用地面积（平方米）');
    expect(unit).not.toBeNull();
    if (unit) expect(toCanonical(20000, unit)).toBe(30);
    const money = parseUnit('营业收入(千元)');
    if (!money) throw new Error('unit expected');
    expect(toCanonical(5000, money)).toBe(500);
  });
});

describe('parseNumber', () => {
  it.each([
    ['1234.5', 1234.5],
    ['1,234.5', 1234.5],
    ['1，234．5', 1234.5],
    ['12,345,678', 12345678],
    ['１２３．４', 123.4],
    ['－5', -5],
    ['\u22125', -5],
    ['+7', 7],
    [' \u30003.14\u3000 ', 3.14],
    ['.5', 0.5],
    ['5.', 5],
    ['1.2E+05', 120000],
    ['-0', 0],
  ])('%s → %d', (text, expected) => {
    expect(valueOf(parseNumber(text))).toBe(expected);
  });

  it.each(['', '  ', '—', '——', '–', '-', '－', '--', 'null', 'NULL', '/', '／', '\u3000'])(
    '"%s" is missing',
    (text) => {
      expect(parseNumber(text)).toEqual({ ok: true, value: null });
    },
  );

  it('null, undefined and numbers pass through', () => {
    expect(parseNumber(null)).toEqual({ ok: true, value: null });
    expect(parseNumber(undefined)).toEqual({ ok: true, value: null });
    expect(parseNumber(42.5)).toEqual({ ok: true, value: 42.5 });
    expect(parseNumber(Number.NaN).ok).toBe(false);
  });

  it('percent only when asked', () => {
    expect(valueOf(parseNumber('12.5%', { percent: true }))).toBe(12.5);
    expect(valueOf(parseNumber('－3.2％', { percent: true }))).toBe(-3.2);
    const refused = parseNumber('12.5%');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toBe('percentNotAllowed');
  });

  it.each([
    '1,23',
    '12,34.5',
    '1.2.3',
    'abc',
    '12abc',
    '1 234',
    '(123)',
    '1.2万',
    '#N/A',
    'Infinity',
    '1e999',
  ])('"%s" is refused, not guessed', (text) => {
    const result = parseNumber(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message.zh).toContain(text);
      expect(result.message.en).toContain(text);
    }
  });

  it('refuses a number that is not zero but too small for a double (it would read as 0), and keeps real zeros', () => {
    for (const text of ['1e-400', '-2.5E-999', '0.0001e-330', '１ｅ－４００']) {
      const result = parseNumber(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) {
        expect(result.reason).toBe('underflow');
        expect(result.message.zh).toBe(`“${text}”超出数值范围（不为零，但小到只能读作 0）`);
      }
    }
    for (const text of ['0', '-0', '0.000', '0e-400', '-0.0E+999', '0,000'])
      expect(parseNumber(text)).toEqual({ ok: true, value: 0 });
    expect(valueOf(parseNumber('1e-320'))).toBe(1e-320); // a subnormal is not zero
    expect(parseNumber('1e400').ok).toBe(false);
  });

  it('parses back any number formatted by Intl zh-CN with grouping (17 significant digits)', () => {
    const format = new Intl.NumberFormat('zh-CN', { maximumSignificantDigits: 17 });
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }), (v) => {
        expect(valueOf(parseNumber(format.format(v)))).toBe(v === 0 ? 0 : v);
      }),
    );
  });

  it('parses back a full-width rendering of a formatted number', () => {
    const format = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });
    const toFullWidth = (s: string) =>
      s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const v = whole + Math.sign(whole || 1) * (cents / 100);
        const expected = Number(format.format(v).replace(/,/g, ''));
        expect(valueOf(parseNumber(toFullWidth(format.format(v))))).toBe(expected);
      }),
    );
  });
});

describe('formatters', () => {
  it('formatWanYuan', () => {
    expect(formatWanYuan(1234.5)).toBe('1,234.5 万元');
    expect(formatWanYuan(1234)).toBe('1,234.0 万元');
    expect(formatWanYuan(1234.567, 2)).toBe('1,234.57 万元');
    expect(formatWanYuan(-98765.4)).toBe('-98,765.4 万元');
    expect(formatWanYuan(null)).toBe('—');
  });

  it('formatYiYuan takes 万元 and shows 亿元', () => {
    expect(formatYiYuan(123456)).toBe('12.3 亿元');
    expect(formatYiYuan(70028000)).toBe('7,002.8 亿元');
    expect(formatYiYuan(123456, 2)).toBe('12.35 亿元');
    expect(formatYiYuan(Number.NaN)).toBe('—');
  });

  it('formatMu', () => {
    expect(formatMu(1234.5)).toBe('1,234.5 亩');
    expect(formatMu(3, 0)).toBe('3 亩');
    expect(formatMu(null)).toBe('—');
  });

  it('formatGrowthPct takes a ratio and shows a signed percentage', () => {
    expect(formatGrowthPct(0.123)).toBe('+12.3%');
    expect(formatGrowthPct(-0.04)).toBe('-4.0%');
    expect(formatGrowthPct(0)).toBe('0.0%');
    expect(formatGrowthPct(-0.00001)).toBe('0.0%');
    expect(formatGrowthPct(1.5)).toBe('+150.0%');
    expect(formatGrowthPct(0.12345, 2)).toBe('+12.35%');
    expect(formatGrowthPct(null)).toBe('—');
  });

  it('the number part of formatWanYuan parses back to the rounded value', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e10, max: 1e10, noNaN: true }), (v) => {
        const shown = formatWanYuan(v, 2);
        expect(shown.endsWith(' 万元')).toBe(true);
        const parsed = valueOf(parseNumber(shown.slice(0, -3)));
        expect(parsed).not.toBeNull();
        expect(Math.abs((parsed as number) - v)).toBeLessThanOrEqual(0.005 + Math.abs(v) * 1e-15);
      }),
    );
  });
});
