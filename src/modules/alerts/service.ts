// Reads of the alerts capability: the board, one alert with its history, density by county, and the risk
// profile of a firm, cluster or county (signals over time with the thresholds of the rules on them).
import type { Db } from '../../db/client.ts';
import { rowVisible } from '../../domain/policy/index.ts';
import {
  areaSignals,
  firmSignals,
  projectDelayMonths,
  type Rule,
  type SignalKey,
  type SignalRow,
} from '../../domain/alerts/index.ts';
import { addMonths, monthsBetween, type Month } from '../../domain/periods.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { notFound } from '../../server/errors.ts';
import { areaMembers, firmProjects, latestMonth, loadFirms } from './facts.ts';
import {
  alertEvents,
  clustersOf,
  densityByCounty,
  getAlertRow,
  listAlerts,
  rulesById,
  subjectName,
} from './repo.ts';
import { currentRuleSetForRead } from './rules.ts';
import { keptNewestMonthReporting, openMonthOf } from './reporting.ts';
import type { AlertListQuery, AlertView } from './schemas.ts';

export async function alertBoard(db: Db, user: Pick<AuthedUser, 'scope'>, q: AlertListQuery) {
  const rs = await currentRuleSetForRead(db);
  const list = await listAlerts(db, user.scope, q, rulesById(rs.definition));
  // the newest month's reporting: the board says when it is still open (reporting not judged in it yet)
  const reporting = await keptNewestMonthReporting(db, rs.definition);
  return { ...list, latestMonth: reporting?.month ?? null, reporting };
}

/** One alert, or 404 when it does not exist or lies outside the user's scope (revealing nothing). */
export async function visibleAlert(db: Db, user: AuthedUser, id: number): Promise<AlertView> {
  const rs = await currentRuleSetForRead(db);
  const alert = await getAlertRow(db, id, rulesById(rs.definition));
  if (!alert) throw notFound('alert');
  const clusterCodes =
    alert.subjectKind === 'cluster'
      ? [alert.clusterCode!]
      : alert.enterpriseId
        ? await clustersOf(db, alert.enterpriseId)
        : [];
  if (
    !rowVisible(user, 'alerts.alert', {
      enterpriseId: alert.enterpriseId,
      regionCode: alert.regionCode,
      clusterCodes,
    })
  )
    throw notFound('alert');
  return alert;
}

export async function alertDetail(db: Db, user: AuthedUser, id: number) {
  const alert = await visibleAlert(db, user, id);
  return { alert, events: await alertEvents(db, id) };
}

export async function density(db: Db, user: AuthedUser) {
  const month = await latestMonth(db);
  const rows = await densityByCounty(db, user.scope, month);
  return {
    month,
    counties: rows.map((r) => ({ ...r, perHundred: r.firms ? (100 * r.open) / r.firms : null })),
  };
}

/** Months a profile shows: the last three years up to the latest month. */
export const PROFILE_MONTHS = 36;

function thresholdsOf(rules: readonly Rule[], signal: SignalKey) {
  return rules
    .filter((r) => r.enabled)
    .flatMap((r) =>
      r.all
        .filter((c) => c.signal === signal)
        .map((c) => ({ ruleId: r.id, level: r.level, op: c.op, value: c.value })),
    );
}

function profileOf(
  series: ReadonlyMap<Month, SignalRow>,
  months: Month[],
  signals: readonly SignalKey[],
  rules: readonly Rule[],
) {
  return signals.map((signal) => ({
    signal,
    values: months.map((m) => {
      const v = series.get(m)?.[signal];
      return v == null ? null : Math.round(v * 100) / 100;
    }),
    thresholds: thresholdsOf(rules, signal),
  }));
}

