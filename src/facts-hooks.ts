// The facts-changed hooks of the composition root (src/composition.ts re-exports them), in a file of their
// own so a process that only imports (`clusterscope import`, src/cli/import-main.ts) registers every hook
// without loading the route plugins, the background jobs and the database preparation (issue 13).
import { registerChainHooks } from './modules/chains/index.ts';
import { registerMonitoringHooks } from './modules/monitoring/index.ts';
import { registerAlertHooks } from './modules/alerts/index.ts';
import { registerBulletinHooks } from './modules/bulletin/index.ts';
import { registerEnterpriseHooks } from './modules/enterprises/index.ts';

/**
 * Everything that follows committed facts inside their transaction: chain placement and monitoring
 * rollups follow registry and monthly imports; the alert rules are evaluated on each newest monthly
 * import; the city's monthly bulletin draft is queued after it (generated in the background, after the
 * commit; CLUSTERSCOPE_BULLETIN_AUTO); the kept registry lists are forgotten. Idempotent.
 */
export function registerFactsHooks(): void {
  registerChainHooks();
  registerMonitoringHooks();
  registerAlertHooks();
  registerBulletinHooks();
  registerEnterpriseHooks();
}
