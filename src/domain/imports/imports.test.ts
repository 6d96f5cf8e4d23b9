import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromWanYuan, type MoneyUnitAlias } from '../units.ts';
import { makeUscc } from '../uscc.ts';
import {
  BatchChecker,
  buildReferenceLookup,
  detectHeader,
  KINDS,
  IMPORT_KINDS,
  matchColumn,
  isoMonth,
  parseDate,
  plainDecimal,
  readRow,
  registryCodeOf,
  templateHeader,
  type Cell,
  type RowContext,
} from './index.ts';

const ref = buildReferenceLookup({
  counties: [
    { code: '330402', name: '南湖区' },
    { code: '330483', name: '桐乡市' },
  ],
  zones: [{ code: 'Z-JXETDZ', name: '嘉兴经济技术开发区', shortName: '经开区', hostRegionCode: '330402' }],
  industries: ['17', '171', '1711', '2822'],
});
const at = { file: 'a.xlsx', sheet: 'Sheet1' };
// its organisation code 00000000-0 is valid too: no warning
const USCC = makeUscc('91330402000000000');
const range = { minMonth: '2000-01', maxMonth: '2025-12', today: '2025-12-31' };

function ctxFor(kind: RowContext['kind'], header: Cell[][]): RowContext {
  const h = detectHeader(kind, header, at);
  expect(h.ok, JSON.stringify(h.problems)).toBe(true);
  return { kind, ...at, columns: h.columns, ref, ...range };
}

describe('column definitions', () => {
  it('every alias names one column in its kind, and every template header matches itself', () => {
    for (const kind of IMPORT_KINDS) {
      for (const c of KINDS[kind].columns) expect(matchColumn(kind, templateHeader(c))?.key).toBe(c.key);
    }
  });
});

describe('detectHeader', () => {
  it('finds the header below title rows, with units, English names and full-width brackets', () => {
    const rows: Cell[][] = [
      ['2025年3月规上工业企业主要指标', null, null],
      ['填报单位：南湖区经信局', null, null],
      ['统一社会信用代码', 'Month', '工业总产值（千元）', '备注'],
    ];
    const h = detectHeader('monthly', rows, at);
    expect(h.ok).toBe(true);
    expect(h.headerRow).toBe(3);
    expect(h.columns.map((c) => c.def.key)).toEqual(['uscc', 'month', 'output_value']);
    expect(h.columns[2]!.unit).toEqual({ kind: 'money', unit: '千元' });
    expect(h.problems.map((p) => p.code)).toEqual(['header.ignored']);
  });

  it('reads a two-row header with merged cells: a label merged down and a label over its unit', () => {
    const rows: Cell[][] = [
      ['统一社会信用代码', '统计月份', '工业总产值', '营业收入'],
      [null, null, '(万元)', '(元)'],
    ];
    const h = detectHeader('monthly', rows, at);
    expect(h.ok).toBe(true);
    expect(h.headerRow).toBe(2);
    expect(h.columns.map((c) => [c.def.key, c.unit?.unit ?? null])).toEqual([
      ['uscc', null],
      ['month', null],
      ['output_value', '万元'],
      ['revenue', '元'],
    ]);
  });

  it('refuses a money column without a unit, and one with the wrong kind of unit', () => {
    const h = detectHeader('monthly', [['统一社会信用代码', '统计月份', '工业总产值', '营业收入(亩)']], at);
    expect(h.ok).toBe(false);
    expect(h.problems.filter((p) => p.severity === 'error').map((p) => p.code)).toEqual([
      'header.unit',
      'header.unit',
    ]);
  });

  it('says which columns are missing when there is no header', () => {
    const h = detectHeader('annual', [['企业', '数值']], at);
    expect(h.ok).toBe(false);
    expect(h.problems[0]!.zh).toContain('统一社会信用代码');
  });

  it('property: finds the header after any number of title rows and in any column order', () => {
    const cols = KINDS.annual.columns.map(templateHeader);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.shuffledSubarray(cols, { minLength: cols.length, maxLength: cols.length }),
        (titles, order) => {
          const rows: Cell[][] = [...Array.from({ length: titles }, (_, i) => [`标题${i}`]), order];
          const h = detectHeader('annual', rows, at);
          return h.ok && h.headerRow === titles + 1 && h.columns.length === cols.length;
        },
      ),
    );
  });
});

