// The target ledger (issue 16 item 1): every target of a set with its responsible units (牵头/配合), data
// source and reviewing department, unit, baseline, goal, deadline and how it is measured, and its figure
// for a year: computed (monitoring's measurement, or here for what monitoring does not compute — the
// investment growth and the fibre base), or reported (the approved city-wide value, else the sum of the
// approved county values for a count), else nothing — shown as "未填报 · <lead unit>".
// Also the county breakdown of one target and the goals the city enters for counties.
import { textArray } from '../../db/arrays.ts';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { targetCountyGoals } from '../../db/schema.ts';
import type { Target, TargetSet } from '../../config/load.ts';
import { meets, type Comparator } from '../../domain/monitoring/targets.ts';
import { additiveUnit, cityFromCounties, progressOf } from '../../domain/targets/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { assertAllowed } from '../../server/policy.ts';
import { badRequest, notFound } from '../../server/errors.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { cityConfig, defaultSet, targetProgressOfSet } from '../monitoring/index.ts';
import { baselineValues, CITY, computedValues, investmentGrowth } from './county.ts';
import {
  baselineYearOf,
  countyCodes,
  countyRowsOf,
  enteredGoals,
  measurementOf,
  reportsOfYear,
  splitOf,
} from './progress.ts';
import type { BreakdownAnswer, LedgerAnswer, LedgerRow } from './schemas.ts';

const isoDay = (d: string | Date | null): string | null =>
  d == null ? null : (d instanceof Date ? d : new Date(d)).toISOString().slice(0, 10);
const latest = (a: string | null, b: string | null) => (a == null ? b : b == null ? a : a > b ? a : b);

const setInfo = (s: TargetSet) => ({ code: s.code, name: s.name, status: s.status, issuedOn: s.issuedOn });

async function setOf(setCode: string | undefined): Promise<TargetSet> {
  const config = await cityConfig();
  const set = setCode ? config.targetSets.find((s) => s.code === setCode) : defaultSet(config.targetSets);
  if (!set) throw notFound('target set');
  return set;
}

/** Status of a figure computed here: judged on the year once the deadline year is reached. */
function statusOf(t: Target, value: number | null, year: number): string {
  if (value == null) return 'no_data';
  const ok = meets(value, t.goal, t.comparator as Comparator);
  if (year >= Number(t.deadline.slice(0, 4))) return ok ? 'achieved' : 'missed';
  return ok ? 'on_track' : 'at_risk';
}

