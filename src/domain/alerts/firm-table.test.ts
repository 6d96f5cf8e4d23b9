import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { monthsBetween, type Month } from '../periods.ts';
import {
  evaluateFirmTable,
  evaluateSubject,
  firmSignals,
  firmTable,
  historyColumns,
  TABLE_SIGNALS,
  tableCovers,
  type Firing,
  type FirmFacts,
  type RuleSet,
  type SignalRow,
} from './index.ts';
import { cityRuleSet, factValueArb, firmRuleSetArb, historySpan } from '../../../test/helpers/alert-rules.ts';

// The firm table (one pass over a firm's months, rules run on arrays) must give exactly what the
// specification gives: firmSignals month by month, the class drop and project delay added to each row as
// the evaluation adds them, and evaluateSubject on that series.

const config = cityRuleSet;

const span = historySpan;
const value = factValueArb;
const factsArb: fc.Arbitrary<FirmFacts> = fc.record({
  output: value,
  tax: value,
  electricity: value,
  employees: value,
});
/** A history: each month of the span reported with some probability, values from a few levels. */
const historyArb = fc
  .tuple(
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), factsArb), {
      minLength: span.length,
      maxLength: span.length,
    }),
  )
  .map(([p, months]) => {
    const h = new Map<Month, FirmFacts>();
    months.forEach(([draw, f], i) => {
      if (draw < p) h.set(span[i]!, f);
    });
    return h;
  });

const ruleSetArb = firmRuleSetArb(4);

/** The evaluation's row path: firmSignals per month, then the class drop and project delay as it adds them. */
function specification(
  set: RuleSet,
  history: Map<Month, FirmFacts>,
  targets: Month[],
  evaluated: Month[],
  drop: number | null,
  delay: ((i: number) => number | null) | undefined,
  open: Month | null = null,
) {
  const series = new Map<Month, SignalRow>();
  targets.forEach((t, i) => {
    const row = firmSignals(history, t, t === open);
    if (drop != null) row.mu_class_drop = drop;
    if (delay) row.project_delay_months = delay(i);
    series.set(t, row);
  });
  const fired = new Map<Month, Firing[]>();
  for (const m of evaluated) {
    const f = evaluateSubject(set, 'firm', series, m);
    if (f.length) fired.set(m, f);
  }
  return { series, fired };
}

/** The firings as plain objects (a table's firing builds its evidence when read). */
const plain = (fired: Map<Month, Firing[]>) =>
  new Map(
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

describe('firm table', () => {
  it('holds firmSignals of every month, and fires exactly what evaluateSubject fires', () => {
    fc.assert(
      fc.property(
        historyArb,
        ruleSetArb,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 30 }),
        fc.option(fc.integer({ min: 0, max: 3 })),
        fc.option(fc.array(fc.option(fc.integer({ min: 0, max: 9 })), { minLength: 30, maxLength: 30 })),
        // the month still open for reporting: none, the last target (the newest month, as in the evaluation),
        // or any (the table does not rely on it being the last)
        fc.oneof(fc.constant(null), fc.constant(-1), fc.integer({ min: 0, max: 30 })),
        (history, set, from, length, drop, delays, opened) => {
          const targets = monthsBetween(
            span[24 + from]!,
            span[Math.min(span.length - 1, 24 + from + length)]!,
          );
          const evaluated = targets.slice(Math.min(5, targets.length - 1));
          const delay = delays ? (i: number) => delays[i % delays.length]! : undefined;
          const open = opened === null ? null : (targets.at(opened % targets.length) ?? null);
          const expected = specification(set, history, targets, evaluated, drop, delay, open);
          const table = firmTable(history, targets, drop, delay, undefined, open);
          // the evaluation's read (columns, in any month order: the SQL does not sort them) gives the same table
          const fromColumns = firmTable(
            historyColumns(new Map([...history].reverse())),
            targets,
            drop,
            delay,
            undefined,
            open,
          );
          expect(fromColumns.value).toEqual(table.value);
          expect(fromColumns.absent).toEqual(table.absent);
          // and a table refilled (the evaluation refills one for the firms it needs a table of for the areas
          // only) holds nothing of what it held
          const dirty = firmTable(history, targets, 3, () => 7);
          const refilled = firmTable(historyColumns(history), targets, drop, delay, dirty, open);
          expect(refilled.value).toBe(dirty.value);
          expect(refilled.value).toEqual(table.value);
          expect(refilled.absent).toEqual(table.absent);
          const n = targets.length;
          targets.forEach((t, i) => {
            const row = expected.series.get(t)!;
            TABLE_SIGNALS.forEach((s, c) => {
              const v = table.value[c * n + i]!;
              if (!(s in row)) expect(table.absent[c * n + i], `${s} ${t}`).toBe(1);
              else {
                expect(table.absent[c * n + i]).toBe(0);
                expect(Number.isNaN(v) ? null : v, `${s} ${t}`).toBe(row[s]);
              }
            });
          });
          const fired = plain(evaluateFirmTable(set, table, evaluated));
          expect(fired).toEqual(expected.fired);
          // and the order of the firings and of their evidence's keys, as the writer stages them
          expect(JSON.stringify([...fired])).toBe(JSON.stringify([...expected.fired]));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a firm that stopped reporting: not reported from the month after its last report', () => {
    const history = new Map<Month, FirmFacts>(
      monthsBetween('2024-10', '2024-12').map((m) => [
        m,
        { output: 1, tax: 1, electricity: 1, employees: 1 },
      ]),
    );
    const targets = monthsBetween('2024-08', '2026-02');
    const fired = plain(evaluateFirmTable(config, firmTable(history, targets), targets));
    expect([...fired.keys()]).toEqual(monthsBetween('2025-01', '2025-12'));
    expect(fired.get('2025-01')!.map((f) => [f.ruleId, f.evidence])).toEqual([
      ['not-reported-1', [{ month: '2025-01', values: { months_not_reported: 1 } }]],
    ]);
    expect(fired.get('2025-12')!.map((f) => f.ruleId)).toEqual(['not-reported-2']);
  });

  it('a month open for reporting: a firm without a row in it is not judged "not reported" there', () => {
    const facts = { output: 1, tax: 1, electricity: 1, employees: 1 };
    // reported up to 2025-01, none in 2025-02 (open), then 2025-03 arrives: 2025-02 is closed by it
    const history = new Map<Month, FirmFacts>(monthsBetween('2024-10', '2025-01').map((m) => [m, facts]));
    const targets = monthsBetween('2024-12', '2025-02');
    const open = plain(
      evaluateFirmTable(config, firmTable(history, targets, null, undefined, undefined, '2025-02'), targets),
    );
    expect(open.get('2025-02')).toBeUndefined();
    const closed = plain(evaluateFirmTable(config, firmTable(history, targets), targets));
    expect(closed.get('2025-02')!.map((f) => f.ruleId)).toEqual(['not-reported-1']);
    // a firm that did report in the open month is judged as in any month
    const reported = new Map(history).set('2025-02', facts);
    const table = firmTable(reported, targets, null, undefined, undefined, '2025-02');
    expect(table.value[targets.length - 1]).toBe(0);
  });

  it('covers every firm rule of the default rule set', () => {
    expect(tableCovers(config)).toBe(true);
  });
});
