// Checks a rule set beyond its shape (the Zod schema in src/modules/alerts/schemas.ts checks the shape):
// unique ids, signals that belong to the rule's subject, one level per (signal, condition) ladder.
import { AREA_SIGNALS, FIRM_SIGNALS, type RuleSet } from './types.ts';

export interface RuleSetProblem {
  ruleId: string | null;
  en: string;
  zh: string;
}

export function ruleSetProblems(set: RuleSet): RuleSetProblem[] {
  const problems: RuleSetProblem[] = [];
  const ids = new Set<string>();
  for (const r of set.rules) {
    if (ids.has(r.id))
      problems.push({ ruleId: r.id, en: `rule id ${r.id} is used twice`, zh: `规则编号 ${r.id} 重复` });
    ids.add(r.id);
    const allowed: readonly string[] = r.subject === 'firm' ? FIRM_SIGNALS : AREA_SIGNALS;
    for (const s of [r.signal, ...r.all.map((c) => c.signal)]) {
      if (!allowed.includes(s))
        problems.push({
          ruleId: r.id,
          en: `signal ${s} is not a ${r.subject} signal`,
          zh: `指标 ${s} 不适用于${r.subject === 'firm' ? '企业' : r.subject === 'cluster' ? '集群' : '区县'}`,
        });
    }
    if (r.all.length === 0)
      problems.push({ ruleId: r.id, en: 'a rule needs a condition', zh: '规则至少需要一个条件' });
    if (!Number.isInteger(r.consecutive) || r.consecutive < 1 || r.consecutive > 12)
      problems.push({ ruleId: r.id, en: 'consecutive months must be 1–12', zh: '连续月数须为 1–12' });
  }
  return problems;
}
