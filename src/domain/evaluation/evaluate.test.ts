import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluate, resultRow, classOf, type Evaluation } from './evaluate.ts';
import { explain } from './explain.ts';
import { simulate } from './simulate.ts';
import { policiesFor, threeYearTaxPerMu, watchReasons } from './policies.ts';
import { DEFAULT_RULE_SET, DEFAULT_RULE_SET_V1, PRESETS } from './presets.ts';
import { attributesOf } from './flags.ts';
import type { EvaluationInput, RuleSet } from './types.ts';
import {
  HAND_EXPECTED,
  HAND_EXPECTED_V1,
  handInputs,
  X,
  Y,
  ZERO_EXPECTED,
  zeroInputs,
} from '../../../test/helpers/evaluation.ts';

const R = DEFAULT_RULE_SET;
const blank = {
  valueAdded: null,
  revenue: null,
  mainRevenue: null,
  energyTce: null,
  electricity: null,
  cod: null,
  ammoniaNitrogen: null,
  so2: null,
  nox: null,
  rdExpense: null,
  avgEmployees: null,
};
let nextId = 1000;
const firm = (over: Partial<EvaluationInput>): EvaluationInput => ({
  enterpriseId: nextId++,
  regionCode: X,
  scale: 'above',
  industryCode: '1711',
  landMu: 10,
  taxPaid: 10,
  ...blank,
  ...over,
});
/** a 规上 firm whose only varying indicator is 亩均税收; the others are identical across the group */
const taxOnly = (tax: number, over: Partial<EvaluationInput> = {}) =>
  firm({
    taxPaid: tax,
    valueAdded: 100,
    energyTce: 10,
    nox: 1,
    avgEmployees: 10,
    rdExpense: 1,
    mainRevenue: 100,
    ...over,
  });
const below = (tax: number, over: Partial<EvaluationInput> = {}) =>
  firm({ scale: 'below', taxPaid: tax, electricity: 1, ...over });

const byId = (ev: Evaluation) => new Map(ev.inputs.map((inp, i) => [inp.enterpriseId, resultRow(ev, i)]));
const classes = (ev: Evaluation) => ev.inputs.map((_, i) => classOf(ev, i));

describe('default rule set: the hand-computed examples', () => {
  const inputs = handInputs();
  const ev = evaluate(R, inputs);
  for (const [k, input] of inputs.entries()) {
    const exp = HAND_EXPECTED[input.label]!;
    it(`${input.label}: ${exp.class ?? exp.reason}`, () => {
      const row = resultRow(ev, k);
      expect(row.class).toBe(exp.class);
      expect(row.exclusion).toBe(exp.reason);
      if (exp.total == null) expect(row.total).toBeNull();
      else expect(row.total).toBeCloseTo(exp.total, 9);
      expect(row.indicators.map((x) => x.score)).toHaveLength(exp.scores.length);
      row.indicators.forEach((x, j) => expect(x.score).toBeCloseTo(exp.scores[j]!, 9));
    });
  }
  it('groups by (county, 规上|规下) and counts only evaluated members', () => {
    const keys = ev.groups.map((g) => `${g.key}:${g.members.length}`).sort();
    expect(keys).toEqual([`${X}|above:3`, `${X}|below:3`, `${Y}|above:1`]);
  });
  it('benchmarks are the mean over every member, a blank counted as 0 (energy and emissions: members with a value)', () => {
    const g = ev.groups.find((x) => x.key === `${X}|above`)!;
    expect(Array.from(g.benchmark)).toEqual(
      [4, 80 / 3, 3, 100, 10, 0.02 / 3].map((v) => expect.closeTo(v, 12) as unknown as number),
    );
    const b = ev.groups.find((x) => x.key === `${X}|below`)!;
    expect(Array.from(b.benchmark)).toEqual([2, 1]);
  });
});

