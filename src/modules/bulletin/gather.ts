// The binding of the template's sections to the API answers (config/<city>/bulletin.json, `binding`):
// each section's figures are taken from the same service function the page's route calls, with the
// bulletin's scope in place of the user's, and reduced to the domain's BulletinData. Nothing is computed
// here that the pages do not show.
import type { Db } from '../../db/client.ts';
import type { Scope } from '../../domain/policy/index.ts';
import type { AreaIn, BulletinData, ScopeKind } from '../../domain/bulletin/index.ts';
import { STAGE_ZH } from '../../domain/projects/stages.ts';
import { cityInfo } from '../reference/index.ts';
import { clusterPage, cockpit, rankings, regionPage, targets } from '../monitoring/index.ts';
import { alertBoard } from '../alerts/index.ts';
import { stalledProjectsAsOf } from '../projects/index.ts';
import { requestStats, statsScopeOf } from '../service/index.ts';
import type { FigureSet, TargetProgressRow } from '../monitoring/schemas.ts';

export interface BulletinScope {
  kind: ScopeKind;
  code: string | null;
}

/** The rows a bulletin of this scope may name: the county's or the cluster's firms, or all for the city. */
export function scopeOfBulletin(s: BulletinScope): Scope {
  if (s.kind === 'county') return { kind: 'region', regionCode: s.code! };
  if (s.kind === 'cluster') return { kind: 'cluster', clusterCode: s.code! };
  return { kind: 'all' };
}

const area = (code: string, name: string, f: FigureSet): AreaIn => ({
  code,
  name,
  enterprises: f.enterprises,
  output: { month: f.output.month, ytd: f.output.ytd, yoy: f.output.yoy, ytdYoy: f.output.ytdYoy },
  shareOfIndustry: f.shareOfIndustry,
});

const target = (t: TargetProgressRow) => ({
  name: t.name,
  unit: t.unit,
  goal: t.goal,
  actual: t.actual,
  actualYear: t.actualYear,
  progress: t.progress,
  deadline: t.deadline,
  status: t.status,
});

const ALERT_STATUS_ZH: Record<string, string> = {
  open: '待核实',
  verifying: '核实中',
  visited: '已走访',
  supporting: '帮扶中',
  closed: '已关闭',
  false_alarm: '误报',
};
const LEVEL_ZH: Record<string, string> = { red: '红色', orange: '橙色', yellow: '黄色' };

/** Milliseconds per stage of one generation (data per section, render, print, xlsx), for the bench. */
export type Timings = Record<string, number>;

/** Runs `fn`, adding its wall time to `timings[name]`. */
export async function timed<T>(timings: Timings, name: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    timings[name] = Math.round((timings[name] ?? 0) + performance.now() - t);
  }
}

/**
 * Gathers every section's figures for a month and a scope. The sections' queries run side by side
 * (each is a service function the pages call; the monitoring answers come from its cache when a page
 * asked for them already); `progress` is called as each one lands, `timings` gets each one's time.
 */
export async function gatherBulletinData(
  db: Db,
  month: string,
  s: BulletinScope,
  progress: (pct: number, stage: string) => Promise<void> = async () => {},
  timings: Timings = {},
): Promise<BulletinData> {
  const scope = scopeOfBulletin(s);
  const city = await timed(timings, 'data.city', () => cityInfo(db));
  const sources: Record<string, string> = {};
  const data: BulletinData = {
    month,
    scope: { kind: s.kind, code: s.code, name: s.kind === 'city' ? city.name : '' },
    demoData: city.demoData,
    sources,
    kpi: null,
    clusters: null,
    counties: null,
    trend: null,
    targets: null,
    rankings: null,
    alerts: null,
    projects: null,
    service: null,
  };
  const parts: [string, () => Promise<void>][] = [
    ['monitoring', () => monitoringPart(db, month, s, data)],
    ['rankings', () => rankingsPart(db, month, s, data)],
    ['alerts', () => alertsPart(db, scope, data)],
    ['projects', () => projectsPart(db, month, scope, data)],
    ['service', () => servicePart(db, month, scope, data)],
  ];
  let done = 0;
  await Promise.all(
    parts.map(async ([name, fn]) => {
      await timed(timings, `data.${name}`, fn);
      done++;
      await progress(10 + Math.round((40 * done) / parts.length), name);
    }),
  );
  return data;
}

