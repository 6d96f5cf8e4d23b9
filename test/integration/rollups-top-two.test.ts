// cluster_region_month's two largest firms per measure equal the first two of the cell's values sorted, for
// values full of ties, nulls and negatives: the refresh finds them in two levels and counts the second
// largest only on the rows at or above a floor (the smaller of two halves' largest), so a tie at the top,
// a half without values or a cell of one firm must still give what a sort gives. Checked on the `_industry`
// cells, whose firms are the group's industrial firms (no membership to follow).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { idArray, queryRows, type Database, type Db } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { ALL_INDUSTRY, INDUSTRIAL_SECTIONS } from '../../src/modules/monitoring/rollup-cells.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

class Discard extends Error {}

/** The ranked measures: the cell's columns and the value sorted (profit by its absolute value). */
const RANKED: [string, string][] = [
  ['output', 'ms.output_value'],
  ['revenue', 'ms.revenue'],
  ['profit', 'abs(ms.profit)'],
  ['tax', 'ms.tax'],
  ['energy_tce', 'ms.energy_tce'],
  ['electricity', 'ms.electricity'],
  ['employees', 'ms.employees'],
  ['export_value', 'ms.export_value'],
];

/** How a run's values are drawn: a seed, how often a value repeats one of two (ties) or is missing. */
const draw = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  ties: fc.constantFrom(0, 0.1, 0.5),
  nulls: fc.constantFrom(0, 0.2, 0.6, 1),
});
type Draw = typeof draw extends fc.Arbitrary<infer T> ? T : never;

/** The run's values, one after another (a linear congruential sequence: the same for the same draw). */
function values({ seed, ties, nulls }: Draw): () => number | null {
  let x = seed;
  const next = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return () => {
    const r = next();
    if (r < nulls) return null;
    if (r < nulls + (1 - nulls) * ties) return next() < 0.5 ? 3 : 9.5;
    return Math.round((next() * 10000 - 5000) * 1000) / 1000;
  };
}

const floats = (xs: (number | null)[]) =>
  sql`${`{${xs.map((x) => (x == null ? 'NULL' : String(x))).join(',')}}`}::float8[]`;

describe.each(testDatabases())('cluster_region_month: the two largest firms ($kind)', (t) => {
  let d: Database;
  let rows: number | undefined;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await generateDemo(d, await loadCityConfig(resolveCityDir()), { seed: 11, enterpriseCount: 300 });
    const [count] = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from monthly_stats`);
    rows = count?.n;
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  /** Every fact's values replaced by the run's. */
  async function rewriteValues(tx: Db, d: Draw) {
    const ids = await queryRows<{ id: number; m: string }>(
      tx,
      sql`select enterprise_id::int as id, to_char(month, 'YYYY-MM-DD') as m from monthly_stats order by 1, 2`,
    );
    const next = values(d);
    const drawn = ids.map(() => Array.from({ length: 8 }, next));
    const col = (k: number) => floats(drawn.map((v) => v[k]!));
    const employees = drawn.map((v) => (v[7] == null ? 'NULL' : String(Math.abs(Math.round(v[7]!)))));
    await tx.execute(
      sql`update monthly_stats ms set output_value = u.a, revenue = u.b, profit = u.c, tax = u.d,
            energy_tce = u.e, electricity = u.f, export_value = u.g, employees = u.h
          from unnest(${idArray(ids.map((r) => r.id))}, ${sql`${`{${ids.map((r) => r.m).join(',')}}`}::date[]`},
            ${col(0)}, ${col(1)}, ${col(2)}, ${col(3)}, ${col(4)}, ${col(5)}, ${col(6)},
            ${sql`${`{${employees.join(',')}}`}::int[]`}) u(id, m, a, b, c, d, e, f, g, h)
          where ms.enterprise_id = u.id and ms.month = u.m`,
    );
  }

  const sections = sql.join(
    INDUSTRIAL_SECTIONS.map((s) => sql`${s}`),
    sql`, `,
  );
  // the reference: each group's industrial firms' values of the month, sorted, first two
  const SORTED = sql.raw(
    RANKED.map(
      ([p, v]) => `(array_agg(${v}::float8 order by ${v} desc) filter (where ${v} is not null))[1:2] as ${p}`,
    ).join(', '),
  );
  const CELL = sql.raw(RANKED.map(([p]) => `array[${p}_top1, ${p}_top2] as ${p}`).join(', '));
  const sorted = (a: (number | null)[] | null) => [a?.[0] ?? null, a?.[1] ?? null];

  it(
    'equal the first two of the values sorted, ties, nulls and lone firms too',
    { timeout: 300_000 },
    async () => {
      expect(rows).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(draw, async (run) => {
          let expected: Record<string, unknown>[] = [];
          let cells: Record<string, unknown>[] = [];
          await d.db
            .transaction(async (tx) => {
              await rewriteValues(tx, run);
              await refreshClusterRollups(tx);
              expected = await queryRows(
                tx,
                sql`select e.region_code, coalesce(e.zone_code, '') as zone_code, e.scale,
                    to_char(ms.month, 'YYYY-MM-DD') as month, ${SORTED}
                  from monthly_stats ms join enterprises e on e.id = ms.enterprise_id
                  join industries i on i.code = e.industry_code and i.section in (${sections})
                  group by 1, 2, 3, 4 order by 1, 2, 3, 4`,
              );
              cells = await queryRows(
                tx,
                sql`select region_code, zone_code, scale, to_char(month, 'YYYY-MM-DD') as month, ${CELL}
                  from cluster_region_month where cluster_code = ${ALL_INDUSTRY} order by 1, 2, 3, 4`,
              );
              throw new Discard();
            })
            .catch((e) => {
              if (!(e instanceof Discard)) throw e;
            });
          expect(expected.length).toBeGreaterThan(0);
          const norm = (r: Record<string, unknown>) => ({
            key: [r.region_code, r.zone_code, r.scale, r.month].join('|'),
            ...Object.fromEntries(
              RANKED.map(([p]) => [
                p,
                sorted(r[p] as (number | null)[] | null).map((x) => (x == null ? null : Number(x))),
              ]),
            ),
          });
          expect(cells.map(norm)).toEqual(expected.map(norm));
        }),
        {
          numRuns: Number(process.env.ROLLUPS_RUNS ?? 4),
          seed: Number(process.env.ROLLUPS_SEED ?? 20261207),
          // and a run without any value: no group has a second largest, every cell is still written
          examples: [[{ seed: 7, ties: 0.5, nulls: 1 }]],
        },
      );
    },
  );
});