describe('readRow', () => {
  const monthly = () =>
    ctxFor('monthly', [
      ['统一社会信用代码', '统计月份', '工业总产值(千元)', '利润总额(万元)', '从业人员', '用电量(千瓦时)'],
    ]);

  it('converts units, reads full-width digits, thousands separators, dashes as missing and Excel serial months', () => {
    const r = readRow(monthly(), 5, [
      ` ${USCC.toLowerCase()}`,
      45717,
      '１２，３４５．６',
      '—',
      '１２０',
      '1,000',
    ]);
    expect(r.status).toBe('row');
    if (r.status !== 'row') return;
    expect(r.ok).toBe(true);
    expect(r.values).toEqual({
      uscc: USCC,
      month: '2025-03',
      output_value: 1234.56,
      profit: null,
      employees: 120,
      electricity: 0.1,
    });
  });

  it('names file, sheet, row, column, value and reason of each problem, in both languages', () => {
    const bad = USCC.slice(0, 17) + (USCC.endsWith('0') ? '1' : '0');
    const r = readRow(monthly(), 7, [bad, '2025-13', 'abc', '-5', '12.5', '']);
    expect(r.status).toBe('row');
    if (r.status !== 'row') return;
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual([
      'uscc.checksum',
      'month.invalidMonth',
      'number.invalid',
      'number.notInteger',
    ]);
    expect(r.problems[2]).toMatchObject({
      file: 'a.xlsx',
      sheet: 'Sheet1',
      row: 7,
      column: '工业总产值(千元)',
      value: 'abc',
    });
    expect(r.problems[2]!.zh).toMatch(/不是有效数字/);
    expect(r.problems[2]!.en).toMatch(/not a valid number/);
  });

  it('allows negative profit but no negative output', () => {
    const r = readRow(monthly(), 8, [USCC, '2025-01', '-1', '-3', null, null]);
    if (r.status !== 'row') throw new Error('row');
    expect(r.problems.map((p) => [p.code, p.column])).toEqual([['number.negative', '工业总产值(千元)']]);
  });

  it('skips 合计 and footnote rows with a notice and ignores blank rows', () => {
    expect(readRow(monthly(), 9, ['合 计', null, 1000])).toMatchObject({
      status: 'skipped',
      problem: { code: 'row.total', severity: 'notice' },
    });
    expect(readRow(monthly(), 9, ['总计：', null, 1000])).toMatchObject({ status: 'skipped' });
    expect(readRow(monthly(), 10, ['注：本表数据为快报数'])).toMatchObject({
      status: 'skipped',
      problem: { code: 'row.footnote' },
    });
    expect(readRow(monthly(), 11, [null, '  ', null])).toEqual({ status: 'blank' });
  });

  it('reads a first cell that starts with a digit as data, never as a 合计 or footnote row', () => {
    // the patterns are not run on such a cell (readRow's digitFirst): what they would answer
    for (const first of ['1合计', '2025 总计', '9 Totals', '3注：x', USCC]) {
      expect(readRow(monthly(), 12, [first, '2025-01', 1]).status).toBe('row');
    }
    // a 合计 or footnote in a later cell, after an empty or blank first one, still skips the row
    expect(readRow(monthly(), 13, [null, '  ', 'Subtotal:', null])).toMatchObject({ status: 'skipped' });
    expect(readRow(monthly(), 14, ['', 'note: x'])).toMatchObject({ problem: { code: 'row.footnote' } });
    expect(readRow(monthly(), 15, ['Totals', null, 5])).toMatchObject({ problem: { code: 'row.total' } });
  });

  it('isoMonth answers as /^\\d{4}-(?:0[1-9]|1[0-2])$/ does', () => {
    const re = /^\d{4}-(?:0[1-9]|1[0-2])$/;
    for (const t of [
      '2025-01',
      '2025-12',
      '2025-00',
      '2025-13',
      '2025-1',
      '202-01',
      '2025/01',
      '20250-1',
      '2025-1 ',
      ' 2025-1',
      '２０２５-01',
      '2025-0a',
      'abcd-01',
      '1999-10',
      '0000-09',
      '2025-011',
      '',
    ])
      expect(isoMonth(t), t).toBe(re.test(t));
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9\-/a ]{0,8}$/), (t) => isoMonth(t) === re.test(t)),
      { numRuns: 5000 },
    );
  });

  it('warns (and still imports) when the embedded organisation code fails its own check', () => {
    const odd = makeUscc('91330402000000001'); // organisation code 00000000-1: should end in 0
    const r = readRow(monthly(), 4, [odd, '2025-01', 1, null, null, null]);
    if (r.status !== 'row') throw new Error('row');
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'uscc.orgCode',
        row: 4,
        column: '统一社会信用代码',
        columnIndex: 0,
      }),
    ]);
    // with an error beside it, the row is refused and both are listed
    const bad = readRow(monthly(), 5, [odd, '2025-01', 'abc', null, null, null]);
    if (bad.status !== 'row') throw new Error('row');
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => [p.severity, p.code, p.columnIndex])).toEqual([
      ['warning', 'uscc.orgCode', 0],
      ['error', 'number.invalid', 2],
    ]);
  });

  it('refuses a figure that leaves a double’s range once its unit is converted, and one too small to be read', () => {
    const ctx = ctxFor('monthly', [['统一社会信用代码', '统计月份', '工业总产值(亿元)', '营业收入(元)']]);
    const r = readRow(ctx, 4, [USCC, '2025-01', '1e305', 1e-320]);
    if (r.status !== 'row') throw new Error('row');
    expect(r.problems.map((p) => [p.code, p.column])).toEqual([
      ['number.invalid', '工业总产值(亿元)'],
      ['number.invalid', '营业收入(元)'],
    ]);
    expect(r.problems[0]!.zh).toBe('“1e305”换算单位后超出数值范围');
    expect(r.problems[1]!.en).toBe('"1e-320" is out of numeric range once its unit is converted');
    const tiny = readRow(ctx, 5, [USCC, '2025-01', '1e-400', null]);
    if (tiny.status !== 'row') throw new Error('row');
    expect(tiny.problems.map((p) => p.zh)).toEqual(['“1e-400”超出数值范围（不为零，但小到只能读作 0）']);
  });

  it('refuses months outside the accepted range', () => {
    const r = readRow(monthly(), 3, [USCC, '2026-01', 1, null, null, null]);
    if (r.status !== 'row') throw new Error('row');
    expect(r.problems.map((p) => p.code)).toEqual(['period.outOfRange']);
  });

  it('reads a registry row: county by name, zone by short name, industry with section letter, 规上, serial date', () => {
    const ctx = ctxFor('enterprises', [
      ['统一社会信用代码', '企业名称', '所属区县', '行业代码', '规模', '所属园区', '成立日期'],
    ]);
    const r = readRow(ctx, 2, [USCC, '示例公司', '南湖区', 'C1711', '规模以上', '经开区', 38412]);
    if (r.status !== 'row') throw new Error('row');
    expect(r.problems).toEqual([]);
    expect(r.values).toEqual({
      uscc: USCC,
      name: '示例公司',
      region_code: '330402',
      industry_code: '1711',
      scale: 'above',
      zone_code: 'Z-JXETDZ',
      founded: '2005-03-01',
    });
    const wrong = readRow(ctx, 3, [USCC, '示例公司', '桐乡市', '9999', '大型', '经开区', 'soon']);
    if (wrong.status !== 'row') throw new Error('row');
    expect(wrong.problems.map((p) => p.code).sort()).toEqual([
      'date.invalid',
      'enum.unknown',
      'reference.industry',
      'reference.zoneCounty',
    ]);
  });

  it('reads 主要产品 under its aliases as a list split at 、，,;；/ (blank = none; too long refused)', () => {
    for (const header of ['主要产品', '主营产品', '产品', 'Main Products']) {
      const ctx = ctxFor('enterprises', [
        ['统一社会信用代码', '企业名称', '所属区县', '行业代码', '规模', header],
      ]);
      const r = readRow(ctx, 2, [
        USCC,
        '示例公司',
        '南湖区',
        '1711',
        '规上',
        ' PERC电池片、TOPCon电池片；光伏组件/PERC电池片 ',
      ]);
      if (r.status !== 'row') throw new Error('row');
      expect(r.problems).toEqual([]);
      expect(JSON.parse(r.values.main_products as string)).toEqual([
        'PERC电池片',
        'TOPCon电池片',
        '光伏组件',
      ]);
      const blank = readRow(ctx, 3, [USCC, '示例公司', '南湖区', '1711', '规上', '  ']);
      if (blank.status !== 'row') throw new Error('row');
      expect(blank.values.main_products).toBeNull();
      const long = readRow(ctx, 4, [USCC, '示例公司', '南湖区', '1711', '规上', `组件、${'光'.repeat(51)}`]);
      if (long.status !== 'row') throw new Error('row');
      expect(long.problems.map((p) => p.code)).toEqual(['text.tooLong']);
    }
  });

  it('property: a money value written in any unit reads back as the same 万元', () => {
    const units: MoneyUnitAlias[] = ['元', '千元', '万元', '亿元'];
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.constantFrom(...units), (wan, unit) => {
        const ctx = ctxFor('monthly', [['统一社会信用代码', '统计月份', `工业总产值(${unit})`]]);
        const r = readRow(ctx, 2, [USCC, '2025-01', fromWanYuan(wan, unit)]);
        if (r.status !== 'row' || !r.ok) return false;
        const got = r.values.output_value as number;
        return Math.abs(got - wan) <= 1e-9 * Math.max(1, wan);
      }),
    );
  });

  it('property: full-width digits read the same as half-width ones', () => {
    const ctx = ctxFor('annual', [['统一社会信用代码', '年度', '用地面积(亩)']]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: 99 }), (a, b) => {
        const half = `${a}.${b}`;
        const full = half.replace(/[0-9.]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
        const x = readRow(ctx, 2, [USCC, 2024, half]);
        const y = readRow(ctx, 2, [USCC, '２０２４', full]);
        return (
          x.status === 'row' && y.status === 'row' && x.ok && y.ok && x.values.land_mu === y.values.land_mu
        );
      }),
    );
  });

  it('marks the numbers read exactly from their text: plain decimals, not converted, rounded or -0', () => {
    const ctx = ctxFor('monthly', [
      [
        '统一社会信用代码',
        '统计月份',
        '工业总产值(万元)',
        '利润总额(千元)',
        '从业人员',
        '税金(万元)',
        '营业收入(万元)',
      ],
    ]);
    const r = readRow(ctx, 2, [USCC, '2025-01', '12.50', '100', '120.0', '-0', '1,234']);
    expect(r.status === 'row' && r.ok && r.exact.toString(2)).toBe('100');
    const s = readRow(ctx, 2, [USCC, '2025-01', 7, '-3.25', '120', '-0.5', '0']);
    expect(s.status === 'row' && s.exact.toString(2)).toBe('1110000');
  });

  it('property: plainDecimal reads what Number() reads, or declines', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^-?[0-9]{0,17}(?:\.[0-9]{0,17})?$/),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 0, max: 8 }),
        (text, x, k) => {
          for (const t of [text, x.toFixed(k), String(x)]) {
            const v = plainDecimal(t);
            if (!Number.isNaN(v) && v !== Number(t)) return false;
            if (/^-?[0-9]{1,9}(?:\.[0-9]{1,6})?$/.test(t) && Number.isNaN(v)) return false;
          }
          return true;
        },
      ),
      { numRuns: 2_000 },
    );
    expect([plainDecimal('.5'), plainDecimal('5.'), plainDecimal('1e3'), plainDecimal('0x1A')]).toEqual([
      NaN,
      NaN,
      NaN,
      NaN,
    ]);
  });
});

