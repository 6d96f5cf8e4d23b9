// The composition root: how the capabilities are put together into one platform, used by the server
// (`serve`, `start`, `dev`: src/server/app.ts) and by every CLI command (src/cli/main.ts) alike, so a
// process gets the same routes, facts-changed hooks and seeded definitions whichever way it was started.
// Nothing registers itself as a side effect of being imported.
import type { Database } from './db/client.ts';
import { runMigrations } from './db/client.ts';
import { loadCityConfig, resolveCityDir, type CityConfig } from './config/load.ts';
import { loadReferenceData } from './modules/reference/index.ts';
import { loadChains } from './modules/chains/service.ts';
import { registerChainHooks } from './modules/chains/hooks.ts';
import { registerMonitoringHooks } from './modules/monitoring/hooks.ts';
import { registerAlertHooks } from './modules/alerts/hooks.ts';
import { registerBulletinHooks } from './modules/bulletin/index.ts';
import { ensurePresets } from './modules/evaluation/service.ts';
import { ROUTE_PLUGINS } from './server/modules.ts';

export { ROUTE_PLUGINS };

const SYSTEM_ACTOR = { id: null, username: 'system' };

/**
 * Everything that follows committed facts inside their transaction: chain placement and monitoring
 * rollups follow registry and monthly imports; the alert rules are evaluated on each newest monthly
 * import; the city's monthly bulletin draft is queued after it (generated in the background, after the
 * commit; CLUSTERSCOPE_BULLETIN_AUTO). Idempotent.
 */
export function registerFactsHooks(): void {
  registerChainHooks();
  registerMonitoringHooks();
  registerAlertHooks();
  registerBulletinHooks();
}

/**
 * Definitions every database starts with (the 亩均 rule-set presets), written when the database is
 * prepared — never by a read (GET requests write nothing).
 */
export async function seedDefinitions(d: Database): Promise<void> {
  await ensurePresets(d.db, SYSTEM_ACTOR);
}

/** Migrations, the city's reference data and chains, and the seeded definitions: `migrate`, `start`, `dev`. */
export async function prepareDatabase(
  d: Database,
  config?: CityConfig,
): Promise<{ config: CityConfig; counts: Record<string, number> }> {
  await runMigrations(d);
  const city = config ?? (await loadCityConfig(resolveCityDir()));
  const counts = await loadReferenceData(d.db, city);
  await loadChains(d.db, city);
  await seedDefinitions(d);
  return { config: city, counts };
}
