// The bulletin as it is shown: sections with their filled text, tables and charts, built from the
// template and the frozen data. One view feeds the HTML page (preview and PDF) and the xlsx, so the
// two files cannot disagree.
import type { AreaIn, BulletinData, RankedFirmIn, ServiceRowIn } from './data.ts';
import { count, periodLabels, pct, renderText, text, yi, type Value } from './placeholders.ts';
import {
  sectionsFor,
  textFor,
  type BulletinTemplate,
  type SectionKind,
  type SectionTemplate,
} from './template.ts';

export type CellFormat = 'text' | 'yi' | 'pct' | 'count' | 'number';
export interface Column {
  key: string;
  title: string;
  format: CellFormat;
}
export type Cell = string | number | null;
export interface TableView {
  columns: Column[];
  rows: Record<string, Cell>[];
}
export interface ChartView {
  type: 'line' | 'bar';
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
  /** the values' unit (亿元) */
  unit: string;
}
export interface SectionView {
  id: string;
  kind: SectionKind;
  title: string;
  paragraphs: string[];
  table?: TableView;
  chart?: ChartView;
  /** what the figures are: the API answer and query */
  source?: string;
}
export interface BulletinView {
  title: string;
  month: string;
  period: string;
  issuer: string;
  demoData: boolean;
  scopeName: string;
  sections: SectionView[];
}

export const TARGET_STATUS_ZH: Record<string, string> = {
  achieved: '已完成',
  missed: '未完成',
  on_track: '进度正常',
  at_risk: '存在风险',
  off_track: '进度滞后',
  no_data: '暂无数据',
  no_goal: '无量化目标',
  not_measured: '需人工填报',
};

const AREA_COLUMNS = (label: string): Column[] => [
  { key: 'name', title: label, format: 'text' },
  { key: 'enterprises', title: '企业数（家）', format: 'count' },
  { key: 'month', title: '本月产值（亿元）', format: 'yi' },
  { key: 'yoy', title: '本月同比', format: 'pct' },
  { key: 'ytd', title: '累计产值（亿元）', format: 'yi' },
  { key: 'ytdYoy', title: '累计同比', format: 'pct' },
  { key: 'share', title: '占规上工业比重', format: 'pct' },
];

const areaRow = (a: AreaIn): Record<string, Cell> => ({
  name: a.name,
  enterprises: a.enterprises,
  month: a.output.month,
  yoy: a.output.yoy,
  ytd: a.output.ytd,
  ytdYoy: a.output.ytdYoy,
  share: a.shareOfIndustry,
});

/** The largest area by 累计 and the fastest-growing one (累计同比), for the text. */
function areaFacts(rows: readonly AreaIn[]): Record<string, Value> {
  const byYtd = [...rows].sort((a, b) => (b.output.ytd ?? -Infinity) - (a.output.ytd ?? -Infinity))[0];
  const byGrowth = [...rows]
    .filter((r) => r.output.ytdYoy !== null)
    .sort((a, b) => b.output.ytdYoy! - a.output.ytdYoy!)[0];
  return {
    top: text(byYtd?.name),
    topYtd: yi(byYtd?.output.ytd),
    topShare: pct(byYtd?.shareOfIndustry),
    fastest: text(byGrowth?.name),
    fastestYoy: pct(byGrowth?.output.ytdYoy),
    count: count(rows.length),
  };
}

/**
 * The firms whose 累计 output grew most and fell most against the same months a year earlier, by the
 * change in 万元 (a large firm's small percentage moves a cluster more than a small firm's large one).
 */
export function topMovers(
  firms: readonly RankedFirmIn[],
  n: number,
): { up: (RankedFirmIn & { change: number })[]; down: (RankedFirmIn & { change: number })[] } {
  const withChange = firms
    .filter((f) => f.previous !== null)
    .map((f) => ({ ...f, change: f.value - f.previous! }));
  const up = withChange
    .filter((f) => f.change > 0)
    .sort((a, b) => b.change - a.change || a.name.localeCompare(b.name))
    .slice(0, n);
  const down = withChange
    .filter((f) => f.change < 0)
    .sort((a, b) => a.change - b.change || a.name.localeCompare(b.name))
    .slice(0, n);
  return { up, down };
}

const SERVICE_COLUMNS = (label: string): Column[] => [
  { key: 'label', title: label, format: 'text' },
  { key: 'received', title: '受理量（件）', format: 'count' },
  { key: 'closed', title: '办结（件）', format: 'count' },
  { key: 'closeRate', title: '办结率', format: 'pct' },
  { key: 'onTimeRate', title: '按时办结率', format: 'pct' },
  { key: 'satisfactionRate', title: '满意率', format: 'pct' },
];

