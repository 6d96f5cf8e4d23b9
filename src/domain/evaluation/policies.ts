// The policies tied to a class (as configured in the rule set), and the 低散乱 watch list rule.
import type {
  EvaluationClass,
  PolicyDepartment,
  PolicyKind,
  PolicyRule,
  RuleSet,
  ScaleGroup,
} from './types.ts';

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

/** The department that acts on a policy kind, unless the rule names another (issue 15 item 6). */
export const KIND_DEPARTMENT: Record<PolicyKind, PolicyDepartment> = {
  electricity_surcharge: 'power',
  water_surcharge: 'water',
  sewage_surcharge: 'water',
  land_tax_relief: 'tax',
  energy_quota: 'economy',
  emission_quota: 'environment',
  land_supply: 'resources',
  other: 'economy',
};

export const policyDepartment = (p: PolicyRule): PolicyDepartment => p.department ?? KIND_DEPARTMENT[p.kind];

/** The year's facts a policy amount is computed from (units as in annual_inputs). */
export interface PolicyFacts {
  /** 万千瓦时 */
  electricity: number | null;
  landMu: number | null;
  /** 吨标准煤 */
  energyTce: number | null;
  /** 吨 (COD + 氨氮 + SO₂ + NOx) */
  emissionsT: number | null;
}

/** The facts of an evaluated input (emissions: the four pollutants in tonnes, null when none is known). */
export function policyFactsOf(i: {
  electricity: number | null;
  landMu: number | null;
  energyTce: number | null;
  cod: number | null;
  ammoniaNitrogen: number | null;
  so2: number | null;
  nox: number | null;
}): PolicyFacts {
  const e = [i.cod, i.ammoniaNitrogen, i.so2, i.nox];
  return {
    electricity: i.electricity,
    landMu: i.landMu,
    energyTce: i.energyTce,
    emissionsT: e.every((v) => v == null) ? null : e.reduce<number>((s, v) => s + (v ?? 0), 0),
  };
}

/** A policy with its department and its amount for one firm (what ledgers and explanations show). */
export function withAmount(p: PolicyRule, f: PolicyFacts) {
  const a = policyAmount(p, f);
  return { ...p, department: policyDepartment(p), amount: a.amount, amountUnit: a.unit, formula: a.formula };
}

export interface PolicyAmount {
  /** null when the platform has no input for it (water use) or the policy has no amount (land supply) */
  amount: number | null;
  unit: string;
  /** the computation in words, with the inputs, e.g. "0.3 元/千瓦时 × 1,200 万千瓦时" */
  formula: string;
}

const M2_PER_MU = 10000 / 15;
const fmt = (v: number) => (Math.round(v * 100) / 100).toLocaleString('zh-CN');

/**
 * A policy's amount for one firm and year:
 * - 差别化电价: value (元/千瓦时) × electricity (万千瓦时) = 万元 (1 万千瓦时 × 1 元/千瓦时 = 1 万元);
 * - 城镇土地使用税减免: value % × land (亩 × 666.67 m²) × `rate` (元/m²·年) ÷ 10 000 = 万元;
 * - 用能 / 排污指标: value % × the year's energy use (吨标准煤) or emissions (吨);
 * - 差别化水价 / 污水处理费: water use is not an input of the platform, so no amount (the water
 *   department applies the rate to metered use); 新增供地 and other: no amount.
 */
export function policyAmount(p: PolicyRule, f: PolicyFacts): PolicyAmount {
  switch (p.kind) {
    case 'electricity_surcharge':
      return f.electricity == null
        ? { amount: null, unit: '万元', formula: '用电量缺失' }
        : {
            amount: p.value * f.electricity,
            unit: '万元',
            formula: `${fmt(p.value)} 元/千瓦时 × ${fmt(f.electricity)} 万千瓦时`,
          };
    case 'land_tax_relief': {
      if (f.landMu == null || p.rate == null)
        return { amount: null, unit: '万元', formula: '用地面积或税额标准缺失' };
      const m2 = f.landMu * M2_PER_MU;
      return {
        amount: ((p.value / 100) * m2 * p.rate) / 10000,
        unit: '万元',
        formula: `${fmt(p.value)}% × ${fmt(f.landMu)} 亩（${fmt(m2)} 平方米）× ${fmt(p.rate)} 元/平方米`,
      };
    }
    case 'energy_quota':
      return f.energyTce == null
        ? { amount: null, unit: '吨标准煤', formula: '能耗缺失' }
        : {
            amount: (p.value / 100) * f.energyTce,
            unit: '吨标准煤',
            formula: `${fmt(p.value)}% × ${fmt(f.energyTce)} 吨标准煤`,
          };
    case 'emission_quota':
      return f.emissionsT == null
        ? { amount: null, unit: '吨', formula: '排放量缺失' }
        : {
            amount: (p.value / 100) * f.emissionsT,
            unit: '吨',
            formula: `${fmt(p.value)}% × ${fmt(f.emissionsT)} 吨`,
          };
    case 'water_surcharge':
    case 'sewage_surcharge':
      return {
        amount: null,
        unit: '万元',
        formula: `${fmt(p.value)} ${p.unit} × 实际用水量（由水务部门按计量计收）`,
      };
    default:
      return { amount: null, unit: p.unit, formula: p.label };
  }
}
