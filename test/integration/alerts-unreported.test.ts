// Firms that stopped reporting, on every test database (issue 13): the evaluation answers a firm that
// reported in none of the evaluated months from its reporting pattern (src/domain/alerts/unreported-firms.ts)
// instead of its table; the alerts and events it writes must be those of the specification's row path
// (firmSignals month by month, test/helpers/legacy-alert-writes.ts) on demo data where two thirds of the
// firms stopped reporting — before the months the runs look back at, inside them, or right before the
// evaluated months — and the firms that still report, the clusters and the counties keep theirs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import {
  evaluateMonths,
  lookbackOf,
  subjectSignals,
  type SubjectSignals,
} from '../../src/modules/alerts/evaluate.ts';
import { currentRuleSet } from '../../src/modules/alerts/rules.ts';
import { addMonths, monthsBetween } from '../../src/domain/periods.ts';
import { legacyEvaluateMonths } from '../helpers/legacy-alert-writes.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

const actor = { id: null, username: 'fixture' };

const alertRows = (db: Db) =>
  queryRows<Record<string, unknown>>(
    db,
    sql`select subject_key, signal, subject_kind, enterprise_id::int as enterprise_id, cluster_code, region_code,
          rule_id, level, rule_set_version, to_char(first_month, 'YYYY-MM') as first_month,
          to_char(last_month, 'YYYY-MM') as last_month, evidence, open
        from alerts order by subject_key, signal, first_month`,
  );
const raisedEvents = (db: Db) =>
  queryRows<Record<string, unknown>>(
    db,
    sql`select a.subject_key, a.signal, to_char(e.month, 'YYYY-MM') as month, e.level, e.rule_id, e.evidence
        from alert_events e join alerts a on a.id = e.alert_id where e.kind = 'raised'
        order by a.subject_key, a.signal, e.id`,
  );

class Rollback extends Error {}

