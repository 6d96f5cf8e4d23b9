// Rule sets the backtest compares with the defaults, so the evidence shows what the choices buy:
// the reference's B2 table read literally (tax down in any single month), and electricity alone.
import type { RuleSet } from '../../domain/alerts/index.ts';

export interface NamedRuleSet {
  name: string;
  ruleSet: RuleSet;
}

export function backtestRuleSets(defaults: RuleSet): NamedRuleSet[] {
  const literal: RuleSet = {
    ...defaults,
    rules: defaults.rules.map((r) =>
      r.id === 'tax-yoy-down' ? { ...r, all: [{ signal: 'tax_yoy', op: '<', value: 0 }], consecutive: 1 } : r,
    ),
  };
  const electricityOnly: RuleSet = {
    ...defaults,
    rules: defaults.rules.map((r) => ({
      ...r,
      enabled: r.subject !== 'firm' || r.signal === 'electricity_index',
    })),
  };
  return [
    { name: 'defaults (config alert-rules.json)', ruleSet: defaults },
    { name: 'B2 literal: tax yoy < 0 in one month', ruleSet: literal },
    { name: 'electricity index rules only', ruleSet: electricityOnly },
  ];
}
