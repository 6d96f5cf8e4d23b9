// When a month is closed for reporting (报送截止), pure. A month's facts arrive in several files (departments,
// counties); the first of them must not make every other firm "not reported", nor every cluster and county
// "fewer reporting firms". docs/methodology.md, "Risk early warning", states the rule and why.
import type { RuleSet } from './types.ts';

/**
 * The share of the month before's reporting firms a month needs to be closed without a later month — an
 * inference (no source sets one): the real files of a month come by department and county, and a county's
 * firms are a fifth or less of a city's; 90 % leaves room for the firms that do stop reporting.
 */
export const DEFAULT_CLOSED_SHARE = 0.9;

/** What is on record about a month's reporting. */
export interface MonthReporting {
  /** firms with a row in the month */
  firms: number;
  /** firms with a row in the month before */
  before: number;
  /** whether any later month has facts on record */
  later: boolean;
}

/**
 * closed(m) ⇔ later(m) ∨ firms(m) ≥ share · firms(m − 1).
 * A later month's facts close a month whatever its count (its files came before the next month's); else the
 * month is closed once its reporting firms reach `share` of the month before's. A month after a month without
 * facts (firms before = 0) is closed: there is nothing to wait for.
 */
export function monthClosed(r: MonthReporting, share: number): boolean {
  return r.later || r.firms >= share * r.before;
}

/** The rule set's share (a rule set saved before it had one uses the default). */
export function closedShare(set: Pick<RuleSet, 'reportingClosed'>): number {
  return set.reportingClosed?.share ?? DEFAULT_CLOSED_SHARE;
}
