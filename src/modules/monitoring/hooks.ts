// Keeps the monitoring rollups in step with imports: registered with the imports capability, run
// inside each import's transaction (commit or rollback) for the months it touched.
import { onFactsChanged } from '../imports/service.ts';
import { refreshClusterRollups } from './rollup.ts';

let registered = false;

/** Idempotent; loaded by the monitoring routes, and by any process that runs imports without them. */
export function registerMonitoringHooks(): void {
  if (registered) return;
  registered = true;
  onFactsChanged(async (tx, change) => {
    // Annual inputs and tiers do not feed the monthly rollups; an empty change would mean "rebuild all".
    if (!change.months?.length && !change.enterpriseIds?.length) return;
    await refreshClusterRollups(tx, { months: change.months, enterpriseIds: change.enterpriseIds });
  });
}

registerMonitoringHooks();
