// Issue 15 items 6 and 9: policy amounts computed by hand, the default v3 policy table, and A+.
import { describe, expect, it } from 'vitest';
import { evaluate, markAPlus, resultRow } from './evaluate.ts';
import { policiesFor, policyAmount, policyDepartment, policyFactsOf, withAmount } from './policies.ts';
import { DEFAULT_RULE_SET, DEFAULT_RULE_SET_V3 } from './presets.ts';
import type { EvaluationInput, PolicyRule } from './types.ts';

const rule = (over: Partial<PolicyRule>): PolicyRule => ({
  id: 'p',
  class: 'D',
  kind: 'other',
  value: 0,
  unit: '',
  label: 'x',
  ...over,
});
const facts = { electricity: 1200, landMu: 30, energyTce: 500, emissionsT: 8 };

describe('policy amounts (hand-computed)', () => {
  it('差别化电价: 0.3 元/千瓦时 × 1 200 万千瓦时 = 360 万元', () => {
    const a = policyAmount(rule({ kind: 'electricity_surcharge', value: 0.3, unit: '元/千瓦时' }), facts);
    expect(a.amount).toBeCloseTo(360, 9);
    expect(a.unit).toBe('万元');
    expect(a.formula).toContain('1,200 万千瓦时');
  });
  it('土地使用税减免: 80 % × 30 亩 (20 000 m²) × 6 元/m² ÷ 10 000 = 9.6 万元', () => {
    const a = policyAmount(rule({ kind: 'land_tax_relief', value: 80, unit: '%', rate: 6 }), facts);
    expect(a.amount).toBeCloseTo(9.6, 9);
    expect(policyAmount(rule({ kind: 'land_tax_relief', value: 80 }), facts).amount).toBeNull();
  });
  it('用能 −10 % of 500 吨标准煤 = −50; 排污 −10 % of 8 吨 = −0.8', () => {
    expect(policyAmount(rule({ kind: 'energy_quota', value: -10 }), facts)).toMatchObject({
      amount: -50,
      unit: '吨标准煤',
    });
    expect(policyAmount(rule({ kind: 'emission_quota', value: -10 }), facts).amount).toBeCloseTo(-0.8, 9);
  });
  it('water and sewage have no amount (no water use in the inputs); a missing input gives none', () => {
    expect(policyAmount(rule({ kind: 'water_surcharge', value: 1, unit: '元/吨' }), facts).amount).toBeNull();
    expect(
      policyAmount(rule({ kind: 'electricity_surcharge', value: 0.3 }), { ...facts, electricity: null })
        .amount,
    ).toBeNull();
  });
  it('emissions are the four pollutants summed; none known is null', () => {
    const base = { electricity: 1, landMu: 1, energyTce: 1 };
    expect(policyFactsOf({ ...base, cod: 1, ammoniaNitrogen: null, so2: 2.5, nox: 0.5 }).emissionsT).toBe(4);
    expect(
      policyFactsOf({ ...base, cod: null, ammoniaNitrogen: null, so2: null, nox: null }).emissionsT,
    ).toBeNull();
  });
  it('each kind has a department; a rule may name another', () => {
    expect(policyDepartment(rule({ kind: 'electricity_surcharge' }))).toBe('power');
    expect(policyDepartment(rule({ kind: 'sewage_surcharge' }))).toBe('water');
    expect(policyDepartment(rule({ kind: 'land_tax_relief' }))).toBe('tax');
    expect(policyDepartment(rule({ kind: 'emission_quota' }))).toBe('environment');
    expect(policyDepartment(rule({ kind: 'land_supply' }))).toBe('resources');
    expect(policyDepartment(rule({ kind: 'other', department: 'tax' }))).toBe('tax');
  });
});

