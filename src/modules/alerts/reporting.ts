// Whether the newest month on record is closed for reporting (src/domain/alerts/reporting.ts): the evaluation
// judges reporting in it only once it is, and the board says when it is not. Only the newest month can be
// open (every other has a later month), so one statement counts its firms and the month before's.
//
// The reads (the board, a risk profile, a rule set's preview, the monitoring pages' note) take those counts
// from answers kept at the facts' version (src/db/answer-cache.ts): each count walks the month index, ≈ 0.15 s
// at province scale, on every request. The version is the monitoring rollups' stamp, which every import of
// monthly facts bumps inside its transaction, commit and rollback alike (the rollup refresh, a facts-changed
// hook), and a full rebuild (the demo) too; another server process's import shows within the ttl (a second),
// this process's at once (onRollupsRefreshed forgets them). The rule sets' stamp is part of it for the
// note's share in force. The evaluation inside an import counts live: its facts just changed in its
// transaction.
import { sql } from 'drizzle-orm';
import { answerCache } from '../../db/answer-cache.ts';
import { queryRows, type Db } from '../../db/client.ts';
import { closedShare, monthClosed, type RuleSet } from '../../domain/alerts/index.ts';
import type { Month } from '../../domain/periods.ts';
import { monthlyFactRows } from '../imports/index.ts';
import { onRollupsRefreshed, rollupVersion } from '../monitoring/relations.ts';
import { currentRuleSetForRead } from './rules.ts';

export interface NewestMonthReporting {
  /** the newest month with facts */
  month: Month;
  /** firms with a row in it, and in the month before */
  firms: number;
  before: number;
  share: number;
  closed: boolean;
}

interface NewestMonthCounts {
  month: Month;
  firms: number;
  before: number;
}

async function countNewestMonth(db: Db): Promise<NewestMonthCounts | null> {
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
  return { month: row.m, firms: Number(row.firms), before: Number(row.before) };
}

function judged(
  counts: NewestMonthCounts | null,
  set: Pick<RuleSet, 'reportingClosed'>,
): NewestMonthReporting | null {
  if (!counts) return null;
  const share = closedShare(set);
  const { month, firms, before } = counts;
  return { month, firms, before, share, closed: monthClosed({ firms, before, later: false }, share) };
}

/**
 * The newest month's reporting under the rule set's share, counted now; null on an empty database. For the
 * evaluation inside an import's transaction (its facts just changed there); reads use keptNewestMonthReporting.
 */
export async function newestMonthReporting(
  db: Db,
  set: Pick<RuleSet, 'reportingClosed'>,
): Promise<NewestMonthReporting | null> {
  return judged(await countNewestMonth(db), set);
}

// rule sets are only ever added (a change is the next version): their count and newest version stamp them
async function ruleSetsStamp(db: Db): Promise<string> {
  const [row] = await queryRows<{ s: string }>(
    db,
    sql`select count(*)::text || '/' || coalesce(max(version), 0)::text as s from alert_rule_sets`,
  );
  return row?.s ?? '';
}

const kept = answerCache({
  version: async (db) => JSON.stringify(await Promise.all([rollupVersion(db), ruleSetsStamp(db)])),
  ttlMs: 1000,
  maxEntries: 10,
});
onRollupsRefreshed(() => kept.forget());

/** Forgets the kept counts and note of this process: called when a rule set is put in force here. */
export function forgetReportingAnswers(): void {
  kept.forget();
}

/** newestMonthReporting from the counts kept at the facts' version: for reads (GET writes nothing). */
export async function keptNewestMonthReporting(
  db: Db,
  set: Pick<RuleSet, 'reportingClosed'>,
): Promise<NewestMonthReporting | null> {
  return judged(await kept.answer(db, 'counts', () => countNewestMonth(db)), set);
}

/**
 * The newest month when it is still open for reporting under the rule set in force, or null: what the
 * monitoring pages' note says (the composition root hands it to monitoring, which may not import alerts).
 * Kept as one object while the facts and rule sets stand, so a page's answer with it is serialised once.
 */
export function openMonthInForce(db: Db): Promise<NewestMonthReporting | null> {
  return kept.answer(db, 'open', async () => {
    const rs = await currentRuleSetForRead(db);
    const r = await keptNewestMonthReporting(db, rs.definition);
    return r && !r.closed ? r : null;
  });
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
