// `clusterscope index` in-process on every test database (issue 19): list, compute a draft, four eyes
// through the same services as the API (refusals exit 1, usage errors exit 2), audit rows. And the
// computation holds no long transaction: while a draft is computed again, other statements answer on
// PGlite's one connection, and readers always see the edition's full previous or new results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command, CommanderError } from 'commander';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { loadCityConfig, resolveCityDir } from '../../src/config/load.ts';
import { loadChains } from '../../src/modules/chains/service.ts';
import { register, runIndexCommand } from '../../src/cli/commands/cluster-index.ts';
import { AppError } from '../../src/server/errors.ts';
import { putNegative, putReported } from '../../src/modules/cluster-index/inputs.ts';
import { listResults, setSettings } from '../../src/modules/cluster-index/results.ts';
import { createIndexEdition } from '../../src/modules/cluster-index/service.ts';
import { actingUser } from '../../src/cli/commands/cluster-index.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { seedFixture } from '../helpers/fixtures.ts';

/** What main.ts does with an error: the exit code the command would end with. */
async function exitCode(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (error) {
    if (error instanceof CommanderError)
      return error.exitCode === 2 || error.code.startsWith('commander.') ? 2 : 1;
    if (error instanceof AppError) return 1;
    throw error;
  }
}

