// `clusterscope rollups refresh` in-process on every test database, and preparing the database: rollup
// rows written before migration 0026 (no top firms) are withheld from scoped readers; the command
// rebuilds them (audited), `--if-needed` only when some row lacks them, and `prepareDatabase` does it
// once by itself. Reads never rebuild anything (GET writes nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { queryRows } from '../../src/db/client.ts';
import { enterpriseClusters, enterprises, monthlyStats } from '../../src/db/schema.ts';
import { bumpRollupVersion, refreshClusterRollups } from '../../src/modules/monitoring/rollup.ts';
import { rollupsLackTopFirms } from '../../src/modules/monitoring/rebuild.ts';
import { figures } from '../../src/modules/monitoring/service.ts';
import { register, runRollupsRefresh } from '../../src/cli/commands/rollups.ts';
import { prepareDatabase } from '../../src/composition.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { fixtureUscc, NANHU, PINGHU } from '../helpers/fixtures.ts';

/** four balanced textile firms in Pinghu: shown to Nanhu's officer once the rollup can be judged */
const OUTPUTS = [1000, 900, 800, 700];

describe.each(testDatabases())(
  'rebuilding the rollups ($kind)',
  (t) => {
    let d: Database;

    beforeAll(async () => {
      d = await openReadyDatabase(t);
      const ids = await d.db
        .insert(enterprises)
        .values(
          OUTPUTS.map((_, i) => ({
            uscc: fixtureUscc(700 + i, PINGHU),
            name: `重建企业${i}`,
            regionCode: PINGHU,
            industryCode: '1711',
            scale: 'above' as const,
          })),
        )
        .returning({ id: enterprises.id });
      await d.db.insert(enterpriseClusters).values(
        ids.map(({ id }) => ({
          enterpriseId: id,
          clusterCode: 'textile',
          basis: 'industry_code',
          validFrom: '2019-01-01',
        })),
      );
      await d.db.insert(monthlyStats).values(
        ids.map(({ id }, i) => ({
          enterpriseId: id,
          month: '2025-03-01',
          outputValue: OUTPUTS[i]!,
          revenue: OUTPUTS[i]! * 0.9,
        })),
      );
      await d.db.transaction((tx) => refreshClusterRollups(tx));
    }, 300_000);
    afterAll(async () => {
      if (d) await t.dispose(d);
    });

    /** rows as a release before migration 0026 left them (a new process: no cached answers) */
    const forgetTopFirms = async () => {
      await d.db.execute(
        sql`update cluster_region_month set output_top1 = null, output_top2 = null, revenue_top1 = null, revenue_top2 = null,
          profit_abs = null, profit_top1 = null, profit_top2 = null, tax_top1 = null, tax_top2 = null,
          energy_tce_top1 = null, energy_tce_top2 = null, electricity_top1 = null, electricity_top2 = null,
          employees_top1 = null, employees_top2 = null, export_value_top1 = null, export_value_top2 = null`,
      );
      await bumpRollupVersion(d.db);
    };
    const pinghuTextile = async () => {
      const answer = await figures(
        d.db,
        { month: '2025-03', scale: 'above', by: 'county', cluster: 'textile' },
        { kind: 'region', regionCode: NANHU },
      );
      return answer.rows.find((r) => r.regionCode === PINGHU && r.clusterCode === 'textile')!;
    };
    const audits = async () =>
      (
        await queryRows<{ n: number }>(
          d.db,
          sql`select count(*)::int as n from audit_log where action = 'monitoring.rollups.refresh'`,
        )
      )[0]!.n;

    it('is registered as `rollups refresh` with --if-needed', () => {
      const program = new Command();
      register(program);
      const rollups = program.commands.find((c) => c.name() === 'rollups')!;
      const refresh = rollups.commands.find((c) => c.name() === 'refresh')!;
      expect(refresh.options.map((o) => o.long)).toEqual(['--if-needed']);
    });

    it('rows without top firms are withheld, reading does not rebuild them, the command does (audited)', async () => {
      expect(await rollupsLackTopFirms(d.db)).toBe(false);
      expect((await pinghuTextile()).suppressed).toBeUndefined();
      await forgetTopFirms();
      expect(await rollupsLackTopFirms(d.db)).toBe(true);
      const before = await audits();
      const withheld = await pinghuTextile();
      expect(withheld.suppressed).toBe('dominance');
      expect(withheld.measures.outputValue!.month).toBeNull();
      expect(await rollupsLackTopFirms(d.db)).toBe(true); // a read wrote nothing
      expect(await audits()).toBe(before);

      const out = await runRollupsRefresh(d, { ifNeeded: true });
      expect(out[0]).toMatch(
        /^rollups rebuilt: [1-9]\d* cluster × area × month rows, \d+ firm 累计 rows in \d+ ms$/,
      );
      expect(await rollupsLackTopFirms(d.db)).toBe(false);
      expect(await audits()).toBe(before + 1);
      const shown = await pinghuTextile();
      expect(shown.suppressed).toBeUndefined();
      expect(shown.measures.outputValue!.month).toBe(3400);

      expect(await runRollupsRefresh(d, { ifNeeded: true })).toEqual([
        'rollups already keep their top firms: nothing to rebuild',
      ]);
      expect(await audits()).toBe(before + 1);
      // without --if-needed it always rebuilds
      expect((await runRollupsRefresh(d, {}))[0]).toMatch(/^rollups rebuilt: /);
      expect(await audits()).toBe(before + 2);
    });

    it('preparing the database rebuilds them once when rows lack top firms, then leaves them', async () => {
      await forgetTopFirms();
      const first = await prepareDatabase(d);
      expect(first.counts.rollupRows).toBeGreaterThan(0);
      expect(await rollupsLackTopFirms(d.db)).toBe(false);
      expect((await pinghuTextile()).measures.outputValue!.month).toBe(3400);
      const before = await audits();
      const second = await prepareDatabase(d);
      expect(second.counts.rollupRows).toBeUndefined();
      expect(await audits()).toBe(before);
    });
  },
  600_000,
);
