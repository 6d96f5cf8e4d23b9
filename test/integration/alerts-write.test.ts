// The alerts of an evaluation written once, set-based (issue 13), on every test database: the same alert
// rows as the month-by-month writes they replace (test/helpers/legacy-alert-writes.ts) on demo data, events
// only where an alert's state changed, and a second evaluation of unchanged data (or of an older month)
// writes no event and changes no alert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { evaluateMonths } from '../../src/modules/alerts/evaluate.ts';
import { withDb } from '../../src/modules/alerts/tx.ts';
import { addMonths, monthsBetween } from '../../src/domain/periods.ts';
import { legacyEvaluateMonths } from '../helpers/legacy-alert-writes.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

const actor = { id: null, username: 'fixture' };

interface AlertRow {
  subject_key: string;
  signal: string;
  subject_kind: string;
  enterprise_id: number | null;
  cluster_code: string | null;
  region_code: string | null;
  rule_id: string;
  level: string;
  rule_set_version: number;
  first_month: string;
  last_month: string;
  evidence: unknown;
  open: boolean;
}
interface EventRow {
  subject_key: string;
  signal: string;
  kind: string;
  month: string;
  level: string;
  rule_id: string;
  evidence: unknown;
}

const alertRows = (db: Db) =>
  queryRows<AlertRow>(
    db,
    sql`select subject_key, signal, subject_kind, enterprise_id::int as enterprise_id, cluster_code, region_code,
          rule_id, level, rule_set_version, to_char(first_month, 'YYYY-MM') as first_month,
          to_char(last_month, 'YYYY-MM') as last_month, evidence, open
        from alerts order by subject_key, signal, first_month`,
  );
const eventRows = (db: Db) =>
  queryRows<EventRow>(
    db,
    sql`select a.subject_key, a.signal, e.kind, to_char(e.month, 'YYYY-MM') as month, e.level, e.rule_id, e.evidence
        from alert_events e join alerts a on a.id = e.alert_id order by a.subject_key, a.signal, e.id`,
  );

class Rollback extends Error {}

/** What `write` leaves in the alerts and events, rolled back afterwards. */
async function writtenBy(db: Db, write: (tx: Db) => Promise<unknown>) {
  let out: { alerts: AlertRow[]; events: EventRow[] } | null = null;
  await db
    .transaction(async (tx) => {
      await write(tx as unknown as Db);
      out = { alerts: await alertRows(tx as unknown as Db), events: await eventRows(tx as unknown as Db) };
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return out!;
}

const key = (e: EventRow) => `${e.subject_key}|${e.signal}|${e.month}|${e.level}|${e.rule_id}`;

describe.each(testDatabases())('alerts written set-based ($kind)', (t) => {
  let d: Database;
  let months: string[];

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 11, enterpriseCount: 600 });
    const [m] = await queryRows<{ m: string }>(
      d.db,
      sql`select to_char(max(month), 'YYYY-MM') as m from monthly_stats`,
    );
    months = monthsBetween(addMonths(m!.m, -7), m!.m);
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  it('gives the same alerts as the month-by-month writes, with events only where an alert changed', async () => {
    // two evaluations in a row, as two imports would run them: five months, then the newest three
    const first = months.slice(0, 5);
    const second = months.slice(5);
    const legacy = await writtenBy(d.db, async (tx) => {
      await legacyEvaluateMonths(tx, first);
      await legacyEvaluateMonths(tx, second);
    });
    const set = await writtenBy(d.db, async (tx) => {
      await evaluateMonths(tx, first, { trigger: 'demand', actor });
      await evaluateMonths(tx, second, { trigger: 'demand', actor });
    });
    expect(legacy.alerts.length).toBeGreaterThan(20);
    expect(new Set(legacy.alerts.map((a) => a.level))).toContain('orange');
    expect(legacy.events.filter((e) => e.kind === 'escalated').length).toBeGreaterThan(0);
    expect(set.alerts).toEqual(legacy.alerts);

    // the events: every raise and escalation as before; every other event the month-by-month writes
    // logged as 'refreshed' stands only where the alert's level or rule changed
    const kinds = (rows: EventRow[], k: string[]) => rows.filter((e) => k.includes(e.kind)).map(key);
    expect(kinds(set.events, ['raised'])).toEqual(kinds(legacy.events, ['raised']));
    const legacyBy = new Map(legacy.events.map((e) => [key(e), e]));
    for (const e of set.events) {
      const was = legacyBy.get(key(e));
      expect(was, key(e)).toBeDefined();
      expect(was!.evidence).toEqual(e.evidence);
      if (e.kind !== 'raised') expect(['escalated', 'refreshed']).toContain(was!.kind);
    }
    for (const e of legacy.events.filter((x) => x.kind === 'escalated'))
      expect(set.events.find((x) => key(x) === key(e))?.kind, key(e)).toBe('escalated');
    // the refreshes that repeated the alert's rule and level are gone from the history
    expect(set.events.length).toBeLessThan(legacy.events.length);
    const previous = new Map<string, EventRow>();
    for (const e of set.events) {
      const before = previous.get(`${e.subject_key}|${e.signal}`);
      if (before && e.kind !== 'raised')
        expect(before.level !== e.level || before.rule_id !== e.rule_id, key(e)).toBe(true);
      previous.set(`${e.subject_key}|${e.signal}`, e);
    }
  });

  it('a second evaluation of unchanged data writes no event and changes no alert', async () => {
    // inside a transaction, as every caller runs it (the staging tables live as long as it)
    const evaluate = () => withDb(d.db, (tx) => evaluateMonths(tx, months, { trigger: 'demand', actor }));
    await evaluate();
    const snapshot = async () => ({
      alerts: await queryRows(d.db, sql`select * from alerts order by id`),
      events: await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from alert_events`),
      requests: await queryRows<{ n: number }>(
        d.db,
        sql`select count(*)::int as n from service_requests where alert_id is not null`,
      ),
    });
    const before = await snapshot();
    expect(before.alerts.length).toBeGreaterThan(20);
    const again = await evaluate();
    // every firing met its open alert again, and nothing about any of them changed
    expect(again.created).toBe(0);
    expect(again.escalated).toBe(0);
    expect(again.refreshed).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
    // a correction of an older month: its firings are counted, and change no alert that has moved past it
    const older = await withDb(d.db, (tx) => evaluateMonths(tx, [months[1]!], { trigger: 'demand', actor }));
    expect(older.refreshed).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
    // the evaluation itself is still on record, one row per month
    const [runs] = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from alert_evaluations`,
    );
    expect(runs!.n).toBe(2 * months.length + 1);
  });
});
