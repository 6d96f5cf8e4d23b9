// Evaluates the alert rules after each monthly import, inside the import's transaction (the facts-changed
// hooks of the imports capability), so alerts never disagree with the facts they were raised on.
import { onFactsChanged } from '../imports/index.ts';
import { latestMonth } from './facts.ts';
import { evaluateMonths } from './evaluate.ts';

let registered = false;

export const SYSTEM_ACTOR = { id: null, username: 'system' } as const;

/** Idempotent; called by the composition root (src/composition.ts) for the server and the CLI alike. */
export function registerAlertHooks(): void {
  if (registered) return;
  registered = true;
  onFactsChanged(async (tx, change) => {
    if (change.kind !== 'monthly' || change.action === 'rollback' || !change.months?.length) return;
    // The monthly run: the newest month the import brought, when it is the newest on record. A correction
    // of an older month does not re-raise history (evaluate it on demand if wanted).
    const newest = [...change.months].sort().at(-1)!;
    const latest = await latestMonth(tx);
    if (latest !== null && newest < latest) return;
    await evaluateMonths(tx, [newest], {
      trigger: 'import',
      importId: change.importId ?? null,
      actor: SYSTEM_ACTOR,
    });
  }, 'alert rules');
}
