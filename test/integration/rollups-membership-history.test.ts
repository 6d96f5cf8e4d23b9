// Cluster rollups follow a firm's membership history month by month: a firm that leaves one cluster in
// mid-month and joins another, a firm that joins a second cluster and later leaves its first, and a firm
// that never moves. The cells (cluster_region_month) are checked against the membership rule written out
// here on its own (docs/methodology.md, "Rollups": a membership counts in a month when it began before the
// month's end — the firm's earliest one always — and had not ended by it), not against the rollup's own
// code: the rollup cuts each firm's months into stretches where its clusters stay the same (issue 13), and
// this test is what says the cuts fall on the right months. Both the full rebuild and the incremental
// refresh a monthly import runs (months and firms) are checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { enterpriseClusters, monthlyStats } from '../../src/db/schema.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { seedFixture, type Fixture } from '../helpers/fixtures.ts';

const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}-01`);

/** Sums per (cluster, month) of the cells, and of the facts by the membership rule itself. */
async function cellsAndExpected(d: Database) {
  const cells = await queryRows<{ cluster: string; month: string; output: number; firms: number }>(
    d.db,
    sql`select cluster_code as cluster, to_char(month, 'YYYY-MM') as month,
          sum(output_value)::float8 as output, sum(enterprises)::int as firms
        from cluster_region_month where cluster_code not like '\\_%' or cluster_code = '_clusters'
        group by 1, 2 order by 1, 2`,
  );
  const expected = await queryRows<{ cluster: string; month: string; output: number; firms: number }>(
    d.db,
    sql`with mem as (
          select ec.enterprise_id, ec.cluster_code, ec.valid_to,
            (ec.valid_from = (select min(valid_from) from enterprise_clusters x
                              where x.enterprise_id = ec.enterprise_id)) as earliest,
            ec.valid_from
          from enterprise_clusters ec
        ),
        member as (
          select distinct ms.enterprise_id, ms.month, m.cluster_code, ms.output_value
          from monthly_stats ms join mem m on m.enterprise_id = ms.enterprise_id
          where (m.earliest or m.valid_from < ms.month + interval '1 month')
            and (m.valid_to is null or m.valid_to >= ms.month + interval '1 month')
        )
        select cluster, month, sum(output)::float8 as output, count(*)::int as firms from (
          select cluster_code as cluster, to_char(month, 'YYYY-MM') as month, output_value as output from member
          union all
          select distinct on (enterprise_id, month) '_clusters', to_char(month, 'YYYY-MM'), output_value from member
        ) x group by 1, 2 order by 1, 2`,
  );
  return { cells, expected };
}

describe.each(testDatabases())('cluster rollups across membership history on $kind', (t) => {
  let d: Database;
  let fx: Fixture;
  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    const { nanhuTextile: a, tongxiangTextile: c, pinghuChem: e } = fx.ids;
    // a: textile until 15 April (its last textile month is March), chem_materials from that day (April on)
    await d.db.execute(
      sql`update enterprise_clusters set valid_to = '2025-04-15' where enterprise_id = ${a} and cluster_code = 'textile'`,
    );
    // c: smart_home from 1 July as well; textile until 1 September (August is its last textile month)
    await d.db.execute(
      sql`update enterprise_clusters set valid_to = '2025-09-01' where enterprise_id = ${c} and cluster_code = 'textile'`,
    );
    await d.db.insert(enterpriseClusters).values([
      { enterpriseId: a, clusterCode: 'chem_materials', basis: 'override', validFrom: '2025-04-15' },
      { enterpriseId: c, clusterCode: 'smart_home', basis: 'override', validFrom: '2025-07-01' },
    ]);
    // facts for c and e beside the fixture's (a has all twelve months): values that make every sum exact
    await d.db.insert(monthlyStats).values(
      MONTHS.flatMap((month, i) => [
        { enterpriseId: c, month, outputValue: 500 + i * 4, revenue: 480, tax: 20, employees: 60 },
        { enterpriseId: e, month, outputValue: 2000 + i * 8, revenue: 1900, tax: 90, employees: 200 },
      ]),
    );
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  it('a full rebuild puts each firm in the clusters it belonged to at each month’s end', async () => {
    await refreshClusterRollups(d.db);
    const { cells, expected } = await cellsAndExpected(d);
    expect(cells).toEqual(expected);
    const at = (cluster: string, month: string) =>
      cells.find((r) => r.cluster === cluster && r.month === month);
    // a counts for textile through March and for chem_materials from April; c for textile through August
    // and for smart_home from July; e for chem_materials all year
    expect(at('textile', '2025-03')?.firms).toBe(2);
    expect(at('textile', '2025-04')?.firms).toBe(1);
    expect(at('textile', '2025-09')).toBeUndefined();
    expect(at('chem_materials', '2025-03')?.firms).toBe(1);
    expect(at('chem_materials', '2025-04')?.firms).toBe(2);
    expect(at('smart_home', '2025-06')).toBeUndefined();
    expect(at('smart_home', '2025-07')?.firms).toBe(1);
    // every member firm counts once under `_clusters`, whatever the number of its clusters
    expect(at('_clusters', '2025-08')?.firms).toBe(3);
  });

  it('the refresh a monthly import runs (its months and firms) gives the same cells', async () => {
    await d.db.execute(sql`delete from cluster_region_month`);
    await d.db.transaction(async (tx) => {
      await refreshClusterRollups(tx as unknown as Database['db'], {
        months: MONTHS.map((m) => m.slice(0, 7)),
        firms: [fx.ids.nanhuTextile, fx.ids.tongxiangTextile, fx.ids.pinghuChem],
      });
    });
    const { cells, expected } = await cellsAndExpected(d);
    expect(cells).toEqual(expected);
  });
});