describe('default rule set version 1 (issue 5 readings, kept for the runs made with it)', () => {
  const inputs = handInputs();
  const ev = evaluate(DEFAULT_RULE_SET_V1, inputs);
  for (const [k, input] of inputs.entries()) {
    const exp = HAND_EXPECTED_V1[input.label]!;
    it(`${input.label}: ${exp.class ?? exp.reason}`, () => {
      const row = resultRow(ev, k);
      expect(row.class).toBe(exp.class);
      if (exp.total == null) expect(row.total).toBeNull();
      else expect(row.total).toBeCloseTo(exp.total, 9);
      row.indicators.forEach((x, j) => expect(x.score).toBeCloseTo(exp.scores[j]!, 9));
    });
  }
  it('left blanks out of the benchmark mean', () => {
    const g = ev.groups.find((x) => x.key === `${X}|above`)!;
    expect(g.benchmark[4]).toBeCloseTo(15, 12);
    expect(Array.from(ev.groups.find((x) => x.key === `${X}|below`)!.benchmark)).toEqual([3, 3]);
  });
});

describe('issue 15: a blank is a zero, a zero total is D', () => {
  const inputs = zeroInputs();
  const ev = evaluate(R, inputs);
  for (const [k, input] of inputs.entries()) {
    const exp = ZERO_EXPECTED[input.label]!;
    it(`${input.label}: ${exp.class} (hand-computed)`, () => {
      const row = resultRow(ev, k);
      expect(row.class).toBe(exp.class);
      expect(row.total).toBeCloseTo(exp.total, 9);
      row.indicators.forEach((x, j) => expect(x.score).toBeCloseTo(exp.scores[j]!, 9));
    });
  }
  it('benchmarks count the blanks and zeros as 0: 亩均税收 3, 单位电耗税收 1', () => {
    expect(Array.from(ev.groups[0]!.benchmark)).toEqual([3, 1]);
  });
  it('version 1 read them differently (blanks left out; the zero block ranked into B)', () => {
    const v1 = evaluate(DEFAULT_RULE_SET_V1, inputs);
    expect(Array.from(v1.groups[0]!.benchmark)).toEqual([3.75, 2.5]);
    expect(classes(v1).join('')).toBe('ABBBB');
    expect(v1.totals[0]).toBeCloseTo(500 / 3, 9);
  });
  it('a zero total is D even in a block of ties larger than 5 %; a positive total keeps its position', () => {
    const ev2 = evaluate(R, [
      ...Array.from({ length: 15 }, (_, k) => below(100 - k)),
      ...Array.from({ length: 5 }, () => below(0)),
    ]);
    expect(classes(ev2).join('')).toBe('ABBBBBBBBBBBBBBDDDDD');
  });
  it('protection keeps a zero total out of D unless a veto applies', () => {
    const ev2 = evaluate(R, [
      below(10),
      below(0, { attributes: attributesOf(['newFirm']) }),
      below(0, { attributes: attributesOf(['newFirm', 'safetyIncident']) }),
    ]);
    expect(classes(ev2)).toEqual(['A', 'C', 'D']);
  });
  it('the explanation says a zero total is D and a blank counted as 0', () => {
    const e = explain(ev, 2);
    expect(e.classRule?.code).toBe('zero_total_d');
    expect(e.indicators[0]!.rule.code).toBe('numerator_blank_zero');
    expect(explain(ev, 0).classRule).toBeNull();
  });
});

describe('adjustment flags in the default rule set (version 2)', () => {
  const group = () => Array.from({ length: 20 }, (_, k) => taxOnly(100 - k));
  it('an incident or a missed energy task keeps a firm out of A and B', () => {
    for (const flag of ['safetyIncident', 'environmentIncident', 'missedEnergyTarget']) {
      const inputs = group();
      inputs[0] = { ...inputs[0]!, attributes: attributesOf([flag]) };
      const ev = evaluate(R, inputs);
      expect(classOf(ev, 0), flag).toBe('C');
      const e = explain(ev, 0, { moveUp: false });
      expect(e.adjustments).toEqual([
        expect.objectContaining({
          kind: 'veto',
          attribute: flag,
          classBefore: 'A',
          classAfter: 'C',
          changed: true,
        }),
      ]);
    }
  });
  it('a new firm, last year’s 小升规 and a major project stay out of D; the flag is listed only as changing it when it did', () => {
    for (const flag of ['newFirm', 'upgradedToAbove', 'majorProject']) {
      const inputs = group();
      inputs[19] = { ...inputs[19]!, attributes: attributesOf([flag]) };
      inputs[0] = { ...inputs[0]!, attributes: attributesOf([flag]) };
      const ev = evaluate(R, inputs);
      expect(classOf(ev, 19), flag).toBe('C');
      expect(explain(ev, 19, { moveUp: false }).adjustments[0]).toMatchObject({
        classBefore: 'D',
        classAfter: 'C',
        changed: true,
      });
      expect(explain(ev, 0, { moveUp: false }).adjustments[0]!.changed).toBe(false);
    }
  });
  it('高新技术企业 / 专精特新 earn a bonus only where a rule set gives one', () => {
    const inputs = [taxOnly(10, { attributes: attributesOf(['highTech']) }), taxOnly(10)];
    expect(evaluate(R, inputs).totals[0]).toBe(evaluate(R, inputs).totals[1]);
    const withBonus = structuredClone(R);
    withBonus.adjustments.push({
      id: 'bonus-high-tech',
      label: '高新技术企业加5分',
      kind: 'bonus',
      attribute: 'highTech',
      points: 5,
    });
    const ev = evaluate(withBonus, inputs);
    expect(ev.totals[0]! - ev.totals[1]!).toBeCloseTo(5, 12);
    expect(explain(ev, 0, { moveUp: false }).adjustments).toEqual([
      expect.objectContaining({ id: 'bonus-high-tech', points: 5, changed: true }),
    ]);
  });
});