describe('default rule set version 3', () => {
  it('keeps version 2 for everything but the policy table and names a source for every policy', () => {
    const { policies: p3, name: n3, description: d3, ...rest3 } = DEFAULT_RULE_SET_V3;
    const { policies: p2, name: n2, description: d2, ...rest2 } = DEFAULT_RULE_SET;
    expect(rest3).toEqual(rest2);
    expect([n3, d3, n2, d2].every(Boolean)).toBe(true);
    expect(p3.length).toBeGreaterThan(p2.length);
    expect(p3.every((p) => (p.source ?? '').length > 5)).toBe(true);
    // amounts the sources do not give are marked as inferences
    for (const id of ['d-water', 'd-sewage', 'd-energy', 'd-emission'])
      expect(p3.find((p) => p.id === id)!.source).toContain('INFERENCE');
  });
  it('a firm D three years running gets +0.4 (not +0.3), −10 % energy, water, sewage and land limits', () => {
    const got = policiesFor(DEFAULT_RULE_SET_V3, ['D', 'D', 'D', 'C']);
    const byKind = new Map(got.map((p) => [p.kind, p]));
    expect(byKind.get('electricity_surcharge')!.value).toBe(0.4);
    expect(byKind.get('energy_quota')!.value).toBe(-10);
    expect([...byKind.keys()].sort()).toEqual(
      [
        'electricity_surcharge',
        'emission_quota',
        'energy_quota',
        'land_supply',
        'sewage_surcharge',
        'water_surcharge',
      ].sort(),
    );
    const amounts = got.map((p) => withAmount(p, facts));
    expect(amounts.find((p) => p.kind === 'electricity_surcharge')!.amount).toBeCloseTo(480, 9);
  });
});

describe('A+ (top share of a group’s class A)', () => {
  it('marks by position within A, ties sharing the mark', () => {
    // six members in order of total; members 0–3 are A; share 0.5 → fewer than 2 A ahead
    const totals = Float64Array.from([90, 80, 80, 70, 60, 50]);
    const classes = Uint8Array.from([0, 0, 0, 0, 1, 3]);
    const out = new Uint8Array(6);
    markAPlus(0.5, [0, 1, 2, 3, 4, 5], totals, classes, out);
    expect([...out]).toEqual([1, 1, 1, 0, 0, 0]); // 0 ahead, 1 ahead, tie with 1 ahead; 3 ahead is out
    const one = new Uint8Array(6);
    markAPlus(0.2, [0, 1, 2, 3, 4, 5], totals, classes, one);
    expect([...one]).toEqual([1, 0, 0, 0, 0, 0]); // 0.2 × 4 = 0.8: only the first
  });
  it('the engine marks A+ only with the option, and A+ firms stay class A', () => {
    let id = 1;
    const inputs: EvaluationInput[] = [100, 90, 80, 70, 60, 50, 40, 30, 20, 10].map((tax) => ({
      enterpriseId: id++,
      regionCode: '330402',
      scale: 'below',
      industryCode: '1711',
      landMu: 10,
      taxPaid: tax,
      valueAdded: null,
      revenue: null,
      mainRevenue: null,
      energyTce: null,
      electricity: 10,
      cod: null,
      ammoniaNitrogen: null,
      so2: null,
      nox: null,
      rdExpense: null,
      avgEmployees: null,
    }));
    const plain = evaluate(DEFAULT_RULE_SET_V3, inputs);
    expect([...plain.aPlus].every((v) => v === 0)).toBe(true);
    const withA = evaluate({ ...DEFAULT_RULE_SET_V3, aPlus: { share: 0.5 } }, inputs);
    const rows = inputs.map((_, i) => resultRow(withA, i));
    const a = rows.filter((r) => r.class === 'A');
    expect(a.length).toBeGreaterThan(0);
    const plus = rows.filter((r) => r.aPlus);
    expect(plus.every((r) => r.class === 'A')).toBe(true);
    expect(plus.length).toBe(Math.ceil(a.length * 0.5));
    // the classes themselves do not change
    expect(rows.map((r) => r.class)).toEqual(inputs.map((_, i) => resultRow(plain, i).class));
  });
});
