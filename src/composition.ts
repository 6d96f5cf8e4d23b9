// The composition root: how the capabilities are put together into one platform, used by the server
// (`serve`, `start`, `dev`: src/server/app.ts) and by every CLI command (src/cli/main.ts) alike, so a
// process gets the same routes, facts-changed hooks and seeded definitions whichever way it was started.
// Nothing registers itself as a side effect of being imported.
import type { Database } from './db/client.ts';
import { runMigrations } from './db/client.ts';
import { loadCityConfig, resolveCityDir, type CityConfig } from './config/load.ts';
import { loadReferenceData } from './modules/reference/index.ts';
import { loadChains } from './modules/chains/index.ts';
import { refreshAllRollups, rollupsLackTopFirms, useOpenMonthSource } from './modules/monitoring/index.ts';
import { openMonthInForce } from './modules/alerts/index.ts';
import { ensurePresets } from './modules/evaluation/index.ts';
import { recoverAtStart, startUploadSweeper, waitForJobs } from './modules/imports/index.ts';
import { startEscalationSweeper } from './modules/workitems/index.ts';
import { ROUTE_PLUGINS } from './server/modules.ts';

export { ROUTE_PLUGINS };
// the facts-changed hooks live in a light file of their own, for the import command's entry
export { registerFactsHooks } from './facts-hooks.ts';

const SYSTEM_ACTOR = { id: null, username: 'system' };

/**
 * What a capability reads of one it may not import, handed over here: the monitoring pages' note on a month
 * still open for reporting reads the alert rules' judgement of it (alerts reaches monitoring through chains,
 * so monitoring importing alerts would close a loop; src/modules/monitoring/open-month.ts). Idempotent.
 */
export function connectCapabilities(): void {
  useOpenMonthSource(openMonthInForce);
}

/**
 * Definitions every database starts with (the 亩均 rule-set presets), written when the database is
 * prepared — never by a read (GET requests write nothing).
 */
export async function seedDefinitions(d: Database): Promise<void> {
  await ensurePresets(d.db, SYSTEM_ACTOR);
}

/**
 * Migrations, the city's reference data and chains, the seeded definitions, and — once, when rollup rows
 * predate the top firms disclosure control judges (migration 0026) — every rollup rebuilt:
 * `migrate`, `start`, `dev`. `counts.rollupRows` says when that rebuild ran.
 */
export async function prepareDatabase(
  d: Database,
  config?: CityConfig,
): Promise<{ config: CityConfig; counts: Record<string, number> }> {
  await runMigrations(d);
  const city = config ?? (await loadCityConfig(resolveCityDir()));
  const counts = await loadReferenceData(d.db, city);
  await loadChains(d.db, city);
  await seedDefinitions(d);
  if (await rollupsLackTopFirms(d.db)) {
    const r = await refreshAllRollups(d.db, SYSTEM_ACTOR, 'rows without top firms (migration 0026)');
    counts.rollupRows = r.rows;
  }
  return { config: city, counts };
}

/** Where background work reports (a Fastify logger fits). */
export interface JobLog {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

/**
 * The background work of a server process, started here and nowhere else (no routes plugin starts a
 * timer): recovery of import jobs a stopped server left behind, then the hourly uploads sweep, and the
 * work-item escalation sweep. `stop` ends the timers and lets a preview or commit still running finish.
 * The CLI starts none of it: its import commands run their jobs in the foreground.
 */
export async function startBackgroundJobs(d: Database, log: JobLog): Promise<{ stop: () => Promise<void> }> {
  const recovered = await recoverAtStart(d);
  if (recovered.length) log.warn({ imports: recovered }, 'imports interrupted by a restart');
  const uploads = startUploadSweeper(d.db, (error) => log.error({ err: error }, 'uploads sweep failed'));
  const escalation = startEscalationSweeper(d.db, (error) =>
    log.error({ err: error }, 'work-item sweep failed'),
  );
  const first = await uploads.first;
  if (first?.removed.length) log.info({ removed: first.removed.length }, 'uploads swept');
  return {
    stop: async () => {
      uploads.stop();
      escalation.stop();
      await waitForJobs();
    },
  };
}