describe('population', () => {
  it('utilities (44, 45, 46) are not evaluated whatever their land, and the reason is utility first', () => {
    const ev = evaluate(R, [
      firm({ industryCode: '4411' }),
      firm({ industryCode: '4500' }),
      firm({ industryCode: '4610', landMu: 0 }),
      firm({ industryCode: '4711' }),
    ]);
    expect(ev.exclusion).toEqual(['utility', 'utility', 'utility', null]);
  });
  it('land missing, 0 or negative → land_missing, for both groups', () => {
    const ev = evaluate(R, [
      firm({ landMu: null }),
      firm({ landMu: 0 }),
      firm({ landMu: -2 }),
      below(1, { landMu: null }),
    ]);
    expect(ev.exclusion).toEqual(['land_missing', 'land_missing', 'land_missing', 'land_missing']);
  });
  it('规下 with land < 3 亩 is not evaluated; exactly 3 亩 is; 规上 with 1 亩 is', () => {
    const ev = evaluate(R, [below(1, { landMu: 2.999 }), below(1, { landMu: 3 }), firm({ landMu: 1 })]);
    expect(ev.exclusion).toEqual(['small_land', null, null]);
  });
});

describe('scores and missing data', () => {
  it('a group of one scores exactly the weights (every value is its own benchmark) and is class A', () => {
    const ev = evaluate(R, [taxOnly(7)]);
    expect(resultRow(ev, 0).total).toBeCloseTo(100, 12);
    expect(classOf(ev, 0)).toBe('A');
  });
  it('a group of one with missing energy gets 0 for that indicator (no member has a score)', () => {
    const ev = evaluate(R, [taxOnly(7, { energyTce: null })]);
    expect(resultRow(ev, 0).indicators[2]!.score).toBe(0);
    expect(resultRow(ev, 0).total).toBeCloseTo(80, 12);
  });
  it('energy 0 counts as missing: the mean of the group’s energy scores', () => {
    const ev = evaluate(R, [
      taxOnly(7, { valueAdded: 100, energyTce: 10 }),
      taxOnly(7, { valueAdded: 300, energyTce: 10 }),
      taxOnly(7, { energyTce: 0 }),
    ]);
    // values 10, 30 → mean 20; scores 10, 30 → mean score 20
    expect(resultRow(ev, 2).indicators[2]!.score).toBeCloseTo(20, 12);
    expect(resultRow(ev, 2).indicators[2]!.value).toBeNull();
  });
  it('emissions: all four blank or a zero sum → mean score; a partly blank set sums what is there', () => {
    const ev = evaluate(R, [
      taxOnly(7, { valueAdded: 100, cod: null, ammoniaNitrogen: null, so2: 2, nox: null }),
      taxOnly(7, { valueAdded: 100, cod: 0, ammoniaNitrogen: 0, so2: 0, nox: 0 }),
      taxOnly(7, { valueAdded: 300, cod: 1, ammoniaNitrogen: 1, so2: 1, nox: 1 }),
      taxOnly(7, { cod: null, ammoniaNitrogen: null, so2: null, nox: null }),
    ]);
    // values 50 and 75 → mean 62.5; scores 8 and 12 → mean 10
    expect(resultRow(ev, 0).indicators[3]!.value).toBe(50);
    expect(resultRow(ev, 1).indicators[3]!.score).toBeCloseTo(10, 12);
    expect(resultRow(ev, 3).indicators[3]!.score).toBeCloseTo(10, 12);
  });
  it('employees missing or 0, R&D blank, main revenue 0, electricity 0 → 0, counted as 0 in the benchmark', () => {
    const ev = evaluate(R, [
      taxOnly(7, { avgEmployees: 0, rdExpense: null }),
      taxOnly(7, { mainRevenue: 0 }),
      taxOnly(7),
      below(5, { electricity: 0 }),
      below(5),
    ]);
    expect(resultRow(ev, 0).indicators[4]!.score).toBe(0);
    expect(resultRow(ev, 0).indicators[4]!.value).toBe(0);
    expect(resultRow(ev, 0).indicators[5]!.score).toBe(0);
    expect(resultRow(ev, 1).indicators[5]!.score).toBe(0);
    // labour productivity 0, 10, 10 → mean 20/3: 10·10/(20/3) = 15
    expect(resultRow(ev, 2).indicators[4]!.score).toBeCloseTo(15, 12);
    expect(resultRow(ev, 3).indicators[1]!.score).toBe(0);
    // 单位电耗税收 0 and 5 → mean 2.5: 50·5/2.5 = 100
    expect(resultRow(ev, 4).indicators[1]!.score).toBeCloseTo(100, 12);
  });
  it('value added blank → 0 on every value-added indicator, even when energy is also missing', () => {
    const ev = evaluate(R, [taxOnly(7, { valueAdded: null, energyTce: null }), taxOnly(7)]);
    expect(
      resultRow(ev, 0)
        .indicators.slice(1, 5)
        .map((x) => x.score),
    ).toEqual([0, 0, 0, 0]);
  });
  it('negative tax scores 0 but lowers the benchmark of the others', () => {
    const ev = evaluate(R, [taxOnly(-20), taxOnly(40)]);
    // 亩均税收 −2 and 4 → mean 1; scores 0 and 30·4/1 = 120 (no cap)
    expect(resultRow(ev, 0).indicators[0]!.score).toBe(0);
    expect(resultRow(ev, 1).indicators[0]!.score).toBeCloseTo(120, 12);
  });
  it('a benchmark ≤ 0 gives everyone 0 on that indicator', () => {
    const ev = evaluate(R, [below(-5), below(0), below(2)]);
    // 亩均税收 −0.5, 0, 0.2 → mean −0.1 ≤ 0
    expect([0, 1, 2].map((i) => resultRow(ev, i).indicators[0]!.score)).toEqual([0, 0, 0]);
  });
  it('counties are separate groups: another county’s firm changes nothing', () => {
    const base = [taxOnly(10), taxOnly(20)];
    const a = evaluate(R, base);
    const b = evaluate(R, [...base, taxOnly(1000, { regionCode: Y })]);
    expect(b.totals[0]).toBe(a.totals[0]);
    expect(b.totals[1]).toBe(a.totals[1]);
  });
});

