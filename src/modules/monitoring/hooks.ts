// Keeps the monitoring rollups in step with imports: registered with the imports capability, run
// inside each import's transaction (commit or rollback) for the months it touched.
import { onFactsChanged } from '../imports/index.ts';
import { bumpRollupVersion, refreshClusterRollups } from './rollup.ts';

let registered = false;

/** Idempotent; called by the composition root (src/composition.ts) for the server and the CLI alike. */
export function registerMonitoringHooks(): void {
  if (registered) return;
  registered = true;
  onFactsChanged(async (tx, change) => {
    if (change.kind === 'monthly') {
      // Monthly facts of existing firms: only their months change, and only for the firms in the file
      // (as `firms`: as `enterpriseIds` it would rebuild all months of all of them).
      if (change.months?.length)
        await refreshClusterRollups(tx, {
          months: change.months,
          firms: change.enterpriseIds,
          lap: change.lap,
        });
    } else if (change.kind === 'enterprises') {
      // Registry rows (county, zone, scale, industry, membership): all months of those firms.
      if (change.enterpriseIds?.length)
        await refreshClusterRollups(tx, { enterpriseIds: change.enterpriseIds, lap: change.lap });
    } else {
      // Annual inputs and tiers feed no rollup, but the answers read them (亩均 targets): mark them stale.
      await bumpRollupVersion(tx);
    }
  }, 'monitoring rollups');
}