const FIRM_PROFILE: SignalKey[] = [
  'electricity_index',
  'output_yoy',
  'tax_yoy',
  'employees_yoy',
  'output_seasonal_z',
  'output_seasonal_dev',
  'tax_electricity_gap',
  'months_not_reported',
  'project_delay_months',
];
const AREA_PROFILE: SignalKey[] = [
  'diffusion_index',
  'cr1',
  'cr5',
  'hhi',
  'firm_count_yoy',
  'cost_per_100_yoy',
];

/**
 * A subject's risk profile: 'firm:<id>', 'cluster:<code>' or 'county:<code>'. A firm outside the scope is
 * 404; areas follow the board's scope (a county officer reads its county, an agency its cluster).
 */
export async function riskProfile(db: Db, user: AuthedUser, subjectKey: string) {
  const rs = await currentRuleSetForRead(db);
  const reporting = await keptNewestMonthReporting(db, rs.definition);
  const last = reporting?.month ?? null;
  // as the evaluation judges it: reporting is not judged in the month still open for it
  const open = openMonthOf(reporting);
  const [kind, code] = subjectKey.split(':') as [string, string | undefined];
  if (!last || !code) throw notFound('subject');
  const months = monthsBetween(addMonths(last, -(PROFILE_MONTHS - 1)), last);
  const rules = rs.definition.rules;
  const alerts = await listAlerts(
    db,
    user.scope,
    {
      state: 'all',
      ...(kind === 'firm' ? { enterprise: Number(code) } : {}),
      subject: kind as never,
      pageSize: 200,
    },
    rulesById(rs.definition),
  );
  if (kind === 'firm') {
    const id = Number(code);
    if (!Number.isInteger(id)) throw notFound('enterprise');
    const firms = await loadFirms(db, { fromId: id, toId: id });
    const firm = firms.get(id);
    const clusterCodes = await clustersOf(db, id);
    if (
      !firm ||
      !rowVisible(user, 'alerts.alert', { enterpriseId: id, regionCode: firm.regionCode, clusterCodes })
    )
      throw notFound('enterprise');
    const series = new Map(months.map((m) => [m, firmSignals(firm.history, m, m === open)]));
    const projects = (await firmProjects(db, id)).get(id);
    if (projects) for (const [m, row] of series) row.project_delay_months = projectDelayMonths(projects, m);
    return {
      subjectKey,
      name: await subjectName(db, subjectKey),
      months,
      signals: profileOf(
        series,
        months,
        FIRM_PROFILE,
        rules.filter((r) => r.subject === 'firm'),
      ),
      alerts: alerts.rows,
      ruleSetVersion: rs.version,
    };
  }
  if (kind !== 'cluster' && kind !== 'county') throw notFound('subject');
  const allowed =
    user.scope.kind === 'all' ||
    (kind === 'county' && user.scope.kind === 'region' && user.scope.regionCode === code) ||
    (kind === 'cluster' && user.scope.kind === 'cluster' && user.scope.clusterCode === code);
  if (!allowed) throw notFound('subject');
  const ids = await areaMembers(db, kind === 'cluster' ? { cluster: code } : { county: code });
  // area signals need each month and the one a year before (1–2月 merged): no seasonal baseline
  const firms = await loadFirms(db, {
    months: monthsBetween(addMonths(months[0]!, -13), last),
    enterpriseIds: ids,
  });
  const input = [...firms.values()].map((f) => ({
    history: f.history,
    signals: new Map(months.map((m) => [m, firmSignals(f.history, m, m === open)])),
    regionCode: f.regionCode,
    clusters: f.clusters,
  }));
  const series = areaSignals(input, months, open).get(subjectKey) ?? new Map<Month, SignalRow>();
  return {
    subjectKey,
    name: await subjectName(db, subjectKey),
    months,
    signals: profileOf(
      series,
      months,
      AREA_PROFILE,
      rules.filter((r) => r.subject === kind),
    ),
    alerts: alerts.rows.filter((a) => a.subjectKey === subjectKey),
    ruleSetVersion: rs.version,
  };
}
