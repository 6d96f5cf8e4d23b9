import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { monthsBetween, type Month } from '../periods.ts';
import {
  evaluateFirmTable,
  firmTable,
  historyColumns,
  UnreportedFirings,
  type Firing,
  type FirmFacts,
} from './index.ts';
import { cityRuleSet, factValueArb, firmRuleSetArb, historySpan } from '../../../test/helpers/alert-rules.ts';

// A firm that reported in none of the evaluated months is evaluated on its reporting pattern alone
// (unreported-firms.ts): its firings must be exactly those of its own full table (firm-table.ts, itself
// checked against the specification in firm-table.test.ts), whatever its values, for any rule set.

const config = cityRuleSet;

const span = historySpan;
const value = factValueArb;
const factsArb: fc.Arbitrary<FirmFacts> = fc.record({
  output: value,
  tax: value,
  electricity: value,
  employees: value,
  revenue: value,
  profit: value,
});
/**
 * A history over the span: reported with probability `p` up to a stop, then with probability `after`
 * (0 for most: a firm that stopped reporting; else sporadic reports, some of them in months not evaluated).
 */
const historyArb = fc
  .tuple(
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.integer({ min: 0, max: span.length }),
    fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.5, noNaN: true })),
    fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), factsArb), {
      minLength: span.length,
      maxLength: span.length,
    }),
  )
  .map(([p, stop, after, months]) => {
    const h = new Map<Month, FirmFacts>();
    months.forEach(([draw, f], i) => {
      if (draw < (i < stop ? p : after)) h.set(span[i]!, f);
    });
    return h;
  });

const ruleSetArb = firmRuleSetArb(6);

/** The firings as plain objects, in their order (a table's firing builds its evidence when read). */
const plain = (fired: Map<Month, Firing[]>) =>
  JSON.stringify(
    [...fired].map(([m, list]) => [
      m,
      list.map((f) => ({
        ruleId: f.ruleId,
        signal: f.signal,
        level: f.level,
        month: f.month,
        evidence: f.evidence,
      })),
    ]),
  );

describe('firings of a firm that reported in no evaluated month', () => {
  it('are its full table’s firings, for any values, rule set and evaluated months', () => {
    let patterned = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        historyArb,
        historyArb,
        ruleSetArb,
        fc.integer({ min: 24, max: 70 }),
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
        // the newest month still open for reporting, or none
        fc.boolean(),
        (history, other, set, from, length, lookback, picked, opened) => {
          runs++;
          // the evaluation's targets: the evaluated span and the months its runs look back at
          const last = Math.min(span.length - 1, from + length - 1);
          const targets = monthsBetween(span[from - lookback]!, span[last]!);
          // evaluated: some months of the span (an import may bring months with gaps), the last one always
          const evaluated = targets.slice(lookback).filter((_, i, all) => picked[i] || i === all.length - 1);
          const open = opened ? targets.at(-1)! : null;
          const unreported = new UnreportedFirings(set, targets, evaluated, open);
          // a second firm with the first one's reported months and other values: the pattern's firings are
          // kept from the first, so this checks what the second gets from the memo
          const twin = new Map(
            [...history.keys()].map((m, i) => [
              m,
              [...other.values()][i] ?? {
                output: null,
                tax: null,
                electricity: null,
                employees: null,
              },
            ]),
          );
          for (const h of [history, twin]) {
            // columns in any month order (the SQL does not sort them)
            const columns = historyColumns(new Map([...h].reverse()));
            const fast = unreported.firings(columns, null, false);
            const reported = evaluated.some((m) => h.has(m));
            expect(fast === undefined).toBe(reported);
            if (!fast) continue;
            patterned++;
            const full = evaluateFirmTable(
              set,
              firmTable(h, targets, null, undefined, undefined, open),
              evaluated,
            );
            expect(plain(fast)).toBe(plain(full));
            // a class drop or projects: left to the full table
            expect(unreported.firings(columns, 1, false)).toBeUndefined();
            expect(unreported.firings(columns, null, true)).toBeUndefined();
          }
        },
      ),
      { numRuns: 500 },
    );
    // most runs met a firm evaluated by its pattern (the property is not checked on an empty case)
    expect(patterned).toBeGreaterThan(runs / 2);
  });

  it('a firm that stopped reporting in 2024: not reported 1, then 2 months and more, as its table says', () => {
    const facts = { output: 5, tax: 1, electricity: 3, employees: 10 };
    const history = new Map<Month, FirmFacts>(monthsBetween('2024-10', '2024-12').map((m) => [m, facts]));
    const targets = monthsBetween('2024-08', '2026-08');
    const evaluated = monthsBetween('2025-01', '2026-08');
    const fast = new UnreportedFirings(config, targets, evaluated).firings(
      historyColumns(history),
      null,
      false,
    )!;
    expect(plain(fast)).toBe(plain(evaluateFirmTable(config, firmTable(history, targets), evaluated)));
    expect(fast.get('2025-01')!.map((f) => [f.ruleId, f.evidence])).toEqual([
      ['not-reported-1', [{ month: '2025-01', values: { months_not_reported: 1 } }]],
    ]);
    expect(fast.get('2025-12')!.map((f) => f.ruleId)).toEqual(['not-reported-2']);
    // twelve months after its last report it is no longer "not reported" (REPORTING_LOOKBACK)
    expect([...fast.keys()]).toEqual(monthsBetween('2025-01', '2025-12'));
  });

  it('reads the reports up to REPORTING_LOOKBACK months before the first target, and not before', () => {
    const facts = { output: 5, tax: 1, electricity: 3, employees: 10 };
    const targets = monthsBetween('2025-03', '2025-06');
    for (const [last, fires] of [
      ['2024-03', true],
      ['2024-02', false],
    ] as const) {
      const history = new Map<Month, FirmFacts>([[last, facts]]);
      const fast = new UnreportedFirings(config, targets, targets).firings(
        historyColumns(history),
        null,
        false,
      )!;
      expect(plain(fast)).toBe(plain(evaluateFirmTable(config, firmTable(history, targets), targets)));
      // twelve months after its last report (2024-03): 2025-03 not reported, orange; never after
      expect([...fast.keys()]).toEqual(fires ? ['2025-03'] : []);
    }
  });
});
