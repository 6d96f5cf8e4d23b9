// Evaluates the alert rules after each monthly import, inside the import's transaction (the facts-changed
// hooks of the imports capability), so alerts never disagree with the facts they were raised on.
import { onFactsChanged } from '../imports/index.ts';
import { evaluateMonths, evaluateMonthsBeside } from './evaluate.ts';
import type { FactsChange } from '../imports/index.ts';

let registered = false;

export const SYSTEM_ACTOR = { id: null, username: 'system' } as const;

const evaluated = (change: FactsChange): change is FactsChange & { months: string[] } =>
  change.kind === 'monthly' && change.action !== 'rollback' && !!change.months?.length;

const options = (change: FactsChange) => ({
  trigger: 'import' as const,
  importId: change.importId ?? null,
  actor: SYSTEM_ACTOR,
  lap: change.lap,
});

/** Idempotent; called by the composition root (src/composition.ts) for the server and the CLI alike. */
export function registerAlertHooks(): void {
  if (registered) return;
  registered = true;
  onFactsChanged(
    async (tx, change) => {
      if (!evaluated(change)) return;
      // Every month the import brought or corrected is evaluated, oldest first, each as the monthly run would
      // have (one read of the facts for all of them; set-based writes per month). A correction of an older
      // month can raise or refresh alerts of that month; alerts already closed stay closed (history is kept).
      // With them, a month evaluated while still open for reporting that this import closed (the rest of its
      // files, or the next month's first) is evaluated again (evaluate.ts, evaluationPlan).
      await evaluateMonths(tx, change.months, options(change));
    },
    'alert rules',
    // The same, in two parts: the facts are read before the monitoring rollups (the hook before this one,
    // which writes only its rollup tables and the rollup version: nothing the alerts read), the firms are
    // evaluated in Node while the database computes the rollups, and the alerts are written after them. At
    // province scale the evaluation's ≈ 6 s of Node CPU and the rollups' ≈ 12 s of database CPU ran one
    // after the other on a machine of two cores (issue 13).
    async (tx, change) => {
      if (!evaluated(change)) return async () => undefined;
      const rest = await evaluateMonthsBeside(tx, change.months, options(change));
      return async (tx2) => {
        await rest(tx2);
      };
    },
  );
}
