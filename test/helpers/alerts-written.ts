// What the alert rules write, evaluated inside a transaction rolled back afterwards: the beside-the-rollups
// and small-correction suites compare the import's way of evaluating with the full evaluation on the same data.
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../../src/db/client.ts';
import { addMonths } from '../../src/domain/periods.ts';

/**
 * The alerts, their events, the evaluation rows and the counts of work items and enterprise requests; ids as
 * their rank (a rolled back transaction does not give its sequence's numbers back). One statement after
 * another: a transaction's connection runs one at a time.
 */
export const alertTables = async (db: Db) => [
  await queryRows(
    db,
    sql`select rank() over (order by id)::int as n, subject_key, signal, subject_kind, enterprise_id::int as enterprise_id, cluster_code,
            region_code, rule_id, level, rule_set_version, first_month::text, last_month::text, evidence, open, status
          from alerts order by id`,
  ),
  await queryRows(
    db,
    sql`select rank() over (order by e.id)::int as n, a.subject_key, a.signal, a.first_month::text, e.kind,
            e.month::text, e.level, e.rule_id, e.evidence, e.reason
          from alert_events e join alerts a on a.id = e.alert_id order by e.id`,
  ),
  await queryRows(
    db,
    sql`select month::text, rule_set_version, trigger, counts from alert_evaluations order by id`,
  ),
  await queryRows(db, sql`select count(*)::int as n from work_items`),
  await queryRows(db, sql`select count(*)::int as n from service_requests`),
];

class Rollback extends Error {}

/**
 * In a transaction rolled back afterwards: no alert on record, a third of the firms (id % 3 = 0) stopped
 * reporting two months before `firstMonth`, then `prepare` and `evaluate` (given a lap recorder): what it
 * wrote (alertTables) and the laps it recorded.
 */
export async function writtenInRollback(
  d: Database,
  firstMonth: string,
  prepare: (tx: Db) => Promise<void>,
  evaluate: (tx: Db, lap: (step: string) => void) => Promise<unknown>,
): Promise<{ rows: unknown[]; laps: string[] }> {
  let out: { rows: unknown[]; laps: string[] } | null = null;
  await d.db
    .transaction(async (t0) => {
      const tx = t0 as unknown as Db;
      await tx.execute(sql`delete from alert_events`);
      await tx.execute(sql`delete from alerts`);
      await tx.execute(
        sql`delete from monthly_stats where enterprise_id % 3 = 0 and month >= ${`${addMonths(firstMonth, -2)}-01`}::date`,
      );
      await prepare(tx);
      const laps: string[] = [];
      await evaluate(tx, (step) => laps.push(step));
      out = { rows: await alertTables(tx), laps };
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return out!;
}
