// A first start writes the demo core before the server answers and the rest after it (issue 13): the
// parts still to come are on the meta key `demo_pending`, which the city info shows the web app until
// the background has written them; a start interrupted before then resumes from the parts left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { openDatabase, queryRows, runMigrations, type Database } from '../../src/db/client.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { cityInfo, loadReferenceData } from '../../src/modules/reference/service.ts';
import {
  DEFERRED_STEPS,
  DEMO_PENDING_KEY,
  markDeferred,
  pendingDemo,
  runDeferred,
} from '../../src/cli/demo-steps.ts';

describe('the demo parts written after a first start answers', () => {
  let d: Database;

  beforeAll(async () => {
    const config = await loadCityConfig(resolveCityDir('jiaxing'));
    d = await openDatabase({ dataDir: 'memory://' });
    await runMigrations(d);
    await loadReferenceData(d.db, config);
    await generateDemo(d, config, { enterpriseCount: 400 });
  });
  afterAll(async () => {
    await d?.close();
  });

  it('are listed in the city info until the background has written them', async () => {
    expect((await cityInfo(d.db)).demoPending).toBeNull();
    await markDeferred(d, 1);
    const info = await cityInfo(d.db);
    expect(info.demoPending).toEqual({ steps: DEFERRED_STEPS.map((s) => s.name), failed: false });
    // an interrupted start: only cultivation was left when it stopped
    await d.db.execute(
      sql`update meta set value = jsonb_set(value, '{steps}', '["cultivation"]') where key = ${DEMO_PENDING_KEY}`,
    );
    const lines: string[] = [];
    await runDeferred(d, (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^demo cultivation: /);
    const [n] = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from cultivation_entries`);
    expect(n!.n).toBeGreaterThan(0);
    expect(await pendingDemo(d)).toBeNull();
    expect((await cityInfo(d.db)).demoPending).toBeNull();
  });

  it('keep a failure on the key, still listing what is left', async () => {
    await markDeferred(d, 1);
    await d.db.execute(
      sql`update meta set value = jsonb_set(value, '{steps}', '["cultivation", "assessment"]') where key = ${DEMO_PENDING_KEY}`,
    );
    // the cultivation step fails on a table it cannot write
    await d.db.execute(
      sql`alter table cultivation_entries add constraint wt_firststart_never check (false) not valid`,
    );
    await expect(runDeferred(d, () => undefined)).rejects.toThrow();
    await d.db.execute(sql`alter table cultivation_entries drop constraint wt_firststart_never`);
    expect((await cityInfo(d.db)).demoPending).toEqual({
      steps: ['cultivation', 'assessment'],
      failed: true,
    });
  });
});
