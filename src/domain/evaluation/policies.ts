// The policies tied to a class (as configured in the rule set), and the 低散乱 watch list rule.
import type { EvaluationClass, PolicyRule, RuleSet, ScaleGroup } from './types.ts';

/** How many consecutive years, counting back from this one, the enterprise held `cls`. */
export function consecutiveYears(history: readonly (EvaluationClass | null)[], cls: EvaluationClass): number {
  let n = 0;
  for (const c of history) {
    if (c !== cls) break;
    n++;
  }
  return n;
}

/**
 * The policies that apply to an enterprise. `history[0]` is this year's class, `history[1]` last year's …
 * Of several rules of the same class and kind, the one needing the longest streak that is met wins
 * (D +0.40 元/kWh after three D years replaces D +0.30).
 */
export function policiesFor(ruleSet: RuleSet, history: readonly (EvaluationClass | null)[]): PolicyRule[] {
  const cls = history[0];
  if (!cls) return [];
  const streak = consecutiveYears(history, cls);
  const best = new Map<string, PolicyRule>();
  for (const p of ruleSet.policies) {
    if (p.class !== cls || (p.consecutiveYears ?? 1) > streak) continue;
    const prev = best.get(p.kind);
    if (!prev || (p.consecutiveYears ?? 1) > (prev.consecutiveYears ?? 1)) best.set(p.kind, p);
  }
  return [...best.values()];
}

/** Three-year 亩均税收: total tax over the years on record ÷ total land over the same years (万元/亩). */
export function threeYearTaxPerMu(
  years: readonly { taxPaid: number | null; landMu: number | null }[],
): number | null {
  let tax = 0;
  let land = 0;
  for (const y of years) {
    if (y.landMu == null || !(y.landMu > 0)) continue;
    tax += y.taxPaid ?? 0;
    land += y.landMu;
  }
  return land > 0 ? tax / land : null;
}

export type WatchReason = 'low_tax' | 'class';

/** Why an enterprise is on the 低散乱 watch list (empty: it is not). */
export function watchReasons(
  ruleSet: RuleSet,
  scale: ScaleGroup,
  taxPerMu3y: number | null,
  cls: EvaluationClass | null,
): WatchReason[] {
  const reasons: WatchReason[] = [];
  if (taxPerMu3y != null && taxPerMu3y < ruleSet.watch.threeYearTaxPerMu[scale]) reasons.push('low_tax');
  if (cls && ruleSet.watch.classes.includes(cls)) reasons.push('class');
  return reasons;
}
