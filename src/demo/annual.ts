// Annual inputs of the 亩均效益 evaluation, 2019–2025, for every firm. For 规上 firms the revenue, tax,
// energy and electricity are the sums of the firm's monthly figures (so 累计 and annual data agree);
// the rest (value added, main revenue, pollutants, R&D, head count) derive from the same year. 规下
// firms get annual figures only.
import { ANNUAL_YEARS } from './calibration.ts';
import { landInYear, trendOf, type DemoEnterprise } from './enterprises.ts';
import { TCE_PER_10K_KWH, type MonthRecord, type MonthlyContext } from './monthly.ts';
import { rngFor, round, type Rng } from './random.ts';

export interface AnnualRecord {
  year: number;
  landMu: number | null;
  taxPaid: number;
  valueAdded: number;
  revenue: number;
  mainRevenue: number;
  energyTce: number;
  electricity: number;
  cod: number | null;
  ammoniaNitrogen: number | null;
  so2: number | null;
  nox: number | null;
  rdExpense: number | null;
  avgEmployees: number;
}

function pollutants(rng: Rng, e: DemoEnterprise, output: number) {
  const p = e.params;
  const one = (intensity: number | null) => {
    const z = rng.noise(0.15);
    const blank = rng.chance(0.02);
    return intensity === null || blank ? null : round(output * intensity * z, 3);
  };
  return { cod: one(p.cod), ammoniaNitrogen: one(p.nh3), so2: one(p.so2), nox: one(p.nox) };
}

/** Annual rows of a 规上 firm from its monthly series (sums over the months it reported). */
export function annualFromMonthly(
  e: DemoEnterprise,
  months: readonly MonthRecord[],
  ctx: MonthlyContext,
): AnnualRecord[] {
  const rng = rngFor(ctx.seed, 'annual', e.index);
  const out: AnnualRecord[] = [];
  let i = 0;
  for (const year of ANNUAL_YEARS) {
    let output = 0;
    let revenue = 0;
    let tax = 0;
    let energy = 0;
    let electricity = 0;
    let employees = 0;
    let n = 0;
    while (i < months.length && ctx.years[months[i]!.m]! < year) i++;
    while (i < months.length && ctx.years[months[i]!.m]! === year) {
      const r = months[i]!;
      output += r.output;
      revenue += r.revenue;
      tax += r.tax;
      energy += r.energy;
      electricity += r.electricity;
      employees += r.employees;
      n++;
      i++;
    }
    const zVa = rng.noise(0.03);
    const zRd = rng.noise(0.15);
    const rdBlank = rng.chance(0.03);
    const pol = pollutants(rng, e, output);
    if (n === 0) continue;
    const rev = round(revenue);
    out.push({
      year,
      landMu: landInYear(e, year),
      taxPaid: round(tax),
      valueAdded: round(output * e.params.vaRate * zVa),
      revenue: rev,
      mainRevenue: round(rev * e.params.mainRatio),
      energyTce: round(energy),
      electricity: round(electricity),
      ...pol,
      rdExpense: e.params.rdBlank || rdBlank ? null : round(rev * e.params.rdRate * zRd),
      avgEmployees: Math.round(employees / n),
    });
  }
  return out;
}

/** Annual rows of a 规下 firm (no monthly statistics behind them). */
export function annualBelow(e: DemoEnterprise, ctx: MonthlyContext): AnnualRecord[] {
  const rng = rngFor(ctx.seed, 'annual-below', e.index);
  const p = e.params;
  const foundedYear = Number(e.founded.slice(0, 4));
  const foundedMonth = Number(e.founded.slice(5, 7));
  const out: AnnualRecord[] = [];
  let drift = 0;
  for (const year of ANNUAL_YEARS) {
    // Every year draws the same numbers, whether or not the firm existed, so years never shift.
    drift += 0.1 * rng.normal() - 0.005;
    let partial = 1;
    if (year === foundedYear) partial *= (13 - foundedMonth) / 12;
    const lastShare = rng.uniform(0.2, 0.7);
    if (year === e.closedYear) partial *= lastShare;
    const growth = 1 + 0.6 * (trendOf(e.bucket, year) - 1);
    const revenue = round(e.size * growth * Math.exp(drift) * partial * rng.noise(0.05));
    const output = revenue / p.revenueRatio;
    const energy = round(output * p.energy * rng.noise(0.1));
    const electricity = round(((energy * p.elecShare) / TCE_PER_10K_KWH) * rng.noise(0.05));
    const taxPaid = rng.chance(0.06) ? 0 : round(revenue * p.taxRate * rng.noise(0.3));
    const valueAdded = round(output * p.vaRate * rng.uniform(0.95, 1.05));
    const pol = pollutants(rng, e, output);
    if (year < foundedYear) continue;
    if (e.closedYear !== null && year > e.closedYear) break;
    out.push({
      year,
      landMu: landInYear(e, year),
      taxPaid,
      valueAdded,
      revenue,
      mainRevenue: round(revenue * p.mainRatio),
      energyTce: energy,
      electricity,
      ...pol,
      rdExpense: p.rdBlank ? null : round(revenue * p.rdRate),
      avgEmployees: Math.max(3, Math.round(p.employees0 * Math.sqrt(Math.max(0.05, revenue / e.size)))),
    });
  }
  return out;
}