describe('registryCodeOf', () => {
  it('reads from the cells alone the code readRow checks the registry by (or none where readRow has none)', () => {
    const odd = makeUscc('91330402000000001'); // a warning only: still looked up
    const wrongCheck = `${USCC.slice(0, 17)}${USCC.endsWith('0') ? '1' : '0'}`;
    const codes: Cell[] = [
      USCC,
      ` ${USCC.toLowerCase()} `,
      odd,
      wrongCheck,
      'abc',
      '合 计',
      '—',
      '  ',
      null,
      12345,
      new Date(2025, 0, 1),
    ];
    const contexts = [
      ctxFor('monthly', [['统一社会信用代码', '统计月份', '工业总产值(万元)']]),
      // the code in the second column of a registry file
      ctxFor('enterprises', [['企业名称', '统一社会信用代码', '所属区县', '行业代码', '规模']]),
    ];
    for (const ctx of contexts) {
      for (const code of codes) {
        const cells: Cell[] =
          ctx.kind === 'monthly' ? [code, '2025-01', '12.5'] : ['示例公司', code, '南湖区', '1711', '规上'];
        const r = readRow(ctx, 2, cells);
        const uscc = r.status === 'row' ? r.values.uscc : null;
        const refused =
          r.status === 'row' && r.problems.some((p) => p.severity === 'error' && p.code.startsWith('uscc.'));
        const expected = typeof uscc === 'string' && uscc !== '' && !refused ? uscc : null;
        expect(registryCodeOf(ctx, cells), `${ctx.kind} ${String(code)}`).toBe(expected);
      }
      expect(registryCodeOf(ctx, [])).toBe(null);
    }
    expect(registryCodeOf(contexts[0]!, [USCC])).toBe(USCC);
  });
});

