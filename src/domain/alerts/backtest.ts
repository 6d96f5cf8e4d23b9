// Backtest of a rule set (pure): replay the monthly evaluation over the history and judge it against the
// firms that failed. Recall = failing firms flagged ahead; lead = months from the first alert to the
// failure; precision = alerts on firms that failed among all alerts.
import { addMonths, monthsBetween, type Month } from '../periods.ts';
import { median } from './firm-signals.ts';
import { evaluateSubject } from './engine.ts';
import type { Level, RuleSet, SignalSeries } from './types.ts';

/** A flag counts as "ahead" when raised this many months before the failure at most (inference). */
export const HORIZON_MONTHS = 24;
/** In the replay an alert is taken as handled and closed once its rule stayed silent this long. */
export const RESOLVE_AFTER = 3;

export interface BacktestSubject {
  id: number;
  series: SignalSeries;
  /** the month the firm failed (output at its floor, or closed); null for firms that did not fail */
  failedAt: Month | null;
}

export interface BacktestResult {
  from: Month;
  to: Month;
  firms: number;
  failing: number;
  flaggedAhead: number;
  recall: number | null;
  medianLeadMonths: number | null;
  alerts: number;
  alertsOnFailing: number;
  precision: number | null;
  /** flagged firms that failed among all flagged firms */
  firmPrecision: number | null;
  byLevel: Record<Level, number>;
  /** per rule: alerts raised and those on failing firms */
  byRule: Record<string, { alerts: number; onFailing: number }>;
}

export function backtest(
  ruleSet: RuleSet,
  subjects: readonly BacktestSubject[],
  from: Month,
  to: Month,
): BacktestResult {
  const months = monthsBetween(from, to);
  let failing = 0;
  let flaggedAhead = 0;
  let alerts = 0;
  let alertsOnFailing = 0;
  let flaggedFirms = 0;
  let flaggedFailing = 0;
  const leads: number[] = [];
  const byLevel: Record<Level, number> = { red: 0, orange: 0, yellow: 0 };
  const byRule: BacktestResult['byRule'] = {};
  for (const s of subjects) {
    if (s.failedAt) failing++;
    const lastFired = new Map<string, Month>();
    let firstAhead: Month | null = null;
    let raised = 0;
    for (const m of months) {
      for (const f of evaluateSubject(ruleSet, 'firm', s.series, m)) {
        const prev = lastFired.get(f.signal);
        lastFired.set(f.signal, m);
        if (prev && addMonths(prev, RESOLVE_AFTER) > m) continue; // still open: dedup
        raised++;
        byLevel[f.level]++;
        const r = (byRule[f.ruleId] ??= { alerts: 0, onFailing: 0 });
        r.alerts++;
        if (s.failedAt) {
          r.onFailing++;
          if (m <= s.failedAt && addMonths(m, HORIZON_MONTHS) >= s.failedAt && firstAhead === null)
            firstAhead = m;
        }
      }
    }
    alerts += raised;
    if (raised > 0) flaggedFirms++;
    if (s.failedAt) {
      alertsOnFailing += raised;
      if (raised > 0) flaggedFailing++;
      if (firstAhead) {
        flaggedAhead++;
        leads.push(monthDiff(firstAhead, s.failedAt));
      }
    }
  }
  return {
    from,
    to,
    firms: subjects.length,
    failing,
    flaggedAhead,
    recall: failing ? flaggedAhead / failing : null,
    medianLeadMonths: leads.length ? median(leads) : null,
    alerts,
    alertsOnFailing,
    precision: alerts ? alertsOnFailing / alerts : null,
    firmPrecision: flaggedFirms ? flaggedFailing / flaggedFirms : null,
    byLevel,
    byRule,
  };
}

export function monthDiff(from: Month, to: Month): number {
  return (
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5, 7)) -
    Number(from.slice(5, 7))
  );
}

/** Whether `candidate` is worse than `current` on recall, lead or precision (what a preview warns about). */
export function worseThan(candidate: BacktestResult, current: BacktestResult): string[] {
  const worse: string[] = [];
  if ((candidate.recall ?? 0) < (current.recall ?? 0)) worse.push('recall');
  if ((candidate.medianLeadMonths ?? 0) < (current.medianLeadMonths ?? 0)) worse.push('lead');
  if ((candidate.precision ?? 0) < (current.precision ?? 0)) worse.push('precision');
  return worse;
}