const serviceRow = (r: ServiceRowIn): Record<string, Cell> => ({
  label: r.label,
  received: r.received,
  closed: r.closed,
  closeRate: r.closeRate,
  onTimeRate: r.onTimeRate,
  satisfactionRate: r.satisfactionRate,
});

/** 'YYYY-MM' → "2026年1月" */
const monthText = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;

type Built = Omit<SectionView, 'id' | 'kind' | 'title' | 'paragraphs' | 'source'> & {
  values: Record<string, Value>;
};

function build(s: SectionTemplate, d: BulletinData): Built | null {
  switch (s.kind) {
    case 'kpi': {
      const k = d.kpi;
      if (!k) return null;
      return {
        values: {
          ytd: yi(k.output.ytd),
          ytdYoy: pct(k.output.ytdYoy),
          month: yi(k.output.month),
          yoy: pct(k.output.yoy),
          share: pct(k.shareOfIndustry),
          enterprises: count(k.enterprises),
          comparableYtdYoy: pct(k.comparableYtdYoy),
        },
        table: { columns: AREA_COLUMNS('范围'), rows: [areaRow(k)] },
      };
    }
    case 'clusterTable':
    case 'countyTable': {
      const rows = s.kind === 'clusterTable' ? d.clusters : d.counties;
      if (!rows) return null;
      const label = s.kind === 'clusterTable' ? '产业集群' : '县（市、区）';
      return { values: areaFacts(rows), table: { columns: AREA_COLUMNS(label), rows: rows.map(areaRow) } };
    }
    case 'trendChart': {
      const t = d.trend;
      if (!t) return null;
      return {
        values: { months: count(t.months.length) },
        chart: {
          type: 'line',
          categories: t.months,
          unit: '亿元',
          series: t.series.map((x) => ({
            name: x.name,
            values: x.values.map((v) => (v === null ? null : Math.round(v / 100) / 100)),
          })),
        },
      };
    }
    case 'shareChart': {
      const rows = d.clusters ?? d.counties;
      if (!rows) return null;
      return {
        values: { top: areaFacts(rows).top!, topShare: areaFacts(rows).topShare! },
        chart: {
          type: 'bar',
          categories: rows.map((r) => r.name),
          unit: '亿元',
          series: [
            {
              name: '累计产值',
              values: rows.map((r) => (r.output.ytd === null ? null : Math.round(r.output.ytd / 100) / 100)),
            },
          ],
        },
      };
    }
    case 'targets': {
      const ts = d.targets;
      if (!ts) return null;
      const is = (...st: string[]) => ts.filter((t) => st.includes(t.status)).length;
      return {
        values: {
          total: count(ts.length),
          onTrack: count(is('achieved', 'on_track')),
          behind: count(is('missed', 'at_risk', 'off_track')),
          noData: count(is('no_data', 'no_goal', 'not_measured')),
        },
        table: {
          columns: [
            { key: 'name', title: '目标', format: 'text' },
            { key: 'goal', title: '目标值', format: 'number' },
            { key: 'actual', title: '实际值', format: 'number' },
            { key: 'unit', title: '单位', format: 'text' },
            { key: 'progress', title: '完成进度', format: 'pct' },
            { key: 'deadline', title: '期限', format: 'text' },
            { key: 'status', title: '状态', format: 'text' },
          ],
          rows: ts.map((t) => ({
            name: t.name,
            goal: t.goal,
            actual: t.actual,
            unit: t.unit,
            progress: t.progress,
            deadline: t.deadline,
            status: TARGET_STATUS_ZH[t.status] ?? t.status,
          })),
        },
      };
    }
    case 'movers': {
      const firms = d.rankings;
      if (!firms) return null;
      const { up, down } = topMovers(firms, s.limit ?? 10);
      const row = (dir: string) => (f: RankedFirmIn & { change: number }) => ({
        direction: dir,
        name: f.name,
        region: f.regionName,
        value: f.value,
        previous: f.previous,
        change: f.change,
        yoy: f.yoy,
      });
      return {
        values: { upCount: count(up.length), downCount: count(down.length), firms: count(firms.length) },
        table: {
          columns: [
            { key: 'direction', title: '方向', format: 'text' },
            { key: 'name', title: '企业', format: 'text' },
            { key: 'region', title: '县（市、区）', format: 'text' },
            { key: 'value', title: '累计产值（亿元）', format: 'yi' },
            { key: 'previous', title: '上年同期（亿元）', format: 'yi' },
            { key: 'change', title: '增减（亿元）', format: 'yi' },
            { key: 'yoy', title: '同比', format: 'pct' },
          ],
          rows: [...up.map(row('增长')), ...down.map(row('下降'))],
        },
      };
    }
    case 'alerts': {
      const a = d.alerts;
      if (!a) return null;
      return {
        values: {
          total: count(a.total),
          red: count(a.byLevel.red ?? 0),
          orange: count(a.byLevel.orange ?? 0),
          yellow: count(a.byLevel.yellow ?? 0),
        },
        table: {
          columns: [
            { key: 'level', title: '等级', format: 'text' },
            { key: 'subjectName', title: '对象', format: 'text' },
            { key: 'regionName', title: '县（市、区）', format: 'text' },
            { key: 'rule', title: '规则', format: 'text' },
            { key: 'lastMonth', title: '最近月份', format: 'text' },
            { key: 'status', title: '处置状态', format: 'text' },
          ],
          rows: a.rows.slice(0, s.limit ?? 20).map((r) => ({ ...r })),
        },
      };
    }
    case 'projects': {
      const p = d.projects;
      if (!p) return null;
      return {
        values: {
          total: count(p.total),
          maxDaysLate: count(p.rows.reduce((m, r) => Math.max(m, r.daysLate), 0)),
          asOf: text(p.asOf ?? null),
        },
        table: {
          columns: [
            { key: 'code', title: '项目编号', format: 'text' },
            { key: 'name', title: '项目', format: 'text' },
            { key: 'regionName', title: '县（市、区）', format: 'text' },
            { key: 'stage', title: '阶段', format: 'text' },
            { key: 'plannedTotalInvestment', title: '计划总投资（亿元）', format: 'yi' },
            { key: 'daysLate', title: '滞后天数', format: 'count' },
            { key: 'reasons', title: '滞后原因', format: 'text' },
          ],
          rows: p.rows.slice(0, s.limit ?? 15).map((r) => ({ ...r })),
        },
      };
    }
    case 'service': {
      // where present: a city without enterprise requests in the period has no such section
      const sv = d.service;
      if (!sv || sv.total.received === 0) return null;
      return {
        values: {
          received: count(sv.total.received),
          closed: count(sv.total.closed),
          closeRate: pct(sv.total.closeRate),
          onTimeRate: pct(sv.total.onTimeRate),
          satisfactionRate: pct(sv.total.satisfactionRate),
          from: text(monthText(sv.from)),
          to: text(monthText(sv.to)),
        },
        table: {
          columns: SERVICE_COLUMNS('诉求类别'),
          rows: [...sv.byCategory.map(serviceRow), serviceRow({ ...sv.total, label: '合计' })],
        },
      };
    }
    case 'serviceUnits': {
      const sv = d.service;
      if (!sv || sv.total.received === 0) return null;
      const rows = sv.byUnit.slice(0, s.limit ?? 30);
      return {
        values: { count: count(sv.byUnit.length) },
        table: { columns: SERVICE_COLUMNS('承办单位'), rows: rows.map(serviceRow) },
      };
    }
    case 'commentary':
      return { values: {} };
  }
}

