// Editing an enterprise's registry data through the API moves its figures in the monitoring rollups in
// the same transaction, as a registry import would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq, sum } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { clusterRegionMonth } from '../../src/db/schema.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, seedFixture, TONGXIANG, type Fixture } from '../helpers/fixtures.ts';
import { loginCookie, testApp } from '../helpers/app.ts';

describe.each(testDatabases())('registry edits and rollups on $kind', (t) => {
  let d: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    app = await testApp(d); // loads the monitoring routes, which register the rollup hook
    await refreshClusterRollups(d.db);
  });
  afterAll(async () => {
    await app?.close();
    if (d) await t.dispose(d);
  });

  const outputOf = async (region: string) => {
    const [row] = await d.db
      .select({ v: sum(clusterRegionMonth.outputValue).mapWith(Number) })
      .from(clusterRegionMonth)
      .where(
        and(
          eq(clusterRegionMonth.clusterCode, 'textile'),
          eq(clusterRegionMonth.regionCode, region),
          eq(clusterRegionMonth.month, '2025-03-01'),
        ),
      );
    return row?.v ?? 0;
  };

  // (A changed industry code moves membership from today on only: past months keep the cluster they
  // were published under, so the county move is what shows in past months.)
  it('moves a firm’s past figures to its new county when an administrator corrects the county', async () => {
    expect(await outputOf(NANHU)).toBe(1020); // the fixture firm's March output, 万元
    expect(await outputOf(TONGXIANG)).toBe(0);
    const cookie = await loginCookie(app, fx.users.admin!.username);
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/enterprises/${fx.ids.nanhuTextile}`,
      headers: { cookie },
      payload: { regionCode: TONGXIANG },
    });
    expect(res.statusCode).toBe(200);
    expect(await outputOf(NANHU)).toBe(0);
    expect(await outputOf(TONGXIANG)).toBe(1020);
  });
});
