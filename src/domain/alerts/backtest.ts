// Backtest of a rule set (pure): replay the monthly evaluation over the history and judge it against the
// firms that failed. Recall = failing firms flagged ahead; lead = months from the first alert to the
// failure; precision = alerts on firms that failed among all alerts.
import { monthsBetween, type Month } from '../periods.ts';
import { shiftMonth as addMonths } from './months.ts';
import { median } from './firm-signals.ts';
import { evaluateSubject } from './engine.ts';
import { LEVEL_RANK, type Level, type RuleSet, type SignalSeries } from './types.ts';

/** A flag counts as "ahead" when raised at most this many months before the failure (inference). */
export const HORIZON_MONTHS = 12;
/** In the replay an alert is taken as handled and closed once its rule stayed silent this long. */
export const RESOLVE_AFTER = 3;

export interface BacktestSubject {
  id: number;
  series: SignalSeries;
  /** the month the firm failed (output at its floor, or closed); null for firms that did not fail */
  failedAt: Month | null;
}

/** The judgement of one tier of alerts (all levels, or red and orange only). */
export interface BacktestScore {
  /** failing firms with an alert raised at most HORIZON_MONTHS before they failed */
  flaggedAhead: number;
  recall: number | null;
  medianLeadMonths: number | null;
  alerts: number;
  alertsOnFailing: number;
  /** alerts on firms that failed among all alerts */
  precision: number | null;
  /** flagged firms that failed among all flagged firms */
  firmPrecision: number | null;
}

export interface BacktestResult extends BacktestScore {
  from: Month;
  to: Month;
  firms: number;
  failing: number;
  /** the same score for red and orange alerts only (the ones that become tasks) */
  actionable: BacktestScore;
  byLevel: Record<Level, number>;
  /** per rule: alerts raised or escalated by it, and those on failing firms */
  byRule: Record<string, { alerts: number; onFailing: number }>;
}

class Score {
  flaggedAhead = 0;
  alerts = 0;
  alertsOnFailing = 0;
  flaggedFirms = 0;
  flaggedFailing = 0;
  readonly leads: number[] = [];

  /** one firm's alerts (months raised) */
  add(raised: readonly Month[], failedAt: Month | null): void {
    this.alerts += raised.length;
    if (raised.length) this.flaggedFirms++;
    if (!failedAt) return;
    this.alertsOnFailing += raised.length;
    if (raised.length) this.flaggedFailing++;
    const ahead = raised.filter((m) => m <= failedAt && addMonths(m, HORIZON_MONTHS) >= failedAt).sort()[0];
    if (ahead) {
      this.flaggedAhead++;
      this.leads.push(monthDiff(ahead, failedAt));
    }
  }

  result(failing: number): BacktestScore {
    return {
      flaggedAhead: this.flaggedAhead,
      recall: failing ? this.flaggedAhead / failing : null,
      medianLeadMonths: this.leads.length ? median(this.leads) : null,
      alerts: this.alerts,
      alertsOnFailing: this.alertsOnFailing,
      precision: this.alerts ? this.alertsOnFailing / this.alerts : null,
      firmPrecision: this.flaggedFirms ? this.flaggedFailing / this.flaggedFirms : null,
    };
  }
}

/** Accumulates the backtest subject by subject, so a long history can be replayed in slices. */
export class BacktestTally {
  private failing = 0;
  private firms = 0;
  private readonly all = new Score();
  private readonly actionable = new Score();
  private readonly byLevel: Record<Level, number> = { red: 0, orange: 0, yellow: 0 };
  private readonly byRule: BacktestResult['byRule'] = {};
  private readonly months: Month[];

  constructor(
    private readonly ruleSet: RuleSet,
    private readonly from: Month,
    private readonly to: Month,
  ) {
    this.months = monthsBetween(from, to);
  }

  add(s: BacktestSubject): void {
    this.firms++;
    if (s.failedAt) this.failing++;
    const open = new Map<string, { last: Month; level: Level }>();
    const raised: Month[] = [];
    const raisedActionable: Month[] = [];
    for (const m of this.months) {
      for (const f of evaluateSubject(this.ruleSet, 'firm', s.series, m)) {
        const prev = open.get(f.signal);
        const stillOpen = prev !== undefined && addMonths(prev.last, RESOLVE_AFTER) > m;
        if (stillOpen && LEVEL_RANK[f.level] <= LEVEL_RANK[prev.level]) {
          prev.last = m; // dedup: the open alert is refreshed
          continue;
        }
        open.set(f.signal, { last: m, level: f.level });
        // a new alert, or an escalation of the open one (counted once per level it reaches)
        if (!stillOpen) raised.push(m);
        if (f.level !== 'yellow' && (!stillOpen || prev.level === 'yellow')) raisedActionable.push(m);
        this.byLevel[f.level]++;
        const r = (this.byRule[f.ruleId] ??= { alerts: 0, onFailing: 0 });
        r.alerts++;
        if (s.failedAt) r.onFailing++;
      }
    }
    this.all.add(raised, s.failedAt);
    this.actionable.add(raisedActionable, s.failedAt);
  }

  result(): BacktestResult {
    return {
      from: this.from,
      to: this.to,
      firms: this.firms,
      failing: this.failing,
      ...this.all.result(this.failing),
      actionable: this.actionable.result(this.failing),
      byLevel: { ...this.byLevel },
      byRule: structuredClone(this.byRule),
    };
  }
}

export function backtest(
  ruleSet: RuleSet,
  subjects: readonly BacktestSubject[],
  from: Month,
  to: Month,
): BacktestResult {
  const tally = new BacktestTally(ruleSet, from, to);
  for (const s of subjects) tally.add(s);
  return tally.result();
}

export function monthDiff(from: Month, to: Month): number {
  return (
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5, 7)) -
    Number(from.slice(5, 7))
  );
}

/**
 * What gets worse from `current` to `candidate` (what a preview warns about before saving): recall, lead
 * or precision, over all alerts and over the red and orange ones ('actionable.recall' …).
 */
export function worseThan(candidate: BacktestResult, current: BacktestResult): string[] {
  const worse: string[] = [];
  const cmp = (prefix: string, a: BacktestScore, b: BacktestScore) => {
    if ((a.recall ?? 0) < (b.recall ?? 0)) worse.push(`${prefix}recall`);
    if ((a.medianLeadMonths ?? 0) < (b.medianLeadMonths ?? 0)) worse.push(`${prefix}lead`);
    if ((a.precision ?? 0) < (b.precision ?? 0)) worse.push(`${prefix}precision`);
  };
  cmp('', candidate, current);
  cmp('actionable.', candidate.actionable, current.actionable);
  return worse;
}
