// The bulletin's pure logic: placeholders format as the pages do, a template naming an unknown
// placeholder is refused, the city's template is valid, and the view fills texts and tables from data.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildView,
  formatPct,
  formatYi,
  parseTemplate,
  periodLabels,
  pct,
  renderText,
  templateProblems,
  topMovers,
  yi,
  type BulletinData,
  type BulletinTemplate,
} from './index.ts';

const cityTemplate = () =>
  parseTemplate(
    JSON.parse(readFileSync(new URL('../../../config/jiaxing/bulletin.json', import.meta.url), 'utf8')),
  );

describe('placeholders', () => {
  it('fills the example sentence of issue 21', () => {
    const out = renderText('1–10月，五大产业集群实现规上工业总产值 {ytd} 亿元，同比增长 {ytdYoy}', {
      ytd: yi(56_789_012.3),
      ytdYoy: pct(0.0834),
    });
    expect(out).toEqual({
      text: '1–10月，五大产业集群实现规上工业总产值 5678.90 亿元，同比增长 8.3%',
      unknown: [],
    });
  });
  it('prints a missing figure as — and leaves an unknown name visible', () => {
    expect(renderText('{a} {b} {c}', { a: yi(null), b: pct(Number.NaN) })).toEqual({
      text: '— — {c}',
      unknown: ['c'],
    });
  });
  it('keeps the sign of a fall and never prints -0.0%', () => {
    expect(formatPct(-0.034)).toBe('-3.4%');
    expect(formatPct(-0.00001)).toBe('0.0%');
    expect(formatYi(12_345)).toBe('1.23');
  });
  it('labels January as 1月, not 1–1月', () => {
    expect(periodLabels('2026-01').period).toBe('2026年1月');
    expect(periodLabels('2025-10')).toEqual({ period: '2025年1–10月', monthLabel: '10月', year: '2025' });
  });
  it('formats any 万元 figure as 亿元 with two decimals, the value / 10 000 rounded', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (wan) => {
        const s = formatYi(wan);
        expect(Math.abs(Number(s) - wan / 10_000)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(s).toMatch(/^-?\d+\.\d{2}$/);
      }),
    );
  });
});

describe('templates', () => {
  it('the city template is valid and every scope has a summary and the commentary', () => {
    const t = cityTemplate();
    for (const kind of ['city', 'county', 'cluster'] as const) {
      const kinds = t.sections.filter((s) => s.scopes.includes(kind)).map((s) => s.kind);
      expect(kinds).toContain('kpi');
      expect(kinds).toContain('commentary');
    }
  });
  it('refuses a placeholder the section kind does not offer, and duplicate ids', () => {
    const t: BulletinTemplate = {
      version: '1',
      source: ['test'],
      issuer: 'x',
      title: { city: '{scopeName}{nope}' },
      sections: [
        { id: 'a', kind: 'kpi', title: 'A', scopes: ['city'], binding: 'b', text: '{ytd} {topYtd}' },
        {
          id: 'a',
          kind: 'alerts',
          title: 'B',
          scopes: ['city'],
          binding: 'b',
          text: { city: '{red} {ytd}' },
        },
      ],
    };
    expect(templateProblems(t)).toEqual([
      'section a: unknown placeholder {topYtd}',
      'section a: duplicate id',
      'section a: unknown placeholder {ytd}',
      'title city: unknown placeholder {nope}',
    ]);
    expect(() => parseTemplate(t)).toThrow(/unknown placeholder/);
  });
});

const fig = (ytd: number | null, ytdYoy: number | null) => ({ month: 10, ytd, yoy: 0.01, ytdYoy });
const data: BulletinData = {
  month: '2025-10',
  scope: { kind: 'city', code: null, name: '嘉兴市' },
  demoData: true,
  sources: { kpi: 'GET /api/monitoring/cockpit?month=2025-10' },
  kpi: {
    code: '_',
    name: '五大集群',
    enterprises: 3,
    output: fig(300_000, 0.05),
    shareOfIndustry: 0.6,
    comparableYtdYoy: 0.04,
  },
  clusters: [
    { code: 'a', name: '甲集群', enterprises: 2, output: fig(200_000, 0.02), shareOfIndustry: 0.4 },
    { code: 'b', name: '乙集群', enterprises: 1, output: fig(100_000, 0.09), shareOfIndustry: 0.2 },
  ],
  counties: null,
  trend: { months: ['2025-09', '2025-10'], series: [{ name: '甲集群', values: [12_345, null] }] },
  targets: null,
  rankings: [
    { name: 'F1', regionName: '南湖区', value: 100, previous: 50, yoy: 1 },
    { name: 'F2', regionName: '南湖区', value: 100, previous: 150, yoy: -0.33 },
    { name: 'F3', regionName: '南湖区', value: 100, previous: null, yoy: null },
    { name: 'F4', regionName: '南湖区', value: 100, previous: 90, yoy: 0.11 },
  ],
  alerts: { total: 2, byLevel: { red: 1, yellow: 1 }, rows: [] },
  projects: null,
};

describe('the view', () => {
  it('fills texts and tables from the data, skipping sections without data, commentary by paragraph', () => {
    const v = buildView(cityTemplate(), data, '第一段。\n\n第二段。');
    expect(v.title).toBe('嘉兴市五大先进制造业产业集群运行监测月报（2025年1–10月）');
    expect(v.sections.map((s) => s.kind)).toEqual([
      'kpi',
      'clusterTable',
      'trendChart',
      'shareChart',
      'movers',
      'alerts',
      'commentary',
    ]);
    const kpi = v.sections[0]!;
    expect(kpi.paragraphs[0]).toContain('规上工业总产值 30.00 亿元，同比增长 5.0%');
    expect(kpi.source).toBe('GET /api/monitoring/cockpit?month=2025-10');
    expect(v.sections[1]!.paragraphs[0]).toBe(
      '分集群看，甲集群规模最大，累计产值 20.00 亿元；乙集群增长最快，累计同比 9.0%。',
    );
    expect(v.sections[1]!.table!.rows.map((r) => r.ytd)).toEqual([200_000, 100_000]);
    expect(v.sections[2]!.chart!.series[0]!.values).toEqual([1.23, null]);
    expect(v.sections[5]!.paragraphs[0]).toContain('红色 1 条、橙色 0 条、黄色 1 条');
    expect(v.sections.at(-1)!.paragraphs).toEqual(['第一段。', '第二段。']);
  });
  it('names the movers by change in 万元, ignoring firms without a year-earlier figure', () => {
    const { up, down } = topMovers(data.rankings!, 10);
    expect(up.map((f) => [f.name, f.change])).toEqual([
      ['F1', 50],
      ['F4', 10],
    ]);
    expect(down.map((f) => [f.name, f.change])).toEqual([['F2', -50]]);
  });
});
