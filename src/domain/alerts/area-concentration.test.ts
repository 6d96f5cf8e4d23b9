// Concentration and 断链 risk as the area signals now take them — one typed-array sort for CR1, CR5 and HHI,
// chain nodes from sums the database takes — against the monitoring capability's concentration they were
// computed with before: the same numbers to the last bit, the same nodes at risk, on random outputs
// (duplicates, zeros, negatives, NaN, infinities), and sums in another order never giving another verdict.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { concentration } from '../monitoring/structure.ts';
import {
  chainBreakNodes,
  chainNodeAtRisk,
  chainNodeSums,
  concentrationSignals,
  type ChainNodeSums,
} from './area-signals.ts';

/** concentrationSignals as it was: monitoring's concentration with the top 5 and the top 1. */
function reference(outputs: readonly number[]) {
  const c5 = concentration(outputs, 5);
  const c1 = concentration(outputs, 1);
  return c5 && c1 ? { cr1: 100 * c1.topShare, cr5: 100 * c5.topShare, hhi: 10000 * c5.hhi } : null;
}

/** chainBreakNodes as it was: 0–1 firms, or CR1 above the share. */
function referenceBreaks(nodes: readonly { node: string; outputs: number[] }[], maxShare = 50) {
  return nodes
    .filter((n) => {
      if (n.outputs.length <= 1) return true;
      const c = reference(n.outputs);
      return c != null && c.cr1 > maxShare;
    })
    .map((n) => n.node);
}

const output = fc.oneof(
  { weight: 20, arbitrary: fc.double({ min: -100, max: 1e7, noNaN: true }) },
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 2000 }).map((v) => v / 10) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 5e-324, 1e300) },
);
const outputs = fc.array(output, { maxLength: 60 });

describe('area concentration from one sort', () => {
  it('gives CR1, CR5 and HHI to the last bit as monitoring’s concentration did', () => {
    fc.assert(
      fc.property(outputs, (values) => {
        expect(concentrationSignals(values)).toEqual(reference(values));
      }),
      { numRuns: 2000 },
    );
    // ties, and sums whose order shows in the last bits
    for (const values of [
      [0.4, 0.3, 0.1],
      [0.1, 0.2, 0.3, 0.3],
      [7, 7, 7, 7, 7, 7, 7],
      [1e16, 1, 1, 1],
    ])
      expect(concentrationSignals(values)).toEqual(reference(values));
  });
});

describe('断链 risk from sums', () => {
  it('flags the same nodes as the outputs did', () => {
    fc.assert(
      fc.property(fc.array(outputs, { maxLength: 8 }), fc.constantFrom(30, 50, 80), (lists, share) => {
        const nodes = lists.map((o, i) => ({ node: `n${i}`, outputs: o }));
        expect(chainBreakNodes(nodes, share)).toEqual(referenceBreaks(nodes, share));
      }),
      { numRuns: 1000 },
    );
  });

  it('a total summed in another order is settled only outside the margin, and then the same', () => {
    const shuffled = fc
      .tuple(outputs, fc.array(fc.nat(), { minLength: 60, maxLength: 60 }))
      .map(([values, keys]) => ({
        values,
        order: values.map((v, i) => [keys[i]!, v] as const).sort((a, b) => a[0] - b[0]),
      }));
    fc.assert(
      fc.property(shuffled, ({ values, order }) => {
        const exact = chainNodeSums('n', values);
        let total = 0;
        for (const [, v] of order) if (Number.isFinite(v) && v > 0) total += v;
        const loose: ChainNodeSums = { ...exact, total: exact.total == null ? null : total, exact: false };
        const verdict = chainNodeAtRisk(loose);
        if (verdict != null) expect(verdict).toBe(chainNodeAtRisk(exact));
      }),
      { numRuns: 2000 },
    );
  });

  it('near ties: the order of the sum decides, so the verdict waits for the exact total', () => {
    // largest first 0.4 + 0.3 + 0.1 = 0.7999999999999999: CR1 just above 50 % (at risk); smallest first
    // 0.1 + 0.3 + 0.4 = 0.8 gives 50 % exactly. 0.9, 0.6, 0.3 the other way round.
    for (const [values, atRisk] of [
      [[0.4, 0.3, 0.1], true],
      [[0.9, 0.6, 0.3], false],
    ] as const) {
      const exact = chainNodeSums('n', values);
      expect(chainNodeAtRisk(exact)).toBe(atRisk);
      expect(referenceBreaks([{ node: 'n', outputs: [...values] }])).toEqual(atRisk ? ['n'] : []);
      const ascending = [...values].reverse().reduce((s, v) => s + v, 0);
      expect(ascending).not.toBe(exact.total);
      expect(chainNodeAtRisk({ ...exact, total: ascending, exact: false })).toBeNull();
    }
    // 0–1 firms are at risk whatever the sums; no positive output (and 2 firms) is not
    expect(chainNodeAtRisk({ node: 'n', firms: 1, top: 5, total: 5, exact: false })).toBe(true);
    expect(chainNodeAtRisk({ node: 'n', firms: 0, top: null, total: null, exact: false })).toBe(true);
    expect(chainNodeAtRisk({ node: 'n', firms: 2, top: null, total: null, exact: false })).toBe(false);
  });
});
