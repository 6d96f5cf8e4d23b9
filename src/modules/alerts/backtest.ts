// The backtest on the platform's own history: the rules replayed month by month over 2019 … the latest
// month, judged against the firms that failed. On demo data the failures are the generator's own list
// (meta demo_data.failures); elsewhere a firm closed or suspended in the registry failed at its last report.
// The newest month is judged as the live evaluation judges it: while it is still open for reporting
// (reporting.ts, under each rule set's own share) a firm without a row in it is not "not reported" yet; the
// result names the months so judged (`openMonths`), and the rules page says so beside the figures.
import { sql } from 'drizzle-orm';
import { registryRows } from '../enterprises/index.ts';
import { monthlyFactRows } from '../imports/index.ts';
import { queryRows, type Db } from '../../db/client.ts';
import { BacktestTally, firmSignals, type RuleSet, type SignalRow } from '../../domain/alerts/index.ts';
import { monthsBetween, type Month } from '../../domain/periods.ts';
import { latestMonth, loadFirms } from './facts.ts';
import { keptNewestMonthReporting, openMonthOf } from './reporting.ts';
import type { BacktestView } from './schemas.ts';

export const BACKTEST_FROM: Month = '2019-01';
/** firms per slice of the replay: bounds memory whatever the size of the history */
const SLICE = 1500;

export interface GroundTruth {
  source: 'demo' | 'registry';
  failedAt: Map<number, Month>;
}

export async function groundTruth(db: Db): Promise<GroundTruth> {
  const [demo] = await queryRows<{ failures: { enterpriseId: number; failedAt: Month }[] | null }>(
    db,
    sql`select value->'failures' as failures from meta where key = 'demo_data'`,
  );
  if (demo?.failures)
    return { source: 'demo', failedAt: new Map(demo.failures.map((f) => [f.enterpriseId, f.failedAt])) };
  const rows = await queryRows<{ id: number; m: Month }>(
    db,
    sql`select e.id::int as id, to_char(max(ms.month), 'YYYY-MM') as m from ${registryRows()} e
        join ${monthlyFactRows()} ms on ms.enterprise_id = e.id
        where e.status in ('closed', 'suspended') group by e.id`,
  );
  return { source: 'registry', failedAt: new Map(rows.map((r) => [r.id, r.m])) };
}

/**
 * One replay over the history for several rule sets at once (facts read once, in slices of firms).
 * `progress` hears the share of firms replayed after each slice; between slices the event loop runs,
 * so a server doing this in the background keeps answering.
 */
export async function runBacktest(
  db: Db,
  ruleSets: readonly RuleSet[],
  to?: Month | null,
  progress: (fraction: number) => Promise<void> = async () => {},
): Promise<BacktestView[]> {
  const last = to ?? (await latestMonth(db));
  const truth = await groundTruth(db);
  const end = last ?? BACKTEST_FROM;
  const tallies = ruleSets.map((r) => new BacktestTally(r, BACKTEST_FROM, end));
  /** per rule set: whether the newest month was judged open for reporting (none judged so without facts) */
  let open: boolean[] = ruleSets.map(() => false);
  const [range] = await queryRows<{ lo: number | null; hi: number | null }>(
    db,
    sql`select min(ms.enterprise_id)::int as lo, max(ms.enterprise_id)::int as hi from ${monthlyFactRows()} ms`,
  );
  if (last && range?.lo != null && range.hi != null) {
    const months = monthsBetween(BACKTEST_FROM, last);
    // only the newest month on record can be open; a replay that stops before it judges every month closed
    open = await Promise.all(
      ruleSets.map(async (r) => openMonthOf(await keptNewestMonthReporting(db, r)) === last),
    );
    for (let lo = range.lo; lo <= range.hi; lo += SLICE) {
      const firms = await loadFirms(db, { fromId: lo, toId: lo + SLICE - 1 });
      let n = 0;
      for (const f of firms.values()) {
        // the replay is CPU: every 100 firms the event loop runs, so the server keeps answering
        if (++n % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
        const series = new Map<Month, SignalRow>();
        for (const m of months) series.set(m, firmSignals(f.history, m));
        const failedAt = truth.failedAt.get(f.id) ?? null;
        const subject = { id: f.id, series, failedAt };
        // the open month's signals differ only for a firm without a row in it (months not reported unknown)
        const asOpen =
          open.includes(true) && !f.history.has(last)
            ? { id: f.id, series: new Map(series).set(last, firmSignals(f.history, last, true)), failedAt }
            : subject;
        tallies.forEach((t, i) => t.add(open[i] ? asOpen : subject));
      }
      await progress(Math.min(1, (lo + SLICE - range.lo) / (range.hi - range.lo + 1)));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  // the result says which months it judged open, as the monitoring answers carry their `reporting` note
  return tallies.map((t, i) => ({
    ...t.result(),
    groundTruth: truth.source,
    openMonths: open[i] && last ? [last] : [],
  }));
}

/** The facts' state a backtest replays: row count, latest import and latest month. */
export async function dataStamp(db: Db): Promise<{ stamp: string; latestMonth: Month | null }> {
  const [row] = await queryRows<{ n: number; i: number | null; m: string | null }>(
    db,
    sql`select count(*)::int as n, max(ms.import_id)::int as i, to_char(max(ms.month), 'YYYY-MM') as m from ${monthlyFactRows()} ms`,
  );
  return { stamp: `${row?.n}|${row?.i}|${row?.m}`, latestMonth: (row?.m as Month | null) ?? null };
}

/** Backtests kept in this process, keyed by rule set and data state (a replay of the history takes a while). */
const memo = new Map<string, BacktestView>();
const MEMO_SIZE = 16;

/**
 * The backtests of these rule sets, computing in one replay only those not kept for the current data (the
 * facts' row count, latest import and latest month); reading, never writing.
 */
export async function cachedBacktests(
  db: Db,
  ruleSets: readonly RuleSet[],
  to?: Month | null,
): Promise<BacktestView[]> {
  const stamp = await dataStamp(db);
  const last = to ?? stamp.latestMonth;
  const keys = ruleSets.map((r) => `${stamp.stamp}|${last}|${JSON.stringify(r)}`);
  const missing = ruleSets.filter((_, i) => !memo.has(keys[i]!));
  if (missing.length) {
    const fresh = await runBacktest(db, missing, last);
    let k = 0;
    ruleSets.forEach((_, i) => {
      if (!memo.has(keys[i]!)) memo.set(keys[i]!, fresh[k++]!);
    });
    while (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value!);
  }
  return keys.map((k) => memo.get(k)!);
}