describe('classes', () => {
  const ladder = (n: number, make: (k: number) => EvaluationInput) =>
    evaluate(
      R,
      Array.from({ length: n }, (_, k) => make(k)),
    );
  it('规上: 20 distinct totals → 4 A, 12 B, 3 C, 1 D (p = 0.95 is D)', () => {
    const ev = ladder(20, (k) => taxOnly(100 - k));
    expect(classes(ev).join('')).toBe('AAAABBBBBBBBBBBBCCCD');
  });
  it('规下: 20 distinct totals → 1 A, 14 B, 4 C, 1 D', () => {
    const ev = ladder(20, (k) => below(100 - k));
    expect(classes(ev).join('')).toBe('ABBBBBBBBBBBBBBCCCCD');
  });
  it('ties share a class: five equal leaders are all A, and a tie at the bottom leaves D empty', () => {
    const ev = ladder(20, (k) => taxOnly(k < 5 ? 100 : k === 19 ? 82 : 100 - k));
    expect(classes(ev).join('')).toBe('AAAAABBBBBBBBBBBCCCC');
    expect(resultRow(ev, 4).rank).toBe(1);
    expect(resultRow(ev, 5).rank).toBe(6);
  });
  it('rank = 1 + members with a strictly higher total', () => {
    const ev = evaluate(R, [taxOnly(5), taxOnly(9), taxOnly(9), taxOnly(1)]);
    expect([0, 1, 2, 3].map((i) => resultRow(ev, i).rank)).toEqual([3, 1, 1, 4]);
  });
});

