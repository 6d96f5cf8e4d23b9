// Monthly statistics of 规上 firms, 2019-01 … 2026-10 (规下 firms do not report monthly). Each firm's
// series is a pure function of the seed and the firm: its size, its bucket's growth path, its own
// random-walk drift, the Spring Festival seasonality, shocks, failure and gaps. Units: 万元, 吨标准煤,
// 万千瓦时, 人.
import {
  FIRST_YEAR,
  LUNAR_NEW_YEAR,
  MARGIN_CYCLE,
  SEASON_MAR_DEC,
  SHOCKS,
  SPRING_FESTIVAL_FACTOR,
  TRENDS,
  BUCKETS,
  type Bucket,
  type Shock,
} from './calibration.ts';
import { LAST_MONTH_INDEX, anchorOwn, type DemoEnterprise } from './enterprises.ts';
import { rngFor, round } from './random.ts';
import { monthIndex, monthLabel } from './world.ts';

/** 1 万千瓦时 = 1.229 吨标准煤 (当量值 0.1229 kgce/kWh). */
export const TCE_PER_10K_KWH = 1.229;

interface CompiledShock extends Shock {
  fromIndex: number;
  toIndex: number;
}

export interface MonthlyContext {
  seed: number;
  /** number of months, index 0 = 2019-01 */
  count: number;
  labels: string[];
  years: number[];
  season: Float64Array;
  springFestival: boolean[];
  trend: Record<Bucket, Float64Array>;
  shocks: CompiledShock[];
  knots: { k: number; w: number }[];
}

export interface MonthRecord {
  m: number;
  output: number;
  revenue: number;
  profit: number;
  tax: number;
  energy: number;
  electricity: number;
  employees: number;
  exportValue: number;
}

/**
 * Seasonal factors of one year (index 0 = January), normalised to average 1. The month that holds 春节
 * gets the trough; the other of January/February is dented by how close the holiday falls to it.
 */
export function seasonOfYear(year: number): number[] {
  const lny = LUNAR_NEW_YEAR[year];
  let jan = 0.95;
  let feb = 0.9;
  if (lny) {
    const month = Number(lny.slice(5, 7));
    const day = Number(lny.slice(8, 10));
    if (month === 1) {
      jan = SPRING_FESTIVAL_FACTOR;
      feb = 0.8 + (0.15 * (31 - day)) / 31;
    } else {
      feb = SPRING_FESTIVAL_FACTOR;
      jan = 0.97 - 0.12 * Math.max(0, 1 - (day - 1) / 20);
    }
  }
  const raw = [jan, feb, ...SEASON_MAR_DEC];
  const mean = raw.reduce((a, b) => a + b, 0) / 12;
  return raw.map((v) => v / mean);
}

/** The month (1–12) of 春节 in a year, if known. */
export function springFestivalMonth(year: number): number | null {
  const lny = LUNAR_NEW_YEAR[year];
  return lny ? Number(lny.slice(5, 7)) : null;
}

const KNOT_FIRST = 2018;
const KNOT_LAST = 2026;

/** Where a month sits between the mid-year knots: lower knot (years since 2018) and weight. */
function knotPosition(year: number, month: number): { k: number; w: number } {
  const t = year + (month - 0.5) / 12 - 0.5 - KNOT_FIRST;
  if (t <= 0) return { k: 0, w: 0 };
  if (t >= KNOT_LAST - KNOT_FIRST) return { k: KNOT_LAST - KNOT_FIRST - 1, w: 1 };
  const k = Math.floor(t);
  return { k, w: t - k };
}

/** Yearly levels 2018–2026 as logs (index = year − 2018). */
function knotLogs(levels: (year: number) => number): Float64Array {
  const out = new Float64Array(KNOT_LAST - KNOT_FIRST + 1);
  for (let y = KNOT_FIRST; y <= KNOT_LAST; y++) out[y - KNOT_FIRST] = Math.log(levels(y));
  return out;
}

/** Log-linear interpolation between yearly levels placed at mid-year. */
function interpolate(logs: Float64Array, pos: { k: number; w: number }): number {
  const a = logs[pos.k]!;
  const b = logs[pos.k + 1]!;
  return Math.exp(a + (b - a) * pos.w);
}

export function monthlyContext(seed: number): MonthlyContext {
  const count = LAST_MONTH_INDEX + 1;
  const labels: string[] = [];
  const years: number[] = [];
  const season = new Float64Array(count);
  const springFestival: boolean[] = [];
  const seasonCache = new Map<number, number[]>();
  const trend = {} as Record<Bucket, Float64Array>;
  const trendLogs = {} as Record<Bucket, Float64Array>;
  for (const b of BUCKETS) {
    trend[b] = new Float64Array(count);
    trendLogs[b] = knotLogs((y) => TRENDS[b][y] ?? 1);
  }
  const knots: { k: number; w: number }[] = [];
  for (let m = 0; m < count; m++) {
    const year = FIRST_YEAR + Math.floor(m / 12);
    const month = (m % 12) + 1;
    labels.push(monthLabel(FIRST_YEAR, m));
    years.push(year);
    let s = seasonCache.get(year);
    if (!s) seasonCache.set(year, (s = seasonOfYear(year)));
    season[m] = s[month - 1]!;
    springFestival.push(springFestivalMonth(year) === month);
    const pos = knotPosition(year, month);
    knots.push(pos);
    for (const b of BUCKETS) trend[b][m] = interpolate(trendLogs[b], pos);
  }
  const shocks = SHOCKS.map((s) => ({
    ...s,
    fromIndex: monthIndex(FIRST_YEAR, s.from),
    toIndex: monthIndex(FIRST_YEAR, s.to),
  }));
  return { seed, count, labels, years, season, springFestival, trend, shocks, knots };
}

