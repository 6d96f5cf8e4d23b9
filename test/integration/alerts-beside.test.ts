// The alert rules evaluated beside the monitoring rollups (issue 13), on every test database: the import's
// alert hook reads its facts first, evaluates the firms while the rollups' statements run on the connection
// and writes after them (evaluateMonthsBeside, src/modules/imports/hooks.ts' hooks in two parts). The
// alerts, their events and the evaluation rows must be those of evaluateMonths run after the rollups, on
// demo data where a third of the firms stopped reporting (evaluated by their reporting pattern).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../../src/db/client.ts';
import { writtenInRollback } from '../helpers/alerts-written.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { evaluateMonths, evaluateMonthsBeside } from '../../src/modules/alerts/evaluate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { addMonths, monthsBetween } from '../../src/domain/periods.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

const actor = { id: null, username: 'fixture' };

describe.each(testDatabases())('alert rules evaluated beside the rollups ($kind)', (t) => {
  let d: Database;
  let months: string[];

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 23, enterpriseCount: 500 });
    const [m] = await queryRows<{ m: string }>(
      d.db,
      sql`select to_char(max(month), 'YYYY-MM') as m from monthly_stats`,
    );
    months = monthsBetween(addMonths(m!.m, -6), m!.m);
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  /** What `evaluate` writes after a third of the firms stopped reporting; rolled back afterwards. */
  const written = (evaluate: (tx: Db, lap: (step: string) => void) => Promise<unknown>) =>
    writtenInRollback(d, months[0]!, async () => undefined, evaluate);

  it('writes the alerts, events and evaluation rows of the evaluation after the rollups', async () => {
    const expected = await written(async (tx) => {
      await refreshClusterRollups(tx, { months });
      await evaluateMonths(tx, months, { trigger: 'import', actor });
    });
    const actual = await written(async (tx, lap) => {
      const rest = await evaluateMonthsBeside(tx, months, { trigger: 'import', actor, lap });
      await refreshClusterRollups(tx, { months });
      await rest(tx);
    });
    expect(actual.rows).toEqual(expected.rows);
    // the case is not empty, and the firms were evaluated beside the rollups, some by their pattern
    const [alerts] = expected.rows as unknown[][];
    expect(alerts!.length).toBeGreaterThan(50);
    const laps = actual.laps.join('\n');
    expect(laps).toMatch(/facts, classes, projects, investment and chain nodes read ahead/);
    expect(laps).toMatch(/evaluated beside the reads and the hooks before/);
    expect(Number(/(\d+) firms by their reporting alone/.exec(laps)?.[1])).toBeGreaterThan(0);
  });
});
