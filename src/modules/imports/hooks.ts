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

/**
 * The first part of a hook whose own work can run beside the database work of the hook registered just
 * before it (the alert rules' evaluation, Node CPU, beside the monitoring rollups, database CPU: issue 13).
 * It runs just before that hook and must read nothing that hook writes; it reads what it needs, starts its
 * CPU work — which must not use the connection and must yield to the event loop between short chunks, so
 * the other hook's statements go out as soon as they are due — and answers the rest of the hook, which runs
 * at the hook's own place in the order (instead of the hook) and waits for that work. Its laps are steps
 * of their own; the hook before it is timed as it ran, with the CPU work beside it.
 */
export type FactsChangedHookAhead = (tx: Db, change: FactsChange) => Promise<(tx: Db) => Promise<void>>;

const hooks: { name: string; hook: FactsChangedHook; ahead?: FactsChangedHookAhead }[] = [];

/**
 * Registers a hook (named for the step breakdown), with its first part when it has one (`ahead`); returns
 * a function that removes it again (tests).
 */
export function onFactsChanged(
  hook: FactsChangedHook,
  name = 'hook',
  ahead?: FactsChangedHookAhead,
): () => void {
  const entry = { name, hook, ahead };
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
 * Runs every hook in order, in the caller's transaction; a failing hook fails the import. A hook with a
 * first part (FactsChangedHookAhead) has it run just before the hook before it, and its rest in its place.
 * With `clock`, each hook's time is recorded as a step of the commit.
 */
export async function runFactsChanged(tx: Db, change: FactsChange, clock?: StepClock): Promise<void> {
  const list = [...hooks];
  const withLap = (name: string): FactsChange =>
    clock ? { ...change, lap: (step) => clock.lap(`${name}: ${step}`) } : change;
  let rest: ((tx: Db) => Promise<void>) | undefined;
  for (let i = 0; i < list.length; i++) {
    const { name, hook } = list[i]!;
    const next = list[i + 1];
    const nextRest = next?.ahead ? await next.ahead(tx, withLap(next.name)) : undefined;
    await (rest ? rest(tx) : hook(tx, withLap(name)));
    clock?.lap(name);
    rest = nextRest;
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
