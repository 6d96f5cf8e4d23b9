import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  cellReason,
  DEFAULT_DISCLOSURE,
  primaryReason,
  roundShare,
  summaryReason,
  suppressTable,
  type TableCell,
  windowReason,
} from './index.ts';

describe('primary suppression', () => {
  it('applies the frequency, dominance and p % rules to the outside firms', () => {
    expect(primaryReason([])).toBeNull();
    expect(primaryReason([100])).toBe('frequency');
    expect(primaryReason([100, 90])).toBe('frequency');
    expect(primaryReason(2)).toBe('frequency');
    expect(primaryReason(3)).toBeNull();
    expect(primaryReason([700, 200, 100])).toBe('dominance'); // 70 % > 60 %
    expect(primaryReason([500, 450, 40])).toBe('p-percent'); // rest 40 < 10 % of 500
    expect(primaryReason([400, 300, 300])).toBeNull();
  });

  it('never shows a cell from which one firm can be read off or closely estimated', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 8 }), (values) => {
        if (primaryReason(values) !== null) return;
        const sorted = [...values].sort((a, b) => b - a);
        const total = sorted.reduce((s, v) => s + v, 0);
        // shown: at least 3 firms, the largest at most 60 %, and the others' rest hides it within 10 %
        expect(values.length).toBeGreaterThanOrEqual(DEFAULT_DISCLOSURE.minFirms);
        expect(sorted[0]!).toBeLessThanOrEqual(0.6 * total + 1e-9);
        expect(total - sorted[0]! - sorted[1]!).toBeGreaterThanOrEqual(0.1 * sorted[0]! - 1e-9);
      }),
    );
  });
});

describe('secondary suppression', () => {
  it('hides the smallest other cell of a group that would give a suppressed cell away', () => {
    const cells: TableCell[] = [
      { primary: 'frequency', value: 5, groups: ['county A'] },
      { primary: null, value: 50, groups: ['county A'] },
      { primary: null, value: 20, groups: ['county A'] },
      { primary: null, value: 70, groups: ['county B'] },
    ];
    expect(suppressTable(cells)).toEqual(['frequency', null, 'secondary', null]);
  });

  it('leaves no additive group with exactly one hidden cell', () => {
    const cellArb = fc.record({
      primary: fc.constantFrom(null, null, null, 'frequency' as const),
      value: fc.integer({ min: 0, max: 1000 }),
      groups: fc.subarray(['g1', 'g2', 'g3', 'g4'], { minLength: 1 }),
    });
    fc.assert(
      fc.property(fc.array(cellArb, { maxLength: 20 }), (cells) => {
        const out = suppressTable(cells);
        cells.forEach((c, i) => {
          if (c.primary) expect(out[i]).toBe(c.primary);
        });
        for (const g of ['g1', 'g2', 'g3', 'g4']) {
          const members = cells.map((c, i) => [c, i] as const).filter(([c]) => c.groups.includes(g));
          const hidden = members.filter(([, i]) => out[i] !== null).length;
          if (members.length >= 2) expect(hidden).not.toBe(1);
        }
      }),
    );
  });
});

describe('shares', () => {
  it('rounds to the step', () => {
    expect(roundShare(0.4349)).toBe(0.4);
    expect(roundShare(0.46)).toBe(0.5);
    expect(roundShare(null)).toBeNull();
  });
});

describe('rules on a cell summary (count, total, largest two)', () => {
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => b - a);
    return { count: values.length, total: values.reduce((a, b) => a + b, 0), top: sorted.slice(0, 2) };
  };
  it('judges hand-made cells as the firms’ values would', () => {
    expect(summaryReason({ count: 0, total: 0, top: [] })).toBeNull();
    expect(summaryReason({ count: 2, total: 190, top: [100, 90] })).toBe('frequency');
    expect(summaryReason({ count: 3, total: 1000, top: [700, 200] })).toBe('dominance');
    expect(summaryReason({ count: 3, total: 990, top: [500, 450] })).toBe('p-percent');
    expect(summaryReason({ count: 3, total: 1000, top: [400, 300] })).toBeNull();
    // many small firms behind one large one: the count alone would have shown it
    expect(summaryReason({ count: 40, total: 1000, top: [650, 10] })).toBe('dominance');
  });
  it('agrees with primaryReason on every set of values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 10 }), (values) => {
        expect(summaryReason(summary(values))).toBe(primaryReason(values));
      }),
    );
  });
});

describe('cells with several magnitudes and figures built of several cells', () => {
  it('hides a cell when any magnitude fails, frequency first', () => {
    const fine = { total: 1000, top: [300, 200] };
    expect(cellReason(5, [fine, fine])).toBeNull();
    expect(cellReason(5, [fine, { total: 1000, top: [900, 50] }])).toBe('dominance');
    expect(cellReason(2, [fine])).toBe('frequency');
    expect(cellReason(5, [{ total: null, top: [] }, fine])).toBeNull();
  });
  it('takes the cell’s own reason, then any part’s', () => {
    expect(windowReason(null, [null, null])).toBeNull();
    expect(windowReason('frequency', ['dominance'])).toBe('frequency');
    expect(windowReason(null, [null, 'p-percent'])).toBe('p-percent');
  });
  it('a sum of cells that each pass the rules passes them (why the parts are enough)', () => {
    // firms × months of non-negative values: when every month passes, the months' sum passes
    const months = fc.array(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 6, maxLength: 6 }), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(months, (table) => {
        if (table.some((month) => primaryReason(month) !== null)) return;
        const sums = table[0]!.map((_, firm) => table.reduce((s, month) => s + month[firm]!, 0));
        expect(primaryReason(sums)).toBeNull();
      }),
    );
  });
});

describe('secondary suppression around cells the reader knows', () => {
  it('never picks the reader’s own cell: it protects nothing', () => {
    const cells: TableCell[] = [
      { primary: 'dominance', value: 900, groups: ['g'] },
      { primary: null, value: 10, groups: ['g'], known: true },
      { primary: null, value: 500, groups: ['g'] },
    ];
    expect(suppressTable(cells)).toEqual(['dominance', null, 'secondary']);
  });
});
