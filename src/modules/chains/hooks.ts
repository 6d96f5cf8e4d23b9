// Keeps the automatic chain placements in step with the registry: registered with the imports
// capability, run inside each registry import's (commit or rollback) and registry edit's transaction for
// the enterprises it changed, so the first chain read after it needs no rebuild.
import { onFactsChanged } from '../imports/index.ts';
import { refreshAssignmentsFor } from './service.ts';
import { forgetChainAnswers } from './cache.ts';

let registered = false;

/** Idempotent; called by the composition root (src/composition.ts) for the server and the CLI alike. */
export function registerChainHooks(): void {
  if (registered) return;
  registered = true;
  onFactsChanged(async (tx, change) => {
    // Only the registry feeds placement (name, industry code, status, main products, clusters).
    if (change.kind === 'enterprises' && change.enterpriseIds?.length)
      await refreshAssignmentsFor(tx, change.enterpriseIds, change.lap);
    // the chain answers read the registry (county, scale) and the facts: this process forgets them now;
    // other processes follow the registry's and the rollups' stamps (cache.ts)
    forgetChainAnswers();
  }, 'chain placement');
}
