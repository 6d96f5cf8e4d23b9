// A registry file larger than PostgreSQL's bind-parameter limit (65,535) imports and rolls back in one
// go, with every facts-changed hook on (monitoring rollups, chain placement), as the CLI runs it: no
// statement may grow with the rows (issue 13). The 220,000-firm import is measured in bench/imports.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadChains, refreshAssignments } from '../../src/modules/chains/service.ts';
import { registerChainHooks } from '../../src/modules/chains/hooks.ts';
import { registerMonitoringHooks } from '../../src/modules/monitoring/hooks.ts';
import { refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { commitLocalFile } from '../../src/modules/imports/foreground.ts';
import { rollbackById, sha256OfFile } from '../../src/modules/imports/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, seedFixture, TONGXIANG, type Fixture } from '../helpers/fixtures.ts';

const NEW_FIRMS = 70_000;
const IMPORTER = { id: null, username: 'cli', regionCode: null };
const ACTOR = { id: null, username: 'cli' };
const HEADER = ['统一社会信用代码', '企业名称', '区县代码', '行业代码', '规模'];
// textile, chemical fibre, batteries, a food code that maps to no cluster
const CODES = ['1711', '2822', '3841', '1391'];

describe.each(testDatabases())('a registry file of 70,000 new firms on $kind', (t) => {
  let d: Database;
  let fx: Fixture;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-registry-scale-'));
  const file = path.join(dir, 'registry-70k.csv');
  beforeAll(async () => {
    registerMonitoringHooks();
    registerChainHooks();
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
    await loadChains(d.db, await loadCityConfig(resolveCityDir()));
    await refreshAssignments(d.db); // chain placement on record: the hook keeps it up to date
    await refreshClusterRollups(d.db);
    const lines = [HEADER.join(',')];
    for (let i = 0; i < NEW_FIRMS; i++)
      lines.push(`${fixtureUscc(100_000 + i)},规模测试企业${i}有限公司,${NANHU},${CODES[i % 4]},规上`);
    // and one existing firm moves county: its past figures must follow it in the rollups
    lines.push(`${fixtureUscc(1)},嘉兴市南湖示例纺织有限公司,${TONGXIANG},1711,规上`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
  }, 120_000);
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (d) await t.dispose(d);
  });

  const count = async (q: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(d.db, q))[0]!.n;
  const textileOutput = (region: string) =>
    count(sql`select coalesce(sum(output_value), 0)::int as n from cluster_region_month
              where cluster_code = 'textile' and region_code = ${region} and month = '2025-03-01'`);

  let importId = 0;
  it('imports every firm with memberships, chain placements and rollups in one transaction', async () => {
    expect(await textileOutput(NANHU)).toBe(1020);
    const { id, outcome } = await commitLocalFile(
      d,
      {
        kind: 'enterprises',
        path: file,
        fileName: 'registry-70k.csv',
        sha256: await sha256OfFile(file),
        size: fs.statSync(file).size,
      },
      IMPORTER,
      ACTOR,
    );
    importId = id;
    expect(outcome.status).toBe('committed');
    if (outcome.status !== 'committed') return;
    expect(outcome.write).toMatchObject({ inserted: NEW_FIRMS, replaced: 1, unchanged: 0 });
    expect(await count(sql`select count(*)::int as n from enterprises where import_id = ${id}`)).toBe(
      NEW_FIRMS + 1,
    );
    // membership by industry code: the three cluster codes map, the food code does not
    const members =
      await count(sql`select count(distinct ec.enterprise_id)::int as n from enterprise_clusters ec
      join enterprises e on e.id = ec.enterprise_id where e.import_id = ${id} and ec.valid_to is null`);
    expect(members).toBe((NEW_FIRMS / 4) * 3 + 1);
    // the chain hook placed the new firms (textile and battery codes sit on chain nodes)
    const placed =
      await count(sql`select count(distinct p.enterprise_id)::int as n from enterprise_chain_nodes p
      join enterprises e on e.id = p.enterprise_id where e.import_id = ${id} and p.basis = 'auto'`);
    expect(placed).toBeGreaterThan(NEW_FIRMS / 4);
    // the rollup hook moved the existing firm's past figures to its new county
    expect(await textileOutput(NANHU)).toBe(0);
    expect(await textileOutput(TONGXIANG)).toBe(1020);
  }, 240_000);

  it('rolls the whole file back in one go', async () => {
    await rollbackById(d, importId, ACTOR);
    expect(await count(sql`select count(*)::int as n from enterprises where name like '规模测试企业%'`)).toBe(
      0,
    );
    expect(
      await count(sql`select count(*)::int as n from enterprise_clusters ec
        where not exists (select 1 from enterprises e where e.id = ec.enterprise_id)`),
    ).toBe(0);
    expect(await textileOutput(NANHU)).toBe(1020);
    expect(fx.ids.nanhuTextile).toBeGreaterThan(0);
  }, 240_000);
});