describe('BatchChecker', () => {
  const known = new Map([[USCC, { id: 7, regionCode: '330402' }]]);
  it('finds duplicates, unknown enterprises and rows of another county', () => {
    const c = new BatchChecker('monthly', {
      ...at,
      enterprise: (u) => known.get(u),
      scopeRegion: '330483',
      usccHeader: '统一社会信用代码',
    });
    expect(c.check(2, { uscc: USCC, month: '2025-01' }).problems.map((p) => p.code)).toEqual([
      'scope.otherCounty',
    ]);
    expect(c.check(3, { uscc: USCC, month: '2025-01' }).problems.map((p) => p.code)).toEqual([
      'scope.otherCounty',
      'row.duplicate',
    ]);
    expect(c.check(4, { uscc: 'X', month: '2025-01' }).problems.map((p) => p.code)).toEqual([
      'enterprise.unknown',
    ]);
  });

  it('finds a duplicate however far apart the rows are, and names the first', () => {
    const other = makeUscc('91330402000000002');
    const firms = new Map([
      [USCC, { id: 7, regionCode: '330402' }],
      [other, { id: 8, regionCode: '330402' }],
    ]);
    const c = new BatchChecker('monthly', {
      ...at,
      enterprise: (u) => firms.get(u),
      scopeRegion: null,
      usccHeader: '统一社会信用代码',
    });
    const codes = (row: number, uscc: string, month: string) =>
      c.check(row, { uscc, month }).problems.map((p) => `${p.code} ${p.en}`);
    expect(codes(2, USCC, '2025-01')).toEqual([]);
    expect(codes(3, other, '2025-01')).toEqual([]);
    expect(codes(4, USCC, '2025-02')).toEqual([]);
    expect(codes(5, other, '2024-01')).toEqual([]);
    expect(codes(6, USCC, '2025-01')).toEqual([expect.stringMatching(/^row\.duplicate Duplicates row 2 /)]);
    expect(codes(7, other, '2025-01')).toEqual([expect.stringMatching(/^row\.duplicate Duplicates row 3 /)]);
    const annual = new BatchChecker('annual', {
      ...at,
      enterprise: (u) => firms.get(u),
      scopeRegion: null,
      usccHeader: 'u',
    });
    expect(annual.check(2, { uscc: USCC, year: 2024 }).problems).toEqual([]);
    expect(annual.check(3, { uscc: other, year: 2024 }).problems).toEqual([]);
    expect(annual.check(4, { uscc: USCC, year: 2024 }).problems.map((p) => p.code)).toEqual([
      'row.duplicate',
    ]);
  });
});

