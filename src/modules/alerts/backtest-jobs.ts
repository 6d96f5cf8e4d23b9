// The backtest of the rule set in force as a background job (a replay of the history took 97 s on the
// city-scale demo on PGlite, inside a GET that held the server). POST /api/alerts/backtest queues one
// (audited); GET reads the latest one with its progress and result, and says whether it is current (the
// rule set and the facts it replayed are today's). The queue is the bulletins' (src/modules/bulletin/
// jobs.ts): the state lives in the table (queued → running → done | failed), a job is claimed with SKIP
// LOCKED so two servers never run the same one, one job at a time per process, and a job left running by
// a process that stopped is queued again when the next one starts.
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { alertBacktests } from '../../db/schema.ts';
import type { RuleSet } from '../../domain/alerts/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { dataStamp, runBacktest } from './backtest.ts';
import { currentRuleSetForRead } from './rules.ts';
import type { BacktestJobView, BacktestView } from './schemas.ts';

type Row = typeof alertBacktests.$inferSelect;

const sameRules = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function view(r: Row | undefined, current: { definition: RuleSet; stamp: string }): BacktestJobView {
  if (!r)
    return {
      id: null,
      status: 'none',
      progress: 0,
      current: false,
      result: null,
      error: null,
      requested: null,
    };
  return {
    id: r.id,
    status: r.status as BacktestJobView['status'],
    progress: r.progress,
    current: r.dataStamp === current.stamp && sameRules(r.definition, current.definition),
    result: (r.result as BacktestView | null) ?? null,
    error: r.error,
    requested: {
      name: r.requestedByName,
      at: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
    },
  };
}

/**
 * The backtest of the rule set in force: the latest job of those rules (its result, or its progress while
 * it runs); `current` is false when the facts changed since. Reading only.
 */
export async function backtestState(db: Db): Promise<BacktestJobView> {
  const rules = await currentRuleSetForRead(db);
  const { stamp } = await dataStamp(db);
  return latestJobOf(db, rules.definition, stamp);
}

/** The latest job of these rules, judged against this data stamp (read once by the caller). */
async function latestJobOf(db: Db, definition: RuleSet, stamp: string): Promise<BacktestJobView> {
  const rows = await db
    .select()
    .from(alertBacktests)
    .where(sql`${alertBacktests.definition} = ${JSON.stringify(definition)}::jsonb`)
    .orderBy(desc(alertBacktests.id))
    .limit(1);
  return view(rows[0], { definition, stamp });
}

/**
 * Queues the backtest of the rule set in force on today's facts, unless one of the same rules and facts
 * is queued, running or done (then that one is the answer: nothing is written).
 */
export async function requestBacktest(db: Db, user: AuthedUser, actor: Actor): Promise<BacktestJobView> {
  const rules = await currentRuleSetForRead(db);
  const { stamp } = await dataStamp(db);
  const id = await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [same] = await tx
      .select({ id: alertBacktests.id })
      .from(alertBacktests)
      .where(
        and(
          eq(alertBacktests.dataStamp, stamp),
          sql`${alertBacktests.status} in ('queued', 'running', 'done')`,
          sql`${alertBacktests.definition} = ${JSON.stringify(rules.definition)}::jsonb`,
        ),
      )
      .orderBy(desc(alertBacktests.id))
      .limit(1);
    if (same) return null;
    const [row] = await tx
      .insert(alertBacktests)
      .values({
        definition: rules.definition,
        ruleSetVersion: rules.version,
        dataStamp: stamp,
        status: 'queued',
        requestedBy: user.id,
        requestedByName: user.username,
      })
      .returning({ id: alertBacktests.id });
    await writeAudit(tx, actor, {
      action: 'alert_backtest.request',
      entity: 'alert_backtest',
      entityId: row!.id,
      after: { ruleSetVersion: rules.version, dataStamp: stamp },
    });
    return row!.id;
  });
  // the answer is read before the job starts: the replay's CPU would otherwise come first; the rules and
  // the facts' stamp are those read above (counting the facts again would scan them a second time)
  const state = await latestJobOf(db, rules.definition, stamp);
  if (id !== null) kickBacktests(db);
  return state;
}

// ---------------------------------------------------------------- the queue of this process

let running: Promise<void> | null = null;
let again = false;
/** set at shutdown: the job in hand stops at its next slice and is queued again */
let stopping = false;
class Stopped extends Error {}

async function claim(db: Db): Promise<Row | null> {
  const rows = await queryRows<{ id: number | string }>(
    db,
    sql`
    update alert_backtests set status = 'running', progress = 0, started_at = now(), updated_at = now()
    where id = (select id from alert_backtests where status = 'queued' order by id limit 1 for update skip locked)
    returning id`,
  );
  const id = rows[0]?.id;
  if (id === undefined) return null;
  const [row] = await db
    .select()
    .from(alertBacktests)
    .where(eq(alertBacktests.id, Number(id)));
  return row ?? null;
}

async function runJob(db: Db, row: Row): Promise<void> {
  try {
    let shown = 0;
    const [result] = await runBacktest(db, [row.definition as RuleSet], null, async (fraction) => {
      if (stopping) throw new Stopped('server stopping');
      const pct = Math.floor(fraction * 100);
      if (pct < shown + 5 && pct < 100) return; // a row write per 5 %, not per slice
      shown = pct;
      await db
        .update(alertBacktests)
        .set({ progress: Math.min(99, pct), updatedAt: new Date() })
        .where(eq(alertBacktests.id, row.id));
    });
    await db
      .update(alertBacktests)
      .set({ status: 'done', progress: 100, result, finishedAt: new Date(), updatedAt: new Date() })
      .where(eq(alertBacktests.id, row.id));
  } catch (error) {
    if (error instanceof Stopped) {
      await db
        .update(alertBacktests)
        .set({ status: 'queued', progress: 0, updatedAt: new Date() })
        .where(eq(alertBacktests.id, row.id));
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(alertBacktests)
      .set({ status: 'failed', error: message.slice(0, 2000), finishedAt: new Date(), updatedAt: new Date() })
      .where(eq(alertBacktests.id, row.id));
  }
}

async function drain(db: Db): Promise<void> {
  do {
    again = false;
    for (let row = stopping ? null : await claim(db); row; row = stopping ? null : await claim(db))
      await runJob(db, row);
  } while (again);
}

/** Runs the queue now (or once more after the current run), in the background. */
export function kickBacktests(db: Db): void {
  if (running) {
    again = true;
    return;
  }
  running = drain(db)
    .catch(() => {})
    .finally(() => {
      running = null;
    });
}

/**
 * At server start: a job left running by a process that stopped (untouched for five minutes) is queued
 * again, and the queue is run.
 */
export async function startBacktestWorker(db: Db): Promise<void> {
  stopping = false;
  await db
    .update(alertBacktests)
    .set({ status: 'queued' })
    .where(
      and(
        eq(alertBacktests.status, 'running'),
        lt(alertBacktests.updatedAt, new Date(Date.now() - 5 * 60_000)),
      ),
    );
  kickBacktests(db);
}

/** Waits until no backtest runs in this process (tests). */
export async function waitForBacktests(): Promise<void> {
  while (running) await running;
}

/** Server shutdown: the job in hand stops at its next slice, queued again for the next start. */
export async function stopBacktests(): Promise<void> {
  stopping = true;
  await waitForBacktests();
}
