import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../db/client.ts';
import { onFactsChanged, runFactsChanged, StepClock } from './hooks.ts';

// The hook runner's contract for a hook in two parts (FactsChangedHookAhead): its first part runs just
// before the hook registered before it, its CPU work goes on while that hook awaits its statements, and its
// rest runs in its own place, instead of the hook.

const tx = {} as Db;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('facts-changed hooks in two parts', () => {
  const removers: (() => void)[] = [];
  afterEach(() => {
    for (const r of removers.splice(0)) r();
  });

  it('runs the first part before the hook before it, the work beside it and the rest in its place', async () => {
    const log: string[] = [];
    removers.push(
      onFactsChanged(async () => void log.push('first'), 'first'),
      onFactsChanged(async () => {
        // a hook with statements to await: the other hook's work runs in between
        for (let i = 0; i < 3; i++) {
          log.push(`rollup ${i}`);
          await turn();
        }
      }, 'rollups'),
      onFactsChanged(
        async () => void log.push('alerts whole'),
        'alerts',
        async (_tx, change) => {
          log.push('alerts read');
          change.lap?.('read');
          const work = (async () => {
            for (let i = 0; i < 3; i++) {
              await turn();
              log.push(`alerts work ${i}`);
            }
          })();
          return async () => {
            await work;
            log.push('alerts write');
          };
        },
      ),
      onFactsChanged(async () => void log.push('last'), 'last'),
    );
    const clock = new StepClock();
    await runFactsChanged(tx, { kind: 'monthly', months: ['2025-01'] }, clock);
    expect(log.slice(0, 3)).toEqual(['first', 'alerts read', 'rollup 0']);
    // the work went on while the rollups awaited theirs, before the rollups ended
    expect(log.indexOf('alerts work 0')).toBeLessThan(log.indexOf('rollup 2'));
    expect(log.slice(-2)).toEqual(['alerts write', 'last']);
    expect(log).not.toContain('alerts whole');
    // the first part's laps are steps of their own, in the order they ran
    expect(clock.steps.map((s) => s.step)).toEqual(['first', 'alerts: read', 'rollups', 'alerts', 'last']);
  });

  it('runs a hook without a first part as before, and one first in the list in its place', async () => {
    const log: string[] = [];
    removers.push(
      onFactsChanged(
        async () => void log.push('whole'),
        'alone',
        async () => {
          log.push('ahead');
          return async () => void log.push('rest');
        },
      ),
      onFactsChanged(async () => void log.push('plain'), 'plain'),
    );
    await runFactsChanged(tx, { kind: 'monthly' });
    expect(log).toEqual(['whole', 'plain']);
  });

  it('keeps the order of every hook for any list of hooks, in one part or two', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), async (twoParts) => {
        const log: string[] = [];
        const remove = twoParts.map((two, i) =>
          onFactsChanged(
            async () => void log.push(`whole ${i}`),
            `h${i}`,
            two
              ? async () => {
                  log.push(`ahead ${i}`);
                  return async () => void log.push(`rest ${i}`);
                }
              : undefined,
          ),
        );
        try {
          await runFactsChanged(tx, { kind: 'monthly' });
        } finally {
          for (const r of remove) r();
        }
        // the model: a hook's first part just before the hook before it, its rest in its place (the first
        // hook has none before it: it runs whole)
        const expected: string[] = [];
        twoParts.forEach((two, i) => {
          if (twoParts[i + 1]) expected.push(`ahead ${i + 1}`);
          expected.push(two && i > 0 ? `rest ${i}` : `whole ${i}`);
        });
        expect(log).toEqual(expected);
      }),
    );
  });
});