describe.each(testDatabases())('firms that stopped reporting ($kind)', (t) => {
  let d: Database;
  let months: string[];

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 17, enterpriseCount: 600 });
    const [m] = await queryRows<{ m: string }>(
      d.db,
      sql`select to_char(max(month), 'YYYY-MM') as m from monthly_stats`,
    );
    months = monthsBetween(addMonths(m!.m, -5), m!.m);
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  /**
   * Firms with id ≡ 0 (mod 3) stopped before the runs' look-back (no report since 14 months before the
   * newest), ≡ 1 (mod 6) right before the evaluated months, ≡ 2 (mod 6) inside the months the runs look
   * back at; the others keep reporting.
   */
  const stopSome = (tx: Db) =>
    tx.execute(
      sql`delete from monthly_stats where (enterprise_id % 3 = 0 and month > ${`${addMonths(months.at(-1)!, -14)}-01`}::date)
            or (enterprise_id % 6 = 1 and month >= ${`${months[0]}-01`}::date)
            or (enterprise_id % 6 = 2 and month >= ${`${addMonths(months[0]!, -3)}-01`}::date)`,
    );

  /** Alerts and raised events of `evaluate` after some firms stopped reporting; rolled back afterwards. */
  async function written(evaluate: (tx: Db, lap: (step: string) => void) => Promise<unknown>) {
    let out: {
      alerts: unknown[];
      raised: unknown[];
      stopped: number[];
      firms: number;
      laps: string[];
    } | null = null;
    await d.db
      .transaction(async (t0) => {
        const tx = t0 as unknown as Db;
        await stopSome(tx);
        const stopped = await queryRows<{ id: number }>(
          tx,
          sql`select id::int as id from enterprises e where not exists (select 1 from monthly_stats ms
                where ms.enterprise_id = e.id and ms.month >= ${`${months[0]}-01`}::date)
                and exists (select 1 from monthly_stats ms where ms.enterprise_id = e.id) order by id`,
        );
        const [all] = await queryRows<{ n: number }>(
          tx,
          sql`select count(distinct enterprise_id)::int as n from monthly_stats`,
        );
        const laps: string[] = [];
        await evaluate(tx, (step) => laps.push(step));
        out = {
          alerts: await alertRows(tx),
          raised: await raisedEvents(tx),
          stopped: stopped.map((r) => r.id),
          firms: all!.n,
          laps,
        };
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
    return out!;
  }
  it('raises exactly the alerts of the row path, the stopped firms’ "not reported" among them', async () => {
    const expected = await written((tx) => legacyEvaluateMonths(tx, months));
    const actual = await written((tx, lap) => evaluateMonths(tx, months, { trigger: 'demand', actor, lap }));
    expect(actual.alerts).toEqual(expected.alerts);
    expect(actual.raised).toEqual(expected.raised);

    // the case is not empty: two thirds of the firms stopped, and most were evaluated by their pattern
    // (those with a class drop or projects by their table)
    expect(expected.stopped.length).toBeGreaterThan(actual.firms / 2);
    const byPattern = /(\d+) firms by their reporting alone/.exec(actual.laps.join('\n'));
    expect(Number(byPattern?.[1])).toBeGreaterThan(expected.stopped.length / 2);
    expect(Number(byPattern?.[1])).toBeLessThanOrEqual(expected.stopped.length);
    const keys = new Set(expected.stopped.map((id) => `firm:${id}`));
    const alerts = expected.alerts as { subject_key: string; rule_id: string }[];
    const raised = expected.raised as { subject_key: string; rule_id: string }[];
    // raised yellow in the first month missed (the firms stopped inside the span), orange after two
    const rules = new Set(raised.filter((a) => keys.has(a.subject_key)).map((a) => a.rule_id));
    expect(rules).toContain('not-reported-1');
    expect(alerts.filter((a) => keys.has(a.subject_key)).map((a) => a.rule_id)).toContain('not-reported-2');
    // and the firms still reporting and the areas have alerts of their own
    expect(alerts.some((a) => !keys.has(a.subject_key) && a.subject_key.startsWith('firm:'))).toBe(true);
    expect(alerts.some((a) => a.subject_key.startsWith('cluster:'))).toBe(true);
  });

  it('counts the firms evaluated by their reporting alone in their areas exactly as the row path does', async () => {
    await d.db
      .transaction(async (t0) => {
        const tx = t0 as unknown as Db;
        await stopSome(tx);
        const set = (await currentRuleSet(tx)).definition;
        const targets = monthsBetween(addMonths(months[0]!, -lookbackOf(set)), months.at(-1)!);
        const areas = (subjects: SubjectSignals[]) =>
          new Map(subjects.filter((s) => s.kind !== 'firm').map((s) => [s.key, s.series]));
        // the specification's row path (firmSignals month by month, every firm's own rows) and the evaluation's
        // (firm tables; no table for a firm evaluated by its reporting alone)
        const rowPath = await subjectSignals(tx, targets);
        const laps: string[] = [];
        const tablePath = await subjectSignals(tx, targets, [], { set, months }, (s) => laps.push(s));
        expect(tablePath.total).toBe(rowPath.total);
        const want = areas(rowPath.subjects);
        const got = areas(tablePath.subjects);
        expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
        // every signal of every area in every month, to the last bit (the cost sums in the same firm order)
        for (const [key, series] of want) expect(got.get(key), key).toEqual(series);

        // the case is not empty: firms evaluated by their reporting alone, some of which reported in the
        // months before the evaluated ones, where they count in their areas' counts, outputs, diffusion and cost
        expect(Number(/(\d+) firms by their reporting alone/.exec(laps.join('\n'))?.[1])).toBeGreaterThan(50);
        const rows = [...want.values()].flatMap((s) => [...s.values()]);
        expect(rows.some((r) => r.diffusion_index != null)).toBe(true);
        expect(rows.some((r) => r.cost_per_100_yoy != null)).toBe(true);
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
  });
});