describe.each(testDatabases())('clusterscope index on $kind', (t) => {
  let d: Database;
  let draftId = 0;

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    const config = await loadCityConfig(resolveCityDir());
    await loadChains(d.db, config);
    const { generateDemo } = await import('../../src/demo/generate.ts');
    await generateDemo(d, config, { seed: 23, enterpriseCount: 300 });
    await seedFixture(d);
  }, 240_000);
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  const audits = async (action: string) =>
    (
      await queryRows<{ n: number }>(
        d.db,
        sql`select count(*)::int as n from audit_log where action = ${action}`,
      )
    )[0]!.n;

  it('computes a draft as the analyst and lists it; a county officer may not', async () => {
    const out = await runIndexCommand(d, 'compute', { as: 'fx_analyst', from: 2024, to: 2025 });
    expect(out[0]).toMatch(/^draft edition \d+ \(v1\) computed: 2024–2025, \d+ quarter rows, \d+ year rows$/);
    draftId = Number(/edition (\d+)/.exec(out[0]!)![1]);
    expect(await audits('definition.create')).toBe(1);
    const list = await runIndexCommand(d, 'list', { as: 'fx_admin' });
    expect(list).toEqual([expect.stringMatching(new RegExp(`^${draftId}\\tv1\\tdraft\\t`))]);
    // refused by the policy: exit 1, nothing written
    expect(await exitCode(runIndexCommand(d, 'compute', { as: 'fx_nanhu' }))).toBe(1);
    expect(await exitCode(runIndexCommand(d, 'list', { as: 'nobody' }))).toBe(1);
    expect(await audits('definition.create')).toBe(1);
  });

  it('publishes only with a second person (exit 1 otherwise)', async () => {
    expect(await runIndexCommand(d, 'submit', { as: 'fx_analyst' }, draftId)).toEqual([
      `edition ${draftId} (v1) is now submitted`,
    ]);
    // the analyst's role does not review; an admin reviews, publishing needs it reviewed first
    expect(await exitCode(runIndexCommand(d, 'review', { as: 'fx_analyst' }, draftId))).toBe(1);
    expect(await exitCode(runIndexCommand(d, 'publish', { as: 'fx_admin' }, draftId))).toBe(1);
    await runIndexCommand(d, 'review', { as: 'fx_admin' }, draftId);
    expect(await runIndexCommand(d, 'publish', { as: 'fx_admin' }, draftId)).toEqual([
      `edition ${draftId} (v1) is now published`,
    ]);
    expect(await runIndexCommand(d, 'list', { as: 'fx_nanhu' })).toEqual([
      expect.stringContaining(`${draftId}\tv1\tpublished (in force)`),
    ]);
    // a correction needs its reason
    expect(await exitCode(runIndexCommand(d, 'compute', { as: 'fx_analyst' }))).toBe(1);
    expect(await audits('definition.publish')).toBe(1);
  });

  it('answers usage errors with exit 2 before opening any database', async () => {
    const parse = (...args: string[]) => {
      const program = new Command()
        .exitOverride()
        .configureOutput({ writeErr: () => {}, writeOut: () => {} });
      register(program);
      return exitCode(program.parseAsync(['node', 'clusterscope', 'index', ...args]));
    };
    expect(await parse('compute', '--as', 'fx_analyst', '--from', '20x4', '--to', '2025')).toBe(2);
    expect(await parse('compute', '--as', 'fx_analyst', '--from', '2024')).toBe(2);
    expect(await parse('publish', 'abc', '--as', 'fx_admin')).toBe(2);
    expect(await parse('list')).toBe(2); // --as is mandatory
    expect(await parse('frobnicate')).toBe(2);
  });

  it('computes a draft again without holding one long transaction', async () => {
    const out = await runIndexCommand(d, 'compute', { as: 'fx_analyst', reason: '重算测试' });
    const id = Number(/edition (\d+)/.exec(out[0]!)![1]);
    const count = async () =>
      (
        await queryRows<{ n: number }>(
          d.db,
          sql`select count(*)::int as n from index_results where definition_id = ${id}`,
        )
      )[0]!.n;
    const full = await count();
    expect(full).toBeGreaterThan(0);
    let done = false;
    const recompute = runIndexCommand(d, 'compute', { as: 'fx_analyst', edition: id }).finally(() => {
      done = true;
    });
    // other statements get the connection while it runs (on PGlite they would all queue behind a
    // long transaction and answer only after it), and they never see the results half-written
    const seen: number[] = [];
    while (!done) {
      const n = await count();
      if (!done) seen.push(n);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await recompute).toEqual([expect.stringMatching(/computed again/)]);
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set([full]));
    expect(await count()).toBe(full);
    expect(await audits('index.recompute')).toBe(1);
  }, 120_000);

  it('reads a reported value and the negative list once the bureau keeps it (audited)', async () => {
    const admin = { id: null, username: 'fx_admin' };
    await putReported(d.db, admin, {
      code: 'agency_staff',
      period: '2025',
      clusterCode: 'textile',
      regionCode: null,
      value: 42,
      source: '纺织集群促进机构 2025 年报（测试）',
    });
    const [firm] = await queryRows<{ uscc: string }>(
      d.db,
      sql`select e.uscc from enterprises e join enterprise_clusters ec on ec.enterprise_id = e.id
          where ec.cluster_code = 'textile' and ec.valid_to is null and e.scale = 'above'
            and (select count(*) from enterprise_clusters x where x.enterprise_id = e.id) = 1
            and exists (select 1 from monthly_stats m where m.enterprise_id = e.id and m.month >= '2025-01-01')
          order by e.id limit 1`,
    );
    await putNegative(d.db, admin, {
      uscc: firm!.uscc,
      eventDate: '2024-06-30',
      kind: 'safety',
      description: '测试：较大安全事故',
      source: '应急管理局通报（测试）',
    });
    await setSettings(d.db, admin, { negativeList: true });
    expect(await audits('index.reported')).toBe(1);
    expect(await audits('index.negative')).toBe(1);

    const u = await actingUser(d, 'fx_analyst', 'manage');
    const { defaultFramework } = await import('../../src/modules/cluster-index/framework.ts');
    const fw = await defaultFramework();
    const e = await createIndexEdition(
      d.db,
      u,
      { id: u.id, username: u.username },
      {
        reason: '填报值测试',
        years: { from: 2025, to: 2025 },
        framework: {
          ...fw,
          indicators: [
            ...fw.indicators,
            {
              ...fw.indicators[0]!,
              key: 'agency_staff',
              name: '促进机构人员',
              metric: 'reported:agency_staff',
            },
          ],
        } as never,
      },
    );
    const res = await listResults(d.db, u, e.id, { frequency: 'year', level: 'cluster', period: '2025' });
    const staff = (c: string) =>
      res.items.find((r) => r.clusterCode === c)!.indicators.find((x) => x.key === 'agency_staff')!.raw;
    expect(staff('textile')).toBe(42);
    expect(staff('automotive')).toBeNull();
    const gate = (c: string) =>
      res.items.find((r) => r.clusterCode === c)!.gates.find((g) => g.key === 'negative_list')!;
    expect(gate('textile')).toMatchObject({ pass: false, values: [1] });
    expect(gate('automotive')).toMatchObject({ pass: true, values: [0] });
  }, 120_000);
});
