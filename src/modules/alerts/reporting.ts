// Whether the newest month on record is closed for reporting (src/domain/alerts/reporting.ts): the evaluation
// judges reporting in it only once it is, and the board says when it is not. Only the newest month can be
// open (every other has a later month), so one statement counts its firms and the month before's.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { closedShare, monthClosed, type RuleSet } from '../../domain/alerts/index.ts';
import type { Month } from '../../domain/periods.ts';
import { monthlyFactRows } from '../imports/index.ts';

export interface NewestMonthReporting {
  /** the newest month with facts */
  month: Month;
  /** firms with a row in it, and in the month before */
  firms: number;
  before: number;
  share: number;
  closed: boolean;
}

/** The newest month's reporting under the rule set's share; null on an empty database. */
export async function newestMonthReporting(
  db: Db,
  set: Pick<RuleSet, 'reportingClosed'>,
): Promise<NewestMonthReporting | null> {
  // each count walks the month index (one firm a row: the key is firm and month)
  const [row] = await queryRows<{ m: string | null; firms: number; before: number }>(
    db,
    sql`select to_char(n.m, 'YYYY-MM') as m,
          (select count(*)::int from ${monthlyFactRows()} ms where ms.month = n.m) as firms,
          (select count(*)::int from ${monthlyFactRows()} ms
            where ms.month = (n.m - interval '1 month')::date) as before
        from (select max(ms.month) as m from ${monthlyFactRows()} ms) n`,
  );
  if (!row?.m) return null;
  const share = closedShare(set);
  const firms = Number(row.firms);
  const before = Number(row.before);
  return { month: row.m, firms, before, share, closed: monthClosed({ firms, before, later: false }, share) };
}

/** The month still open for reporting, or null. */
export const openMonthOf = (r: NewestMonthReporting | null): Month | null =>
  r && !r.closed ? r.month : null;

/**
 * The months whose latest evaluation judged them open for reporting (their evaluation row's
 * `counts.reporting.closed` false; rows written before it existed were judged closed).
 */
export async function monthsEvaluatedOpen(db: Db): Promise<Month[]> {
  const rows = await queryRows<{ m: string }>(
    db,
    sql`select to_char(e.month, 'YYYY-MM') as m
        from (select distinct on (month) month, counts from alert_evaluations order by month, id desc) e
        where e.counts -> 'reporting' ->> 'closed' = 'false'
        order by e.month`,
  );
  return rows.map((r) => r.m);
}