async function monitoringPart(db: Db, month: string, s: BulletinScope, data: BulletinData) {
  const q = { month, scale: 'above' as const };
  const qs = `month=${month}&scale=above`;
  const sources = data.sources;
  const scope = scopeOfBulletin(s);
  if (s.kind === 'city') {
    // the cockpit computes the default target set's progress into the same cache the targets answer reads
    const c = await cockpit(db, q);
    data.kpi = {
      ...area('_clusters', '五大集群', c.total),
      comparableYtdYoy: c.total.comparable?.ytd.growth ?? null,
    };
    data.clusters = c.clusters.map((x) => area(x.code, x.name, x));
    data.counties = c.counties.map((x) => area(x.code, x.name, x));
    const names = new Map(c.clusters.map((x) => [x.code, x.name]));
    data.trend = trendOf(c.trend, names);
    sources.kpi =
      sources.clusterTable =
      sources.countyTable =
      sources.trendChart =
        `GET /api/monitoring/cockpit?${qs}`;
    sources.shareChart = sources.clusterTable;
    const t = await targets(db, q);
    data.targets = t.targets.map(target);
    sources.targets = `GET /api/monitoring/targets?${qs} (${t.set.name})`;
  } else if (s.kind === 'county') {
    const r = await regionPage(db, scope, s.code!, q);
    data.scope.name = r.area.name;
    data.kpi = { ...area(r.area.code, r.area.name, r.total), comparableYtdYoy: null };
    data.clusters = r.clusters.map((x) => area(x.code, x.name, x));
    data.trend = trendOf(r.trend, new Map(r.clusters.map((x) => [x.code, x.name])));
    sources.kpi =
      sources.clusterTable =
      sources.trendChart =
      sources.shareChart =
        `GET /api/monitoring/regions/${s.code}?${qs}`;
  } else {
    const p = await clusterPage(db, scope, s.code!, q);
    data.scope.name = p.cluster.name;
    data.kpi = {
      ...area(p.cluster.code, p.cluster.name, p.city),
      comparableYtdYoy: p.city.comparable?.ytd.growth ?? null,
    };
    data.counties = p.areas.filter((a) => a.kind === 'county').map((x) => area(x.code, x.name, x));
    data.trend = {
      months: p.trend.map((t) => t.month),
      series: [{ name: p.cluster.name, values: p.trend.map((t) => t.value) }],
    };
    data.targets = p.targets.map(target);
    sources.kpi =
      sources.countyTable =
      sources.trendChart =
      sources.targets =
        `GET /api/monitoring/clusters/${s.code}?${qs}`;
  }
}

async function rankingsPart(db: Db, month: string, s: BulletinScope, data: BulletinData) {
  const filter = s.kind === 'county' ? { region: s.code! } : s.kind === 'cluster' ? { cluster: s.code! } : {};
  const ranked = await rankings(db, scopeOfBulletin(s), {
    month,
    scale: 'above',
    measure: 'outputValue',
    period: 'ytd',
    page: 1,
    pageSize: 200,
    ...filter,
  });
  data.rankings = ranked.items.map((f) => ({
    name: f.name,
    regionName: f.regionName,
    value: f.value,
    previous: f.previous,
    yoy: f.yoy,
  }));
  const qf = s.kind === 'county' ? `&region=${s.code}` : s.kind === 'cluster' ? `&cluster=${s.code}` : '';
  data.sources.movers = `GET /api/monitoring/rankings?month=${month}&scale=above&period=ytd&pageSize=200${qf}`;
}

async function alertsPart(db: Db, scope: Scope, data: BulletinData) {
  const board = await alertBoard(db, { scope }, { state: 'open', pageSize: 20 });
  data.alerts = {
    total: board.total,
    byLevel: board.byLevel,
    rows: board.rows.map((a) => ({
      subjectName: a.subjectName,
      regionName: a.regionName,
      level: LEVEL_ZH[a.level] ?? a.level,
      rule: a.ruleNameZh,
      lastMonth: a.lastMonth,
      status: ALERT_STATUS_ZH[a.status] ?? a.status,
    })),
  };
  data.sources.alerts = 'GET /api/alerts?state=open&pageSize=20';
}

/** The stalled projects as they stood on the bulletin month's last day, not on the day it is printed. */
async function projectsPart(db: Db, month: string, scope: Scope, data: BulletinData) {
  const stalled = await stalledProjectsAsOf(db, scope, month);
  data.projects = {
    total: stalled.total,
    asOf: stalled.today,
    rows: stalled.items.map((p) => ({
      code: p.code,
      name: p.name,
      regionName: p.regionName,
      stage: STAGE_ZH[p.stage as keyof typeof STAGE_ZH] ?? p.stage,
      plannedTotalInvestment: p.plannedTotalInvestment,
      daysLate: p.daysLate,
      reasons: p.delayMessages.map((m) => m.zh).join('；'),
    })),
  };
  data.sources.projects = `GET /api/projects/stalled, as of ${stalled.today} (the month's last day)`;
}

/**
 * Enterprise requests received in 1–N月 of the bulletin's year: the statistics page's answer
 * (GET /api/service/stats?from&to&by=category and by=unit) for the bulletin's scope.
 */
async function servicePart(db: Db, month: string, scope: Scope, data: BulletinData) {
  const period = { from: `${month.slice(0, 4)}-01`, to: month };
  const where = statsScopeOf(scope).sql;
  const [byCategory, byUnit] = await Promise.all([
    requestStats(db, period, 'category', where),
    requestStats(db, period, 'unit', where),
  ]);
  const row = (r: (typeof byCategory.rows)[number]) => ({
    label: r.label,
    received: r.received,
    closed: r.closed,
    closeRate: r.closeRate,
    onTimeRate: r.onTimeRate,
    satisfactionRate: r.satisfactionRate,
  });
  data.service = {
    ...period,
    total: row(byCategory.total),
    byCategory: byCategory.rows.map(row),
    byUnit: [...byUnit.rows].sort((a, b) => b.received - a.received).map(row),
  };
  const qs = `from=${period.from}&to=${period.to}`;
  data.sources.service = `GET /api/service/stats?${qs}&by=category`;
  data.sources.serviceUnits = `GET /api/service/stats?${qs}&by=unit`;
}

/** Monthly output per cluster (万元) from a trend answer whose values are keyed by cluster code. */
function trendOf(
  trend: readonly { month: string; values: Record<string, number | null> }[],
  names: ReadonlyMap<string, string>,
): BulletinData['trend'] {
  return {
    months: trend.map((t) => t.month),
    series: [...names].map(([code, name]) => ({ name, values: trend.map((t) => t.values[code] ?? null) })),
  };
}