export async function ledger(db: Db, q: { setCode?: string; year?: number }): Promise<LedgerAnswer> {
  const config = await cityConfig();
  const set = await setOf(q.setCode);
  const measured = await targetProgressOfSet(db, { targetSet: set.code, scale: 'above' });
  const asOf = measured.asOf;
  const latestComplete = asOf.endsWith('-12') ? Number(asOf.slice(0, 4)) : Number(asOf.slice(0, 4)) - 1;
  const year =
    q.year ?? Math.min(latestComplete, Math.max(...set.targets.map((t) => Number(t.deadline.slice(0, 4)))));
  const city = config.city.code;
  const reports = (await reportsOfYear(db, year)).filter((r) => r.set_code === set.code);
  const rows: LedgerRow[] = [];
  for (const t of set.targets) {
    const m = measured.targets.find((x) => x.code === t.code);
    const measurement = measurementOf(t);
    const baselineYear = baselineYearOf(set, t);
    const mine = reports.filter((r) => r.target_code === t.code);
    const count = (s: string) => mine.filter((r) => r.status === s).length;
    let value: number | null = null;
    let valueYear: number | null = null;
    let progress: number | null = null;
    let status = 'no_data';
    let valueSource: LedgerRow['valueSource'] = 'none';
    let usedBaseYear = baselineYear;
    let reportedBy: string | null = null;
    let approvedAt: string | null = null;
    if (measurement === 'computed' && m && m.status !== 'not_measured') {
      value = m.actual;
      valueYear = m.actualYear;
      progress = m.progress;
      status = m.status;
      valueSource = 'computed';
    } else if (t.metric === 'cluster_industrial_investment_growth') {
      const g = await investmentGrowth(db, baselineYear, year);
      value = g.values.get(CITY) ?? null;
      valueYear = value == null ? null : year;
      usedBaseYear = g.baseYears.get(CITY) ?? baselineYear;
      progress = progressOf(value, t.goal, t.comparator);
      status = statusOf(t, value, year);
      valueSource = value == null ? 'none' : 'computed';
    } else if (measurement === 'computed') {
      value = (await computedValues(db, t, baselineYear, year))?.get(CITY) ?? null;
      valueYear = value == null ? null : year;
      progress = progressOf(value, t.goal, t.comparator);
      status = statusOf(t, value, year);
      valueSource = value == null ? 'none' : 'computed';
    } else {
      const own = mine.find((r) => r.region_code === city);
      const counties = cityFromCounties(
        mine.filter((r) => r.region_code !== city && r.status === 'approved').map((r) => Number(r.value)),
        additiveUnit(t.unit),
      );
      const approvedCounties = mine.filter((r) => r.region_code !== city && r.status === 'approved');
      const lead = (t.lead ?? t.responsibleUnits.slice(0, 1)).join('、');
      if (own?.status === 'approved') {
        value = Number(own.value);
        valueSource = 'city_report';
        reportedBy = own.submitted_by_name ? `${lead}（${own.submitted_by_name}）` : lead;
        approvedAt = isoDay(own.reviewed_at);
      } else if (counties.value != null) {
        value = counties.value;
        valueSource = 'county_sum';
        reportedBy = `${approvedCounties.length} 个县（市、区）`;
        approvedAt = approvedCounties.map((r) => isoDay(r.reviewed_at)).reduce(latest, null);
      }
      valueYear = value == null ? null : year;
      progress = progressOf(value, t.goal, t.comparator);
      status = value != null ? 'reported' : own ? `report_${own.status}` : 'unreported';
    }
    rows.push({
      code: t.code,
      name: t.name,
      nameEn: t.nameEn,
      clusterCode: t.clusterCode ?? null,
      unit: t.unit,
      basis: t.basis,
      goal: t.goal,
      comparator: t.comparator,
      deadline: t.deadline,
      baselineYear: usedBaseYear,
      baselineValue: t.baseline?.value ?? m?.baselineValue ?? null,
      lead: t.lead ?? t.responsibleUnits.slice(0, 1),
      support: t.support ?? t.responsibleUnits.slice(1),
      dataSource: t.dataSource ?? t.measuredBy,
      reviewer: t.reviewer ?? '',
      measurement,
      countySplit: splitOf(t),
      policySection: t.policySection,
      measuredBy: t.measuredBy,
      note: t.note ?? null,
      value,
      valueYear,
      valueSource,
      reportedBy,
      approvedAt,
      progress,
      status,
      reports: { approved: count('approved'), pending: count('pending'), returned: count('returned') },
    });
  }
  return { sets: config.targetSets.map(setInfo), set: setInfo(set), year, asOf, cityCode: city, rows };
}

