// Random firm histories' months and values, and random firm rule sets, for the alert engine's property tests (src/domain/alerts/*.test.ts): the city's
// own rule set, or one to eight rules on any signal of the firm table, each with one to three conditions
// and runs of consecutive months up to `maxConsecutive`.
import fs from 'node:fs';
import fc from 'fast-check';
import { COMPARATORS, TABLE_SIGNALS, type Rule, type RuleSet } from '../../src/domain/alerts/index.ts';
import { monthsBetween } from '../../src/domain/periods.ts';

/** The default city's alert rules (config/jiaxing/alert-rules.json). */
export const cityRuleSet = JSON.parse(
  fs.readFileSync(new URL('../../config/jiaxing/alert-rules.json', import.meta.url), 'utf8'),
) as RuleSet;

const signalArb = fc.constantFrom(...TABLE_SIGNALS);
const ruleArb = (i: number, maxConsecutive: number): fc.Arbitrary<Rule> =>
  fc
    .record({
      signal: signalArb,
      level: fc.constantFrom('red' as const, 'orange' as const, 'yellow' as const),
      all: fc.array(
        fc.record({
          signal: signalArb,
          op: fc.constantFrom(...COMPARATORS),
          value: fc.constantFrom(-40, -20, 0, 1, 2, 3, 40, 70, 100),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      consecutive: fc.integer({ min: 1, max: maxConsecutive }),
      enabled: fc.boolean(),
    })
    .map((r) => ({
      ...r,
      id: `r${i}`,
      subject: 'firm',
      nameZh: 'r',
      nameEn: 'r',
      source: 't',
      inference: true,
    }));

/** The city's rule set or a random one (rules of at most `maxConsecutive` months in a row). */
export const firmRuleSetArb = (maxConsecutive: number): fc.Arbitrary<RuleSet> =>
  fc.oneof(
    fc.constant(cityRuleSet),
    fc
      .array(fc.nat(), { minLength: 1, maxLength: 8 })
      .chain((ids) => fc.tuple(...ids.map((_, i) => ruleArb(i, maxConsecutive))))
      .map((rules) => ({ deadlines: cityRuleSet.deadlines, rules })),
  );

/** The months a random firm history covers. */
export const historySpan = monthsBetween('2019-01', '2026-12');

/** A reported value: missing, a few edge levels (zero, negative, round), or any in a realistic range. */
export const factValueArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom(0, -5, 100, 100.5) },
  { weight: 6, arbitrary: fc.double({ min: -50, max: 2000, noNaN: true }) },
);