/** The bulletin's view: the template's sections for the scope, filled from the data. */
export function buildView(t: BulletinTemplate, d: BulletinData, commentary: string): BulletinView {
  const labels = periodLabels(d.month);
  const common: Record<string, Value> = {
    scopeName: text(d.scope.name),
    period: text(labels.period),
    monthLabel: text(labels.monthLabel),
    year: text(labels.year),
  };
  const sections: SectionView[] = [];
  for (const s of sectionsFor(t, d.scope.kind)) {
    const built = build(s, d);
    if (!built) continue;
    const { values, ...rest } = built;
    const paragraphs =
      s.kind === 'commentary'
        ? commentary
            .split(/\n{2,}|\r\n\r\n/)
            .map((p) => p.trim())
            .filter(Boolean)
        : [textFor(s, d.scope.kind)]
            .filter((x): x is string => !!x)
            .map((x) => renderText(x, { ...common, ...values }).text);
    sections.push({ id: s.id, kind: s.kind, title: s.title, paragraphs, source: d.sources[s.kind], ...rest });
  }
  return {
    title: renderText(t.title[d.scope.kind] ?? '{scopeName}', common).text,
    month: d.month,
    period: labels.period,
    issuer: t.issuer,
    demoData: d.demoData,
    scopeName: d.scope.name,
    sections,
  };
}
