// A monthly file's refresh of cluster_region_month (only its months, only its firms' county × zone × scale
// groups, and for a small file the registry side built for the firms reporting in those months alone) writes
// the same rows as a full rebuild, to the last bit. The values are arbitrary doubles, whose sums depend on
// the order of the additions: equal rows also say that both add each cell's facts in the same order (the
// order the facts are read in), whichever side of the join the planner hashes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { idArray, queryRows, type Database, type Db } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { setLocal } from '../../src/db/set-local.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

const CELLS = sql`select row(c.*)::text as r from cluster_region_month c order by 1`;

class Discard extends Error {}

const value = fc.option(fc.double({ min: -5000, max: 5000, noNaN: true, noDefaultInfinity: true }), {
  freq: 6,
});
/** A firm's fact of a month written anew (at the table's end), or removed. */
const change = fc.record({
  firm: fc.nat(),
  month: fc.nat(),
  removed: fc.nat({ max: 4 }).map((n) => n === 0),
  values: fc.tuple(value, value, value, value, value, value, value),
  employees: fc.option(fc.integer({ min: 0, max: 5000 }), { freq: 6 }),
});

type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

const floats = (xs: (number | null)[]) =>
  sql`${`{${xs.map((x) => (x == null ? 'NULL' : String(x))).join(',')}}`}::float8[]`;

describe.each(testDatabases())(
  'cluster_region_month: a monthly refresh equals a full rebuild ($kind)',
  (t) => {
    let d: Database;
    let firms: number[] = [];
    let months: string[] = [];

    beforeAll(async () => {
      d = await openReadyDatabase(t);
      await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 5, enterpriseCount: 40 });
      firms = (
        await queryRows<{ id: number }>(d.db, sql`select id::int as id from enterprises order by id`)
      ).map((r) => r.id);
      months = (
        await queryRows<{ m: string }>(
          d.db,
          sql`select distinct to_char(month, 'YYYY-MM-DD') as m from monthly_stats order by 1`,
        )
      ).map((r) => r.m);
    });
    afterAll(async () => {
      if (d) await t.dispose(d);
    });

    async function apply(tx: Db, rows: Change[]) {
      const ids = rows.map((r) => firms[r.firm % firms.length]!);
      const days = rows.map((r) => months[r.month % months.length]!);
      await tx.execute(
        sql`delete from monthly_stats ms using unnest(${idArray(ids)}, ${sql`${`{${days.join(',')}}`}::date[]`}) u(id, m)
          where ms.enterprise_id = u.id and ms.month = u.m`,
      );
      const kept = rows.map((r, i) => ({ ...r, id: ids[i]!, day: days[i]! })).filter((r) => !r.removed);
      if (!kept.length) return;
      const col = (k: number) => floats(kept.map((r) => r.values[k] ?? null));
      await tx.execute(
        sql`insert into monthly_stats (enterprise_id, month, output_value, revenue, profit, tax, energy_tce,
            electricity, employees, export_value)
          select * from unnest(${idArray(kept.map((r) => r.id))}, ${sql`${`{${kept.map((r) => r.day).join(',')}}`}::date[]`},
            ${col(0)}, ${col(1)}, ${col(2)}, ${col(3)}, ${col(4)}, ${col(5)},
            ${sql`${`{${kept.map((r) => (r.employees == null ? 'NULL' : String(r.employees))).join(',')}}`}::int[]`},
            ${col(6)})`,
      );
    }

    it('after random corrections of random firms and months', { timeout: 300_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(change, {
            minLength: 1,
            maxLength: 30,
            selector: (r) => `${r.firm % firms.length}|${r.month % months.length}`,
          }),
          async (rows) => {
            let refreshed: { r: string }[] = [];
            let rebuilt: { r: string }[] = [];
            await d.db
              .transaction(async (tx) => {
                await apply(tx, rows);
                const changed = [...new Set(rows.map((r) => months[r.month % months.length]!))];
                await refreshClusterRollups(tx, {
                  months: changed,
                  firms: [...new Set(rows.map((r) => firms[r.firm % firms.length]!))],
                });
                refreshed = await queryRows<{ r: string }>(tx, CELLS);
                await refreshClusterRollups(tx);
                rebuilt = await queryRows<{ r: string }>(tx, CELLS);
                throw new Discard();
              })
              .catch((e) => {
                if (!(e instanceof Discard)) throw e;
              });
            expect(rebuilt.length).toBeGreaterThan(0);
            expect(refreshed).toEqual(rebuilt);
          },
        ),
        {
          numRuns: Number(process.env.ROLLUPS_RUNS ?? 4),
          seed: Number(process.env.ROLLUPS_SEED ?? 20261206),
        },
      );
    });

    it('turns planner methods off for the refresh and puts each previous value back', async () => {
      const settings = (tx: Db) =>
        queryRows<{ mergejoin: string; sort: string }>(
          tx,
          sql`select current_setting('enable_mergejoin') as mergejoin, current_setting('enable_sort') as sort`,
        );
      await d.db
        .transaction(async (tx) => {
          // one on, one off already: each must come back as it was
          await tx.execute(
            sql`select set_config('enable_mergejoin', 'off', true), set_config('enable_sort', 'on', true)`,
          );
          const restore = await setLocal(tx, { enable_mergejoin: 'off', enable_sort: 'off' });
          expect(await settings(tx)).toEqual([{ mergejoin: 'off', sort: 'off' }]);
          await restore();
          expect(await settings(tx)).toEqual([{ mergejoin: 'off', sort: 'on' }]);
          await refreshClusterRollups(tx, { months: months.slice(0, 2), firms: firms.slice(0, 3) });
          expect(await settings(tx)).toEqual([{ mergejoin: 'off', sort: 'on' }]);
          throw new Discard();
        })
        .catch((e) => {
          if (!(e instanceof Discard)) throw e;
        });
    });
  },
);