export async function breakdown(
  db: Db,
  q: { setCode: string; targetCode: string; year: number },
): Promise<BreakdownAnswer> {
  const set = await setOf(q.setCode);
  const t = set.targets.find((x) => x.code === q.targetCode);
  if (!t) throw notFound('target');
  const baselineYear = baselineYearOf(set, t);
  const counties = await countyCodes(db);
  const names = new Map(
    (
      await queryRows<{ code: string; name: string }>(
        db,
        sql`select code, name from regions where level = 'county'`,
      )
    ).map((r) => [r.code, r.name]),
  );
  const reports = await reportsOfYear(db, q.year);
  const entered = await enteredGoals(db);
  const rows = await countyRowsOf(db, set, t, q.year, { counties, reports, entered });
  const base =
    measurementOf(t) === 'computed' && splitOf(t) === 'baseline_share'
      ? ((await baselineValues(db, t, baselineYear)) ?? new Map())
      : new Map<string, number | null>();
  const baseTotal = counties.reduce((s, c) => s + Math.max(0, base.get(c) ?? 0), 0);
  const ids = new Map(
    (
      await queryRows<{ id: number; region_code: string }>(
        db,
        sql`select id, region_code from target_reports where set_code = ${set.code} and target_code = ${t.code} and year = ${q.year}`,
      )
    ).map((r) => [r.region_code, Number(r.id)]),
  );
  const mineEntered = entered.get(`${set.code}/${t.code}`) ?? new Map<string, number>();
  const cityValue =
    measurementOf(t) === 'computed'
      ? ((await computedValues(db, t, baselineYear, q.year))?.get(CITY) ?? null)
      : cityFromCounties(
          rows.map((r) => r.value),
          additiveUnit(t.unit),
        ).value;
  return {
    setCode: set.code,
    targetCode: t.code,
    name: t.name,
    unit: t.unit,
    comparator: t.comparator,
    year: q.year,
    countySplit: splitOf(t),
    measurement: measurementOf(t),
    baselineYear,
    city: { goal: t.goal, value: cityValue, progress: progressOf(cityValue, t.goal, t.comparator) },
    rows: rows.map((r) => ({
      regionCode: r.regionCode,
      regionName: names.get(r.regionCode) ?? r.regionCode,
      baseline: base.get(r.regionCode) ?? (base.size ? 0 : null),
      share: baseTotal > 0 ? Math.max(0, base.get(r.regionCode) ?? 0) / baseTotal : null,
      goal: r.goal,
      goalEntered: mineEntered.has(r.regionCode),
      value: r.value,
      progress: r.progress,
      reportStatus: r.reportStatus,
      reportId: ids.get(r.regionCode) ?? null,
    })),
  };
}

/** The city enters (or clears, goal null) county goals of a target; entered goals win over the split. */
export async function setCountyGoals(
  db: Db,
  user: AuthedUser,
  body: {
    setCode: string;
    targetCode: string;
    goals: { regionCode: string; goal: number | null }[];
    note?: string;
  },
  actor: Actor,
): Promise<void> {
  assertAllowed(user, 'targets.ledger', 'manage');
  const set = await setOf(body.setCode);
  const t = set.targets.find((x) => x.code === body.targetCode);
  if (!t) throw notFound('target');
  if (splitOf(t) === 'none')
    throw badRequest('This target does not split into county targets.', '该目标不分解到县（市、区）。');
  const counties = new Set(await countyCodes(db));
  const unknown = body.goals.find((g) => !counties.has(g.regionCode));
  if (unknown)
    throw badRequest(`Unknown county ${unknown.regionCode}.`, `未知县（市、区）${unknown.regionCode}。`);
  await db.transaction(async (tx) => {
    const before = await queryRows<{ region_code: string; goal: number }>(
      tx,
      sql`select region_code, goal from target_county_goals where set_code = ${set.code} and target_code = ${t.code}`,
    );
    const clear = body.goals.filter((g) => g.goal == null).map((g) => g.regionCode);
    const put = body.goals.filter((g): g is { regionCode: string; goal: number } => g.goal != null);
    await tx.execute(
      sql`delete from target_county_goals where set_code = ${set.code} and target_code = ${t.code}
          and region_code = any(${textArray([...clear, ...put.map((g) => g.regionCode)])})`,
    );
    if (put.length)
      await tx.insert(targetCountyGoals).values(
        put.map((g) => ({
          setCode: set.code,
          targetCode: t.code,
          regionCode: g.regionCode,
          goal: g.goal,
          note: body.note ?? null,
          updatedBy: user.username,
        })),
      );
    await writeAudit(tx, actor, {
      action: 'target.county_goals',
      entity: 'target',
      entityId: `${set.code}/${t.code}`,
      before: Object.fromEntries(before.map((r) => [r.region_code, Number(r.goal)])),
      after: { goals: body.goals, note: body.note ?? null },
    });
  });
}
