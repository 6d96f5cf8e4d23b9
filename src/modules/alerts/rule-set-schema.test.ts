import { describe, expect, it } from 'vitest';
import { closedShare } from '../../domain/alerts/index.ts';
import { defaultRuleSet } from './rules.ts';
import { ruleSetSchema } from './schemas.ts';

// The rule set's reporting setting (when a month is closed for reporting, src/domain/alerts/reporting.ts) is
// read and checked where the deadlines are: the city's file carries it, a share outside (0, 1] is refused, and a
// rule set saved before it existed still loads (the default share applies).
describe('rule set: reportingClosed', () => {
  const defaults = defaultRuleSet();

  it('the city’s defaults: 0.9, with its source, an inference', () => {
    expect(defaults.reportingClosed).toMatchObject({ share: 0.9, inference: true });
    expect(defaults.reportingClosed!.source).toMatch(/inference/);
    expect(closedShare(defaults)).toBe(0.9);
  });

  it('a share outside (0, 1] is refused; none is the default', () => {
    const withShare = (share: number) => ({
      ...defaults,
      reportingClosed: { ...defaults.reportingClosed!, share },
    });
    expect(ruleSetSchema.safeParse(withShare(0)).success).toBe(false);
    expect(ruleSetSchema.safeParse(withShare(1.2)).success).toBe(false);
    expect(ruleSetSchema.parse(withShare(0.75)).reportingClosed?.share).toBe(0.75);
    const { reportingClosed: _r, ...older } = defaults;
    const parsed = ruleSetSchema.parse(older);
    expect(parsed.reportingClosed).toBeUndefined();
    expect(closedShare(parsed)).toBe(0.9);
  });
});
