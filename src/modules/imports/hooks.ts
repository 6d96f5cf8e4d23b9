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
  /** records the time since the last step under this name (a hook's own steps, in the breakdown) */
  lap?: (step: string) => void;
}

export type FactsChangedHook = (tx: Db, change: FactsChange) => Promise<void>;

const hooks: { name: string; hook: FactsChangedHook }[] = [];

/** Registers a hook (named for the step breakdown); returns a function that removes it again (tests). */
export function onFactsChanged(hook: FactsChangedHook, name = 'hook'): () => void {
  const entry = { name, hook };
  hooks.push(entry);
  return () => {
    const i = hooks.indexOf(entry);
    if (i >= 0) hooks.splice(i, 1);
  };
}

/** The names of the hooks registered in this process (a bench checks that it runs what users run). */
export function factsChangedHooks(): string[] {
  return hooks.map((h) => h.name);
}

/**
 * Runs every hook in order, in the caller's transaction; a failing hook fails the import. With `clock`,
 * each hook's time is recorded as a step of the commit.
 */
export async function runFactsChanged(tx: Db, change: FactsChange, clock?: StepClock): Promise<void> {
  for (const { name, hook } of [...hooks]) {
    await hook(tx, clock ? { ...change, lap: (step) => clock.lap(`${name}: ${step}`) } : change);
    clock?.lap(name);
  }
}

/** Where a commit's time went, step by step (ms): printed by the bench, kept for the last commits. */
export class StepClock {
  /**
   * each step's time, the process's resident memory when it ended and its peak so far (the kernel's
   * high-water mark, MiB): a step whose peak rises past the others' is where the process's peak is, which a
   * sample at the step's end can miss
   */
  readonly steps: { step: string; ms: number; rssMiB?: number; peakMiB?: number }[] = [];
  private last = performance.now();
  lap(step: string): void {
    const now = performance.now();
    this.steps.push({
      step,
      ms: now - this.last,
      rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20),
      peakMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    });
    this.last = now;
  }
}

const stepListeners = new Set<(importId: number, steps: StepClock['steps']) => void>();

/** Tells a listener (the bench) the step breakdown of every commit in this process. */
export function onCommitSteps(listener: (importId: number, steps: StepClock['steps']) => void): () => void {
  stepListeners.add(listener);
  return () => stepListeners.delete(listener);
}

export function publishSteps(importId: number, clock: StepClock): void {
  for (const l of stepListeners) l(importId, clock.steps);
}
