// The two reads the county assessment scores from (issue 16 item 5), on every database: one row per county
// and county-split target, counted values from the facts, and reported-value completion per county.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, TONGXIANG, seedFixture } from '../helpers/fixtures.ts';
import { countyTargetProgress, reportedTargetsCompletion } from '../../src/modules/targets/index.ts';

describe.each(testDatabases())('targets contract on $kind', (t) => {
  let d: Database;
  beforeAll(async () => {
    d = await openReadyDatabase(t);
    await seedFixture(d);
  });
  afterAll(async () => {
    if (d) await t.dispose(d); // on PostgreSQL, drops the scratch database too
  });

  it('gives every county a row for every county-split target of the set', async () => {
    const rows = await countyTargetProgress(d.db, { setCode: 'five-clusters-2020', year: 2024 });
    const counties = new Set(rows.map((r) => r.regionCode));
    expect(counties.has(NANHU) && counties.has(TONGXIANG)).toBe(true);
    const output = rows.filter((r) => r.targetCode === 'output-textile');
    expect(output).toHaveLength(counties.size);
    const reported = rows.filter((r) => r.measurement === 'reported');
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.every((r) => r.reportStatus === 'missing' && r.value === null)).toBe(true);
    expect(rows.filter((r) => r.measurement === 'computed').every((r) => r.reportStatus === null)).toBe(true);
  });

  it('counts due reported values per county, none approved yet', async () => {
    const rows = await reportedTargetsCompletion(d.db, { year: 2024 });
    expect(rows.find((r) => r.regionCode === NANHU)).toMatchObject({ approved: 0, approvedOnTime: 0 });
    expect(rows[0]!.due).toBeGreaterThan(0);
  });
});