describe('explanation', () => {
  const inputs = handInputs();
  const ev = evaluate(R, inputs);
  const at = (label: string) => inputs.findIndex((x) => x.label === label);
  it('lists value, benchmark, weight, score, rank and the rule per indicator', () => {
    const e = explain(ev, at('F3'));
    expect(e.class).toBe('B');
    expect(e.nextClass).toBe('A');
    const energy = e.indicators[2]!;
    expect(energy).toMatchObject({
      key: 'valueAddedPerEnergy',
      value: null,
      benchmark: 3,
      weight: 20,
      rank: 2,
    });
    expect(energy.rule.code).toBe('denominator_group_mean');
    expect(e.indicators[0]!.rule.code).toBe('floor_zero');
    expect(e.indicators[4]!.rule.code).toBe('denominator_zero_counted');
    expect(e.indicators[0]!.rank).toBe(3);
  });
  it('says why an enterprise is not evaluated', () => {
    const e = explain(ev, at('B4'));
    expect(e.evaluated).toBe(false);
    expect(e.exclusion?.code).toBe('small_land');
    expect(e.exclusion?.zh).toContain('3亩');
  });
  it('what would move F2 up: tax 594.4 万元 (hand-computed)', () => {
    // F2 ties F1 when 30(u − 10)/m = 48.333 with u = T/20, m = (7 + u)/3 (F1's other scores 106.667,
    // F2's 58.333): 125u = 3715, u = 29.72, T = 594.4 — a tie shares A
    const e = explain(ev, at('F2'));
    expect(e.moveUp.find((m) => m.lever === 'taxPaid')!.required).toBeCloseTo(594.4, 4);
  });
  it('what would move B2 up under version 1: tax 30 万元 (hand-computed) or land ≤ 10/3 亩', () => {
    const R1 = DEFAULT_RULE_SET_V1;
    const e = explain(evaluate(R1, inputs), at('B2'));
    const tax = e.moveUp.find((m) => m.lever === 'taxPaid')!;
    expect(tax.required).toBeCloseTo(30, 5);
    expect(tax.change).toBeCloseTo(10, 5);
    const land = e.moveUp.find((m) => m.lever === 'landMu')!;
    expect(land.required).toBeCloseTo(10 / 3, 5);
    // check by re-evaluating
    const moved = inputs.map((x) => (x.label === 'B2' ? { ...x, taxPaid: tax.required } : x));
    expect(classOf(evaluate(R1, moved), at('B2'))).toBe('A');
    const short = inputs.map((x) => (x.label === 'B2' ? { ...x, taxPaid: tax.required - 0.01 } : x));
    expect(classOf(evaluate(R1, short), at('B2'))).toBe('B');
  });
  it('class A has nothing to move up to', () => {
    expect(explain(ev, at('F1')).moveUp).toEqual([]);
  });
});

describe('policies and watch list', () => {
  it('D: +0.30, and +0.40 instead after three consecutive D years; A/B land-tax relief', () => {
    expect(policiesFor(R, ['D', 'C', 'D']).map((p) => p.value)).toEqual([0.3]);
    expect(policiesFor(R, ['D', 'D', 'D']).map((p) => p.value)).toEqual([0.4]);
    expect(policiesFor(R, ['A']).map((p) => `${p.kind}:${p.value}`)).toEqual(['land_tax_relief:100']);
    expect(policiesFor(R, ['B']).map((p) => p.value)).toEqual([80]);
    expect(policiesFor(R, ['C'])).toEqual([]);
  });
  it('低散乱: 规上 below 10 万元/亩 over three years, 规下 below 3, and D', () => {
    expect(
      threeYearTaxPerMu([
        { taxPaid: 90, landMu: 10 },
        { taxPaid: 100, landMu: 10 },
        { taxPaid: null, landMu: 10 },
      ]),
    ).toBeCloseTo(190 / 30, 12);
    expect(watchReasons(R, 'above', 9.99, 'B')).toEqual(['low_tax']);
    expect(watchReasons(R, 'above', 10, 'D')).toEqual(['class']);
    expect(watchReasons(R, 'below', 2.5, 'D')).toEqual(['low_tax', 'class']);
    expect(watchReasons(R, 'below', 3, 'C')).toEqual([]);
  });
});

