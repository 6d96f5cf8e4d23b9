// The rule engine (pure): which rules fire for a subject in a month, with consecutive-month conditions,
// and how firings meet the open alerts (one open alert per subject and signal; a higher level escalates).
import type { Month } from '../periods.ts';
import { shiftMonth as addMonths } from './months.ts';
import {
  LEVEL_RANK,
  type Condition,
  type Firing,
  type Rule,
  type RuleSet,
  type SignalKey,
  type SignalRow,
  type SignalSeries,
} from './types.ts';

/** How far back a run of consecutive months is followed (skipped months included). */
export const MAX_LOOKBACK = 24;

type Check = 'true' | 'false' | 'skip';

function compare(v: number, c: Condition): boolean {
  switch (c.op) {
    case '<':
      return v < c.value;
    case '<=':
      return v <= c.value;
    case '>':
      return v > c.value;
    case '>=':
      return v >= c.value;
    case 'abs>=':
      return Math.abs(v) >= c.value;
  }
}

/**
 * Whether every condition holds in a month: 'skip' when a signal is not computed that month (January of
 * the merged comparisons, or a month with no row at all before the firm's history starts is `false`),
 * 'false' when one fails or its data are missing (a missing value breaks a run: no alarm on absent data —
 * the months-not-reported rule speaks for those).
 */
export function check(rule: Rule, row: SignalRow | undefined): Check {
  if (!row) return 'false';
  let skip = false;
  for (const c of rule.all) {
    if (!(c.signal in row)) {
      skip = true;
      continue;
    }
    const v = row[c.signal];
    if (v == null || !compare(v, c)) return 'false';
  }
  return skip ? 'skip' : 'true';
}

/** The rule's firing in `month`, or null: it must hold in the month and the consecutive−1 months before. */
export function fire(rule: Rule, series: SignalSeries, month: Month): Firing | null {
  if (!rule.enabled) return null;
  const first = check(rule, series.get(month));
  if (first !== 'true') return null;
  const months: Month[] = [month];
  for (let k = 1; months.length < rule.consecutive && k <= MAX_LOOKBACK; k++) {
    const m = addMonths(month, -k);
    const r = check(rule, series.get(m));
    if (r === 'false') return null;
    if (r === 'true') months.push(m);
  }
  if (months.length < rule.consecutive) return null;
  const signals = new Set<SignalKey>(rule.all.map((c) => c.signal));
  return {
    ruleId: rule.id,
    signal: rule.signal,
    level: rule.level,
    month,
    evidence: months.reverse().map((m) => {
      const row = series.get(m)!;
      const values: Partial<Record<SignalKey, number>> = {};
      for (const s of signals) {
        const v = row[s];
        if (v != null) values[s] = round(v);
      }
      return { month: m, values };
    }),
  };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Every rule of the subject's kind that fires; per signal only the highest level (then first rule). */
export function evaluateSubject(
  ruleSet: RuleSet,
  subject: Rule['subject'],
  series: SignalSeries,
  month: Month,
): Firing[] {
  const best = new Map<SignalKey, Firing>();
  for (const rule of ruleSet.rules) {
    if (rule.subject !== subject) continue;
    const f = fire(rule, series, month);
    if (!f) continue;
    const had = best.get(f.signal);
    if (!had || LEVEL_RANK[f.level] > LEVEL_RANK[had.level]) best.set(f.signal, f);
  }
  return [...best.values()];
}

export interface OpenAlert {
  id: number;
  subjectKey: string;
  signal: SignalKey;
  level: Firing['level'];
}

export type Reconciled =
  | { kind: 'create'; subjectKey: string; firing: Firing }
  | { kind: 'escalate'; alert: OpenAlert; firing: Firing }
  | { kind: 'refresh'; alert: OpenAlert; firing: Firing };

/**
 * Dedup across months: a firing with no open alert for its subject and signal creates one; with an open
 * alert it refreshes it (latest month and evidence), or escalates it when its level is higher. An open
 * alert's level never drops on its own — people close alerts, not the data.
 */
export function reconcile(
  open: readonly OpenAlert[],
  firings: readonly { subjectKey: string; firing: Firing }[],
): Reconciled[] {
  const byKey = new Map(open.map((a) => [`${a.subjectKey}|${a.signal}`, a]));
  const out: Reconciled[] = [];
  for (const { subjectKey, firing } of firings) {
    const key = `${subjectKey}|${firing.signal}`;
    const alert = byKey.get(key);
    if (!alert) {
      out.push({ kind: 'create', subjectKey, firing });
      // a second firing of the same key in one batch refreshes the alert being created
      byKey.set(key, { id: -1, subjectKey, signal: firing.signal, level: firing.level });
    } else if (LEVEL_RANK[firing.level] > LEVEL_RANK[alert.level]) {
      out.push({ kind: 'escalate', alert, firing });
      alert.level = firing.level;
    } else out.push({ kind: 'refresh', alert, firing });
  }
  return out;
}
