// Evaluates the alert rules after each monthly import, inside the import's transaction (the facts-changed
// hooks of the imports capability), so alerts never disagree with the facts they were raised on.
import { onFactsChanged } from '../imports/index.ts';
import { evaluateMonths } from './evaluate.ts';

let registered = false;

export const SYSTEM_ACTOR = { id: null, username: 'system' } as const;

/** Idempotent; called by the composition root (src/composition.ts) for the server and the CLI alike. */
export function registerAlertHooks(): void {
  if (registered) return;
  registered = true;
  onFactsChanged(async (tx, change) => {
    if (change.kind !== 'monthly' || change.action === 'rollback' || !change.months?.length) return;
    // Every month the import brought or corrected is evaluated, oldest first, each as the monthly run would
    // have (one read of the facts for all of them; set-based writes per month). A correction of an older
    // month can raise or refresh alerts of that month; alerts already closed stay closed (history is kept).
    await evaluateMonths(tx, change.months, {
      trigger: 'import',
      importId: change.importId ?? null,
      actor: SYSTEM_ACTOR,
      lap: change.lap,
    });
  }, 'alert rules');
}
