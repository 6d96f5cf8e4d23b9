// Other capabilities (monitoring rollups, …) register here to run inside the import's transaction
// after facts change, so their derived tables never disagree with the facts.
import type { Db } from '../../db/client.ts';
import type { ImportKind } from '../../domain/imports/columns.ts';

export interface FactsChange {
  kind: ImportKind;
  /** 'YYYY-MM' months whose monthly facts changed */
  months?: string[];
  /** years whose annual inputs or tiers changed */
  years?: number[];
  enterpriseIds?: number[];
  /** the import that changed them, and whether it was committed or rolled back */
  importId?: number;
  action?: 'commit' | 'rollback';
}

export type FactsChangedHook = (tx: Db, change: FactsChange) => Promise<void>;

const hooks: FactsChangedHook[] = [];

/** Registers a hook; returns a function that removes it again (tests). */
export function onFactsChanged(hook: FactsChangedHook): () => void {
  hooks.push(hook);
  return () => {
    const i = hooks.indexOf(hook);
    if (i >= 0) hooks.splice(i, 1);
  };
}

/** Runs every hook in order, in the caller's transaction; a failing hook fails the import. */
export async function runFactsChanged(tx: Db, change: FactsChange): Promise<void> {
  for (const hook of [...hooks]) await hook(tx, change);
}