describe('presets and the simulator', () => {
  it('every preset evaluates the hand examples', () => {
    for (const p of PRESETS) {
      const ev = evaluate(p.ruleSet, handInputs());
      expect(classes(ev).filter(Boolean).length, p.code).toBe(7);
    }
  });
  it('Huangyan constants: F1 亩均税收 30 × 10 / 24.097', () => {
    const ev = evaluate(PRESETS.find((p) => p.code === 'huangyan-2022')!.ruleSet, handInputs());
    expect(resultRow(ev, 0).indicators[0]!.score).toBeCloseTo((30 * 10) / 24.097, 9);
  });
  it('min–max: the best scores the full weight, the worst 20 %', () => {
    const ev = evaluate(PRESETS.find((p) => p.code === 'minmax-20')!.ruleSet, [
      below(10),
      below(20),
      below(40),
    ]);
    expect(resultRow(ev, 2).indicators[0]!.score).toBeCloseTo(50, 12);
    expect(resultRow(ev, 0).indicators[0]!.score).toBeCloseTo(10, 12);
  });
  it('2× mean halves every ratio score', () => {
    const ev = evaluate(PRESETS.find((p) => p.code === 'twice-mean')!.ruleSet, [below(10), below(30)]);
    expect(resultRow(ev, 1).indicators[0]!.score).toBeCloseTo(37.5, 12);
  });
  it('Wenling rental deductions and Changle veto/protection', () => {
    const wl = PRESETS.find((p) => p.code === 'wenling-2022')!.ruleSet;
    const ev = evaluate(wl, [
      taxOnly(10, { attributes: { tenants: 3 } }),
      below(5, { attributes: { tenants: 3 } }),
    ]);
    expect(ev.adjustment[0]).toBe(-10); // first tenant free, then −5 each
    expect(ev.adjustment[1]).toBe(-20); // −10, −5, −5
    const cl = PRESETS.find((p) => p.code === 'changle')!.ruleSet;
    const ev2 = evaluate(cl, [
      taxOnly(100, { attributes: { incident: 1 } }),
      ...Array.from({ length: 19 }, (_, k) =>
        taxOnly(50 - k, k === 18 ? { attributes: { newFirm: 1 } } : {}),
      ),
    ]);
    expect(classOf(ev2, 0)).toBe('C');
    expect(classOf(ev2, 19)).toBe('C');
  });
  it('compares two rule sets: transition matrix, movers, weight sensitivity', () => {
    const inputs = Array.from({ length: 20 }, (_, k) => taxOnly(100 - 4 * k, { valueAdded: 100 + k }));
    const changed = structuredClone(R);
    changed.groups.above.indicators[0]!.weight = 5;
    const sim = simulate(R, changed, inputs);
    expect(sim.matrix.flat().reduce((a, b) => a + b, 0)).toBe(20);
    expect(sim.moverCount).toBe(sim.movers.length);
    expect(sim.moverCount).toBeGreaterThan(0);
    expect(sim.sensitivity).toHaveLength(8);
    const same = simulate(R, R, inputs);
    expect(same.moverCount).toBe(0);
  });
});