function shockApplies(s: Shock, e: DemoEnterprise): boolean {
  if (s.county && s.county !== e.regionCode) return false;
  if (s.zone && s.zone !== e.zoneCode) return false;
  if (s.buckets && !s.buckets.includes(e.bucket)) return false;
  if (s.industries && !s.industries.some((p) => e.industryCode.startsWith(p))) return false;
  return true;
}

/** The firm's own log-drift per month: a yearly random walk (mean-corrected), plus an anchor's path. */
export function firmDrift(ctx: MonthlyContext, e: DemoEnterprise, stream = 'drift'): Float64Array {
  const rng = rngFor(ctx.seed, stream, e.index);
  const sigma = e.anchor ? 0.005 : 0.07;
  const logs = new Float64Array(KNOT_LAST - KNOT_FIRST + 1);
  let d = 0;
  for (let y = KNOT_FIRST; y <= KNOT_LAST; y++) {
    if (y > KNOT_FIRST) d += sigma * rng.normal() - (sigma * sigma) / 2;
    logs[y - KNOT_FIRST] = d + Math.log(anchorOwn(e.anchor, y));
  }
  const out = new Float64Array(ctx.count);
  for (let m = 0; m < ctx.count; m++) out[m] = interpolate(logs, ctx.knots[m]!);
  return out;
}

/** Output share left by a failing firm in month m (1 when healthy). */
export function failureFactor(e: DemoEnterprise, m: number): number {
  const f = e.failure;
  if (!f || m < f.from) return 1;
  const k = m - f.from + 1;
  return Math.max(f.floor, 1 - ((1 - f.floor) * k) / f.months);
}

/** The months a firm reports: from its first reporting month until it closes, minus gaps. */
export function reportedMonths(e: DemoEnterprise): { from: number; to: number } | null {
  if (e.scale !== 'above') return null;
  const to = e.failure?.closeAt !== undefined ? e.failure.closeAt - 1 : LAST_MONTH_INDEX;
  return to >= e.reportFrom ? { from: e.reportFrom, to } : null;
}

export function monthlySeries(e: DemoEnterprise, ctx: MonthlyContext): MonthRecord[] {
  const span = reportedMonths(e);
  if (!span) return [];
  const rng = rngFor(ctx.seed, 'monthly', e.index);
  const drift = firmDrift(ctx, e);
  const shocks = ctx.shocks.filter((s) => shockApplies(s, e));
  const p = e.params;
  const trend = ctx.trend[e.bucket];
  const cycle = MARGIN_CYCLE[e.bucket];
  const gaps = new Set(e.gaps);
  const monthlySize = e.size / 12;
  const out: MonthRecord[] = [];
  for (let m = span.from; m <= span.to; m++) {
    // Draw every number even for a gap month, so a gap never shifts the other months' values.
    const zOut = rng.noise(e.anchor ? 0.03 : 0.06);
    const zRev = rng.noise(0.035);
    const zMargin = rng.normal();
    const zTax = rng.noise(0.25);
    const refund = p.exportShare > 0 && rng.chance(0.025) ? rng.uniform(0.002, 0.012) : 0;
    const zEnergy = rng.noise(0.06);
    const zElec = rng.noise(0.03);
    const zEmp = rng.noise(0.01);
    const zExport = rng.noise(0.12);
    if (gaps.has(m)) continue;

    let shock = 1;
    for (const s of shocks) if (m >= s.fromIndex && m <= s.toIndex) shock *= s.factor;
    const ramp = e.reportFrom > 0 ? Math.min(1, 0.4 + (0.6 * (m - e.reportFrom)) / 18) : 1;
    const underlying = monthlySize * trend[m]! * drift[m]! * ramp;
    const seasonal = ctx.season[m]! * shock;
    const f = failureFactor(e, m);
    const failing = f < 1;

    const output = round(underlying * seasonal * f * zOut);
    const revenue = round(output * p.revenueRatio * zRev);
    const year = ctx.years[m]!;
    const margin = failing ? -0.06 - 0.12 * (1 - f) : p.margin + (cycle?.[year] ?? 0) + 0.02 * zMargin;
    const profit = round(revenue * margin);
    const tax = refund > 0 ? round(-revenue * refund) : round(revenue * p.taxRate * zTax * (failing ? f : 1));
    // Electricity leads output by two months when a firm fails (a classic early-warning signal).
    const fLead = failureFactor(e, m + 2);
    const energy = round(underlying * seasonal * fLead * p.energy * zEnergy);
    const electricity = round(((energy * p.elecShare) / TCE_PER_10K_KWH) * zElec);
    const fLag = failureFactor(e, m - 2);
    const employees = Math.max(
      1,
      Math.round(
        p.employees0 *
          Math.pow(underlying / monthlySize, 0.45) *
          (ctx.springFestival[m] ? 0.97 : 1) *
          Math.pow(fLag, 0.6) *
          zEmp,
      ),
    );
    const exportValue = p.exportShare > 0 ? round(Math.min(output, output * p.exportShare * zExport)) : 0;
    out.push({ m, output, revenue, profit, tax, energy, electricity, employees, exportValue });
  }
  return out;
}
