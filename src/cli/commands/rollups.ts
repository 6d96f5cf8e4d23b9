// clusterscope rollups refresh — rebuilds every month of the monitoring rollups in one transaction
// (audited as the CLI). Needed after a migration that adds what the rollups keep: rows written before
// migration 0026 lack their two largest firms, so disclosure control withholds them from scoped
// readers until rebuilt. `--if-needed` rebuilds only when some row lacks them (what preparing the
// database at start does by itself).
import type { Command } from 'commander';
import type { Database } from '../../db/client.ts';
import { refreshAllRollups, rollupsLackTopFirms } from '../../modules/monitoring/index.ts';
import { CLI_ACTOR, withMigratedDatabase } from '../context.ts';

/** The command on an open database; returns the lines it prints (tests run it in-process). */
export async function runRollupsRefresh(d: Database, opts: { ifNeeded?: boolean }): Promise<string[]> {
  if (opts.ifNeeded && !(await rollupsLackTopFirms(d.db)))
    return ['rollups already keep their top firms: nothing to rebuild'];
  const r = await refreshAllRollups(d.db, CLI_ACTOR, opts.ifNeeded ? 'cli, if needed' : 'cli');
  return [
    `rollups rebuilt: ${r.rows} cluster × area × month rows, ${r.ytdRows} firm 累计 rows in ${Math.round(r.ms)} ms`,
  ];
}

export function register(program: Command): void {
  program
    .command('rollups')
    .description('monitoring rollups (cluster × county × zone × month)')
    .command('refresh')
    .description('rebuild every month of the rollups (after migration 0026, rows lacking top firms)')
    .option('--if-needed', 'only when some row lacks its top firms')
    .action(async (opts: { ifNeeded?: boolean }) => {
      const lines = await withMigratedDatabase((d) => runRollupsRefresh(d, opts));
      for (const line of lines) console.log(line);
    });
}
