// County progress on every target that splits into county targets (issue 16 item 5), and how completely
// and punctually each county reported the values nothing computes — the two reads the county assessment
// scores from. A computed target's county value comes from the same statement as the city's (county.ts);
// a reported target's from the county's approved report of that year.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import type { Target, TargetSet } from '../../config/load.ts';
import {
  additiveUnit,
  onTime,
  progressOf,
  splitGoal,
  type CountySplit,
  type Measurement,
} from '../../domain/targets/index.ts';
import { cityConfig } from '../monitoring/index.ts';
import { baselineValues, computedValues, type RegionValues } from './county.ts';

export interface CountyTargetRow {
  regionCode: string;
  targetCode: string;
  nameZh: string;
  measurement: 'computed' | 'reported';
  value: number | null;
  goal: number | null;
  progress: number | null;
  reportStatus: 'approved' | 'pending' | 'returned' | 'missing' | null;
}

export const measurementOf = (t: Target): Measurement =>
  t.measurement ?? (t.measuredBy.startsWith('manual') ? 'reported' : 'computed');
export const splitOf = (t: Target): CountySplit => t.countySplit ?? 'none';

/** The baseline year of a target: its own, else the last complete year when the document was issued. */
export const baselineYearOf = (set: TargetSet, t: Target): number =>
  t.baseline?.year ?? Number(set.issuedOn.slice(0, 4)) - 1;

/** Sets whose period covers the year: issued by then, deadline not before it. */
export function setsCovering(sets: readonly TargetSet[], year: number): TargetSet[] {
  return sets.filter(
    (s) =>
      Number(s.issuedOn.slice(0, 4)) <= year && s.targets.some((t) => Number(t.deadline.slice(0, 4)) >= year),
  );
}

export async function countyCodes(db: Db): Promise<string[]> {
  const rows = await queryRows<{ code: string }>(
    db,
    sql`select code from regions where level = 'county' order by code`,
  );
  return rows.map((r) => r.code);
}

interface ReportRow {
  set_code: string;
  target_code: string;
  region_code: string;
  status: string;
  value: number;
  first_submitted_at: string | Date;
  due_on: string;
  submitted_by_name: string | null;
  reviewed_at: string | Date | null;
}

export async function reportsOfYear(db: Db, year: number): Promise<ReportRow[]> {
  return queryRows<ReportRow>(
    db,
    sql`select set_code, target_code, region_code, status, value, first_submitted_at, due_on::text as due_on,
               submitted_by_name, reviewed_at
        from target_reports where year = ${year}`,
  );
}

export async function enteredGoals(db: Db): Promise<Map<string, Map<string, number>>> {
  const rows = await queryRows<{ set_code: string; target_code: string; region_code: string; goal: number }>(
    db,
    sql`select set_code, target_code, region_code, goal from target_county_goals`,
  );
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const key = `${r.set_code}/${r.target_code}`;
    let m = out.get(key);
    if (!m) out.set(key, (m = new Map()));
    m.set(r.region_code, Number(r.goal));
  }
  return out;
}

/** One target's county rows in a year (values, goals by the target's split, progress, report status). */
export async function countyRowsOf(
  db: Db,
  set: TargetSet,
  t: Target,
  year: number,
  ctx: { counties: string[]; reports: ReportRow[]; entered: Map<string, Map<string, number>> },
): Promise<CountyTargetRow[]> {
  const split = splitOf(t);
  if (split === 'none') return [];
  const measurement = measurementOf(t);
  const baseYear = baselineYearOf(set, t);
  const mine = ctx.reports.filter((r) => r.set_code === set.code && r.target_code === t.code);
  let values: RegionValues = new Map();
  let baseline: RegionValues = new Map();
  if (measurement === 'computed') {
    values = (await computedValues(db, t, baseYear, year)) ?? new Map();
    if (split === 'baseline_share') baseline = (await baselineValues(db, t, baseYear)) ?? new Map();
  } else {
    for (const r of mine) if (r.status === 'approved') values.set(r.region_code, Number(r.value));
  }
  const goals = splitGoal(split, t.goal, ctx.counties, baseline, ctx.entered.get(`${set.code}/${t.code}`));
  // A county absent from a count's grouping has none of the thing; a rate or ratio it has no data for is unknown.
  const zeroWhenAbsent = measurement === 'computed' && additiveUnit(t.unit);
  return ctx.counties.map((c) => {
    const value = values.get(c) ?? (zeroWhenAbsent ? 0 : null);
    const goal = goals.get(c) ?? null;
    const report = mine.find((r) => r.region_code === c);
    return {
      regionCode: c,
      targetCode: t.code,
      nameZh: t.name,
      measurement,
      value,
      goal,
      progress: progressOf(value, goal, t.comparator),
      reportStatus:
        measurement === 'reported'
          ? ((report?.status as 'approved' | 'pending' | 'returned' | undefined) ?? 'missing')
          : null,
    };
  });
}

