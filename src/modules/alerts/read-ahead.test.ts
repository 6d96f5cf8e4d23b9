// The read-ahead's slices are taken apart a turn at a time (inTurns): a slice parsed whole was held as
// objects through every turn of its evaluation, which V8 promoted to its old generation as garbage to be
// collected late, the import's peak memory at province scale (issue 13).
import { describe, expect, it } from 'vitest';
import { inTurns, SliceQueue } from './read-ahead.ts';

/** 2025-01 as rawFirmSlices reads (PGlite) a month: its first day's number, days after 2000-01-01. */
const JANUARY_2025 = (Date.UTC(2025, 0, 1) - Date.UTC(2000, 0, 1)) / 86_400_000;

/** A firm's text as rawFirmSlices reads (PGlite) it: id, county, clusters, the fact columns, then its placements. */
const firmText = (id: number) =>
  JSON.stringify([
    id,
    '330402',
    ['C01'],
    [JANUARY_2025],
    [1.5],
    [0.1],
    [2],
    [50],
    [1.2],
    [0.3],
    [['C01', 'N1']],
  ]);

describe('the slices read ahead, in turns', () => {
  it('takes apart only the firms of the turn under way and lets their texts go', async () => {
    const queue = new SliceQueue();
    const slice = Array.from({ length: 1_200 }, (_, i) => firmText(i + 1));
    // a text the evaluation has not reached yet is not parsed yet
    slice[1_100] = 'not json';
    await queue.push({ texts: slice });
    queue.end();
    const turns = inTurns(queue);
    const turn = async () => {
      const next = await turns.next();
      if (next.done) throw new Error('no turn left');
      return next.value;
    };

    const first = await turn();
    expect(first.map((f) => f.id)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(first[0]).toEqual({
      id: 1,
      regionCode: '330402',
      clusters: ['C01'],
      facts: {
        // the month's index (2025 × 12 + 0)
        months: [24300],
        output: [1.5],
        tax: [0.1],
        electricity: [2],
        employees: [50],
        revenue: [1.2],
        profit: [0.3],
      },
      nodes: [['C01', 'N1']],
    });
    expect(slice.slice(0, 500).every((t) => t === '')).toBe(true);
    expect(slice[500]).toBe(firmText(501));

    const second = await turn();
    expect(second.at(-1)?.id).toBe(1_000);
    // the third turn holds the text that is not JSON
    await expect(turn()).rejects.toThrow(SyntaxError);
  });
});