describe('properties', () => {
  const arbFirm = fc.record({
    land: fc.integer({ min: 300, max: 50000 }).map((x) => x / 100),
    tax: fc.integer({ min: 0, max: 500000 }).map((x) => x / 100),
    va: fc.integer({ min: 0, max: 2000000 }).map((x) => x / 100),
    energy: fc.option(fc.double({ min: 1, max: 5000, noNaN: true }), { nil: null }),
    emp: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: null }),
    elec: fc.option(fc.double({ min: 0.1, max: 500, noNaN: true }), { nil: null }),
    scale: fc.constantFrom('above' as const, 'below' as const),
  });
  const build = (
    fs: {
      land: number;
      tax: number;
      va: number;
      energy: number | null;
      emp: number | null;
      elec: number | null;
      scale: 'above' | 'below';
    }[],
    k = 1,
  ) =>
    fs.map((f, i) =>
      firm({
        enterpriseId: i + 1,
        scale: f.scale,
        landMu: f.land,
        taxPaid: f.tax * k,
        valueAdded: f.va * k,
        energyTce: f.energy,
        avgEmployees: f.emp,
        electricity: f.elec,
        rdExpense: f.va * 0.01 * k,
        mainRevenue: f.va * 3,
        nox: 1,
      }),
    );

  it('scaling every numerator of a group by a constant leaves scores and classes unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(arbFirm, { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (fs, k) => {
          const a = evaluate(R, build(fs));
          const b = evaluate(R, build(fs, k));
          for (let i = 0; i < fs.length; i++) expect(b.totals[i]!).toBeCloseTo(a.totals[i]!, 6);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('raising one firm’s tax never lowers its class (non-negative data)', () => {
    fc.assert(
      fc.property(
        fc.array(arbFirm, { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.double({ min: 0, max: 10000, noNaN: true }),
        (fs, pick, extra) => {
          const inputs = build(fs);
          const i = pick % inputs.length;
          const before = evaluate(R, inputs).classes[i]!;
          inputs[i] = { ...inputs[i]!, taxPaid: (inputs[i]!.taxPaid ?? 0) + extra };
          const after = evaluate(R, inputs).classes[i]!;
          expect(after).toBeLessThanOrEqual(before);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('replacing any blank tax, value added, R&D, employees or electricity by 0 changes no score and no class', () => {
    const FIELDS = ['taxPaid', 'valueAdded', 'rdExpense', 'avgEmployees', 'electricity'] as const;
    const arb = fc.record({
      land: fc.integer({ min: 300, max: 50000 }).map((x) => x / 100),
      tax: fc.option(
        fc.integer({ min: -1000, max: 500000 }).map((x) => x / 100),
        { nil: null },
      ),
      va: fc.option(
        fc.integer({ min: 0, max: 2000000 }).map((x) => x / 100),
        { nil: null },
      ),
      rd: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
      emp: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: null }),
      elec: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
      energy: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
      nox: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
      scale: fc.constantFrom('above' as const, 'below' as const),
    });
    fc.assert(
      fc.property(fc.array(arb, { minLength: 1, maxLength: 25 }), fc.array(fc.nat()), (fs, picks) => {
        const inputs = fs.map((f, i) =>
          firm({
            enterpriseId: i + 1,
            scale: f.scale,
            landMu: f.land,
            taxPaid: f.tax,
            valueAdded: f.va,
            rdExpense: f.rd,
            avgEmployees: f.emp,
            electricity: f.elec,
            energyTce: f.energy,
            nox: f.nox,
            mainRevenue: f.va == null ? null : f.va * 3,
          }),
        );
        // replace some of the blanks (chosen by `picks`) by a typed 0
        const zeroed = inputs.map((x) => ({ ...x }));
        const blanks = zeroed.flatMap((x, i) =>
          FIELDS.filter((f) => x[f] == null).map((f) => [i, f] as const),
        );
        const chosen = picks.length ? picks.map((p) => blanks[p % Math.max(1, blanks.length)]) : blanks;
        for (const c of chosen) if (c) (zeroed[c[0]] as unknown as Record<string, number>)[c[1]] = 0;
        const a = evaluate(R, inputs);
        const b = evaluate(R, zeroed);
        expect(Array.from(b.classes)).toEqual(Array.from(a.classes));
        for (let i = 0; i < inputs.length; i++) expect(b.totals[i]!).toBeCloseTo(a.totals[i]!, 9);
        for (let k = 0; k < a.scores.length; k++) {
          if (Number.isNaN(a.scores[k]!)) expect(Number.isNaN(b.scores[k]!)).toBe(true);
          else expect(b.scores[k]!).toBeCloseTo(a.scores[k]!, 9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('input order does not matter', () => {
    fc.assert(
      fc.property(fc.array(arbFirm, { minLength: 1, maxLength: 25 }), (fs) => {
        const inputs = build(fs);
        const a = byId(evaluate(R, inputs));
        const b = byId(evaluate(R, [...inputs].reverse()));
        for (const [id, row] of a) {
          expect(b.get(id)!.class).toBe(row.class);
          expect(b.get(id)!.rank).toBe(row.rank);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('class shares follow the cut points when totals are distinct', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (n) => {
        const ev = evaluate(
          R,
          Array.from({ length: n }, (_, k) => taxOnly(1000 - k)),
        );
        const a = classes(ev).filter((c) => c === 'A').length;
        expect(a).toBe(Math.ceil(0.2 * n - 1e-9));
      }),
    );
  });
});

export type { RuleSet };