describe('parseDate', () => {
  it('reads the usual spellings and refuses impossible dates', () => {
    expect(parseDate('2005/3/1')).toEqual({ ok: true, date: '2005-03-01' });
    expect(parseDate('2005年3月1日')).toEqual({ ok: true, date: '2005-03-01' });
    expect(parseDate(20050301)).toEqual({ ok: true, date: '2005-03-01' });
    expect(parseDate(new Date(Date.UTC(2005, 2, 1)))).toEqual({ ok: true, date: '2005-03-01' });
    expect(parseDate('—')).toEqual({ ok: true, date: null });
    expect(parseDate('2005-02-30').ok).toBe(false);
    expect(parseDate(60).ok).toBe(false);
  });

  it('knows the calendar as Date does: leap years, month ends, years before 1000', () => {
    // the calendar check is arithmetic (a province's registry reads one date per row): held against Date
    const viaDate = (y: number, m: number, d: number) => {
      const t = new Date(Date.UTC(y, m - 1, d));
      return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
        ? t.toISOString().slice(0, 10)
        : null;
    };
    for (const y of [999, 1900, 1996, 2000, 2023, 2024, 2100, 2400, 9999])
      for (let m = 1; m <= 12; m++)
        for (let d = 1; d <= 32; d++) {
          const text = `${String(y).padStart(4, '0')}-${m}-${d}`;
          const want = viaDate(y, m, d);
          const got = parseDate(text);
          expect(got.ok ? got.date : null, text).toBe(want);
        }
  });
});
