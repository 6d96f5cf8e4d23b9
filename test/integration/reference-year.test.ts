// "Annual output" in the enterprise list refers to the latest year with December figures; the fast
// index path and the fallback scan must agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { monthlyStats } from '../../src/db/schema.ts';
import { referenceYear } from '../../src/modules/enterprises/repo.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

describe.each(testDatabases())('reference year on $kind', (t) => {
  let d: Database;
  beforeAll(async () => {
    d = await openReadyDatabase(t);
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  const months = async (list: string[]) => {
    await d.db.execute(sql`delete from ${monthlyStats}`);
    if (list.length)
      await d.db
        .insert(monthlyStats)
        .values(list.map((m, i) => ({ enterpriseId: i + 1, month: `${m}-01`, outputValue: 1 })));
    return referenceYear(d.db);
  };

  it('is null without monthly figures', async () => {
    expect(await months([])).toBeNull();
  });
  it('is the year of the latest month when that month is December', async () => {
    expect(await months(['2024-11', '2024-12'])).toBe(2024);
  });
  it('is the year before when the latest year is still running', async () => {
    expect(await months(['2024-12', '2025-01', '2025-03'])).toBe(2024);
  });
  it('falls back to the latest December on record when the year before has none', async () => {
    expect(await months(['2022-12', '2023-05', '2024-03'])).toBe(2022);
  });
});