/**
 * Every county's progress on every target of a set (or, without setCode, of every set whose period covers
 * the year) that splits into county targets. A county with no figure for a counted thing has 0 of it;
 * a rate it cannot be computed for (no investment in the baseline year) is null.
 */
export async function countyTargetProgress(
  db: Db,
  args: { setCode?: string; year: number },
): Promise<CountyTargetRow[]> {
  const config = await cityConfig();
  const sets = args.setCode
    ? config.targetSets.filter((s) => s.code === args.setCode)
    : setsCovering(config.targetSets, args.year);
  const ctx = {
    counties: await countyCodes(db),
    reports: await reportsOfYear(db, args.year),
    entered: await enteredGoals(db),
  };
  const out: CountyTargetRow[] = [];
  for (const set of sets)
    for (const t of set.targets) out.push(...(await countyRowsOf(db, set, t, args.year, ctx)));
  return out;
}

/**
 * Per county: how many reported values were due for the year (reported targets of the sets covering it
 * that split into county targets), how many are approved, and how many of those were first submitted by
 * their due day.
 */
export async function reportedTargetsCompletion(
  db: Db,
  args: { year: number },
): Promise<Array<{ regionCode: string; due: number; approved: number; approvedOnTime: number }>> {
  const config = await cityConfig();
  const due = setsCovering(config.targetSets, args.year).flatMap((s) =>
    s.targets
      .filter(
        (t) =>
          measurementOf(t) === 'reported' &&
          splitOf(t) !== 'none' &&
          Number(t.deadline.slice(0, 4)) >= args.year,
      )
      .map((t) => `${s.code}/${t.code}`),
  );
  const dueSet = new Set(due);
  const reports = (await reportsOfYear(db, args.year)).filter((r) =>
    dueSet.has(`${r.set_code}/${r.target_code}`),
  );
  return (await countyCodes(db)).map((c) => {
    const approved = reports.filter((r) => r.region_code === c && r.status === 'approved');
    return {
      regionCode: c,
      due: due.length,
      approved: approved.length,
      approvedOnTime: approved.filter((r) => onTime(new Date(r.first_submitted_at), r.due_on)).length,
    };
  });
}

/**
 * Every county's progress on the reported targets due in the year (those that split into county
 * targets): the approved value against the county's goal. Reads only the year's reports and the entered
 * goals (no statement per target).
 */
export async function reportedTargetsProgress(db: Db, args: { year: number }): Promise<CountyTargetRow[]> {
  const config = await cityConfig();
  const ctx = {
    counties: await countyCodes(db),
    reports: await reportsOfYear(db, args.year),
    entered: await enteredGoals(db),
  };
  const out: CountyTargetRow[] = [];
  for (const set of setsCovering(config.targetSets, args.year))
    for (const t of set.targets)
      if (
        measurementOf(t) === 'reported' &&
        splitOf(t) !== 'none' &&
        Number(t.deadline.slice(0, 4)) >= args.year
      )
        out.push(...(await countyRowsOf(db, set, t, args.year, ctx)));
  return out;
}
