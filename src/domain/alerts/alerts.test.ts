import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonths, monthsBetween, type Month } from '../periods.ts';
import {
  backtest,
  chainBreakNodes,
  concentrationSignals,
  costPer100,
  countYoy,
  diffusionIndex,
  evaluateSubject,
  fire,
  firmSignals,
  monthsNotReported,
  muClassDrop,
  reconcile,
  ruleSetProblems,
  seasonalBaseline,
  worseThan,
  type FirmFacts,
  type Rule,
  type RuleSet,
  type SignalRow,
} from './index.ts';

const facts = (output: number, electricity = output / 10, tax = output / 20, employees = 100): FirmFacts => ({
  output,
  electricity,
  tax,
  employees,
});

/** A firm reporting `level` every month from 2019-01 to `to`, with its months overridden. */
function history(to: Month, overrides: Record<Month, FirmFacts | null> = {}, level = 1000) {
  const h = new Map<Month, FirmFacts>();
  for (const m of monthsBetween('2019-01', to)) {
    const o = overrides[m];
    if (o === null) continue;
    h.set(m, o ?? facts(level));
  }
  return h;
}

const rule = (over: Partial<Rule>): Rule => ({
  id: 'r',
  subject: 'firm',
  signal: 'electricity_index',
  level: 'yellow',
  all: [{ signal: 'electricity_index', op: '<', value: 100 }],
  consecutive: 1,
  nameZh: 'r',
  nameEn: 'r',
  source: 'test',
  inference: true,
  enabled: true,
  ...over,
});
const set = (rules: Rule[]): RuleSet => ({ deadlines: { red: 3, orange: 7, yellow: 13 }, rules });

describe('firm signals, by hand', () => {
  it('electricity index: 100·E_t/E_(t−12)', () => {
    // 2024-06: electricity 80 against 100 a year before → I_e = 80; output 800 vs 1000 → −20 %
    const h = history('2024-06', { '2024-06': facts(800, 80, 50) });
    const s = firmSignals(h, '2024-06');
    expect(s.electricity_index).toBeCloseTo(80, 10);
    expect(s.output_yoy).toBeCloseTo(-20, 10);
    expect(s.tax_yoy).toBeCloseTo(0, 10);
    expect(s.employees_yoy).toBeCloseTo(0, 10);
  });

  it('Spring Festival: January is merged into 1–2月 and a festival trough is no alarm', () => {
    // Festival in 2025-01 (output ×0.66 in January, a normal February), in 2024-02 the year before.
    const h = history('2025-03', {
      '2024-01': facts(1000),
      '2024-02': facts(660),
      '2025-01': facts(660),
      '2025-02': facts(1000),
    });
    const jan = firmSignals(h, '2025-01');
    // January alone would read I_e = 66: it is not computed at all
    expect('electricity_index' in jan).toBe(false);
    expect('output_seasonal_z' in jan).toBe(false);
    const feb = firmSignals(h, '2025-02');
    // Jan+Feb 2025 = 66+100 = 166 against Jan+Feb 2024 = 100+66 = 166 → 100
    expect(feb.electricity_index).toBeCloseTo(100, 10);
    // every earlier 1–2月 sum is 2000 (or 1660 in 2024) → median 2000, MAD 0 → z not defined, dev −17 %
    expect(feb.output_seasonal_dev).toBeCloseTo(-17, 10);
    const rules = set([
      rule({ id: 'ie70', all: [{ signal: 'electricity_index', op: '<', value: 70 }] }),
      rule({
        id: 'seasonal',
        signal: 'output_seasonal_z',
        all: [
          { signal: 'output_seasonal_z', op: '<=', value: -3.5 },
          { signal: 'output_seasonal_dev', op: '<=', value: -30 },
        ],
      }),
    ]);
    const series = new Map(['2025-01', '2025-02'].map((m) => [m, firmSignals(h, m)]));
    expect(evaluateSubject(rules, 'firm', series, '2025-01')).toEqual([]);
    expect(evaluateSubject(rules, 'firm', series, '2025-02')).toEqual([]);
  });

  it('seasonal baseline: median and MAD of the same period in earlier years', () => {
    // June outputs 2019..2023: 900, 1000, 1100, 1000, 1200 → median 1000, |dev| 100,0,100,0,200 → MAD 100
    const h = history('2024-06', {
      '2019-06': facts(900),
      '2020-06': facts(1000),
      '2021-06': facts(1100),
      '2022-06': facts(1000),
      '2023-06': facts(1200),
      '2024-06': facts(400),
    });
    expect(seasonalBaseline(h, '2024-06', 'output')).toEqual({ median: 1000, mad: 100, years: 5 });
    const s = firmSignals(h, '2024-06');
    // z = 0.6745·(400 − 1000)/100 = −4.047; dev = −60 %
    expect(s.output_seasonal_z).toBeCloseTo(-4.047, 10);
    expect(s.output_seasonal_dev).toBeCloseTo(-60, 10);
    // fewer than 3 earlier years: no baseline
    expect(seasonalBaseline(h, '2021-06', 'output')).toBeNull();
  });

  it('tax–electricity divergence: indices on opposite sides of 100', () => {
    // electricity +20 % (I_e 120) while tax −30 % (I_tax 70) → gap 50
    const h = history('2024-06', { '2024-06': facts(1000, 120, 35) });
    expect(firmSignals(h, '2024-06').tax_electricity_gap).toBeCloseTo(50, 10);
    // both down: no divergence
    const both = history('2024-06', { '2024-06': facts(1000, 80, 35) });
    expect(firmSignals(both, '2024-06').tax_electricity_gap).toBe(0);
  });

  it('a missing month: counted as not reported, and it breaks a run of consecutive months', () => {
    const h = history('2024-08', {
      '2024-05': facts(1000, 60),
      '2024-06': null,
      '2024-07': facts(1000, 60),
      '2024-08': facts(1000, 60),
    });
    expect(monthsNotReported(h, '2024-06')).toBe(1);
    expect(monthsNotReported(h, '2024-07')).toBe(0);
    const june = firmSignals(h, '2024-06');
    expect(june.months_not_reported).toBe(1);
    expect(june.electricity_index).toBeNull();
    // July: the year-ago month is there, so I_e = 60
    expect(firmSignals(h, '2024-07').electricity_index).toBeCloseTo(60, 10);
    const series = new Map(monthsBetween('2024-04', '2024-08').map((m) => [m, firmSignals(h, m)]));
    const three = rule({ consecutive: 3 });
    // May, (June missing), July, August: only two in a row → no firing
    expect(fire(three, series, '2024-08')).toBeNull();
    expect(fire(rule({ consecutive: 2 }), series, '2024-08')?.evidence.map((e) => e.month)).toEqual([
      '2024-07',
      '2024-08',
    ]);
    // a firm that stops: 3 months in a row not reported; a firm never seen: null
    const stopped = history('2024-03');
    expect(monthsNotReported(stopped, '2024-06')).toBe(3);
    expect(monthsNotReported(new Map(), '2024-06')).toBeNull();
  });

  it('亩均 class drop in steps', () => {
    expect(muClassDrop('A', 'C')).toBe(2);
    expect(muClassDrop('C', 'B')).toBe(0);
    expect(muClassDrop(null, 'B')).toBeNull();
  });
});

describe('cluster and county signals, by hand', () => {
  it('diffusion index: share with I_e ≥ 100', () => {
    expect(diffusionIndex([120, 100, 80, null, 60])).toBe(50);
    expect(diffusionIndex([null, undefined])).toBeNull();
  });
  it('a cluster of one firm: diffusion 0 or 100, CR1 = CR5 = 100 %, HHI = 10000', () => {
    expect(diffusionIndex([90])).toBe(0);
    expect(diffusionIndex([110])).toBe(100);
    const c = concentrationSignals([500])!;
    expect(c.cr1).toBeCloseTo(100, 10);
    expect(c.cr5).toBeCloseTo(100, 10);
    expect(c.hhi).toBeCloseTo(10000, 6);
    expect(chainBreakNodes([{ node: 'n', outputs: [500] }])).toEqual(['n']);
  });
  it('concentration: CR1, CR5 and HHI of outputs', () => {
    // shares 40, 30, 10, 10, 5, 5 → CR1 40, CR5 95, HHI 1600+900+100+100+25+25 = 2750
    const c = concentrationSignals([40, 30, 10, 10, 5, 5, 0])!;
    expect(c.cr1).toBeCloseTo(40, 10);
    expect(c.cr5).toBeCloseTo(95, 10);
    expect(c.hhi).toBeCloseTo(2750, 6);
  });
  it('firm count, cost per 100 yuan, chain-break nodes', () => {
    expect(countYoy(95, 100)).toBeCloseTo(-5, 10);
    expect(countYoy(3, 0)).toBeNull();
    expect(costPer100(200, 20)).toBeCloseTo(90, 10);
    expect(costPer100(0, 0)).toBeNull();
    expect(
      chainBreakNodes([
        { node: 'empty', outputs: [] },
        { node: 'dominant', outputs: [60, 20, 20] },
        { node: 'spread', outputs: [40, 30, 30] },
      ]),
    ).toEqual(['empty', 'dominant']);
  });
  it('diffusion stays within 0–100', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.double({ min: 0, max: 400, noNaN: true }))), (xs) => {
        const d = diffusionIndex(xs);
        return d === null || (d >= 0 && d <= 100);
      }),
    );
  });
});

describe('rule engine', () => {
  const series = (values: Record<Month, SignalRow>) => new Map(Object.entries(values));

  it('consecutive months: fires only after n months in a row, with the values and months as evidence', () => {
    const s = series({
      '2024-03': { electricity_index: 95 },
      '2024-04': { electricity_index: 90 },
      '2024-05': { electricity_index: 101 },
      '2024-06': { electricity_index: 85 },
      '2024-07': { electricity_index: 80 },
      '2024-08': { electricity_index: 75.123 },
    });
    const r = rule({ consecutive: 3 });
    expect(fire(r, s, '2024-07')).toBeNull(); // May broke the run
    const f = fire(r, s, '2024-08')!;
    expect(f.evidence).toEqual([
      { month: '2024-06', values: { electricity_index: 85 } },
      { month: '2024-07', values: { electricity_index: 80 } },
      { month: '2024-08', values: { electricity_index: 75.12 } },
    ]);
    // a disabled rule never fires
    expect(fire({ ...r, enabled: false }, s, '2024-08')).toBeNull();
  });

  it('a month where a signal is not computed (January) is skipped, not counted', () => {
    const s = series({
      '2024-12': { electricity_index: 60 },
      '2025-01': { months_not_reported: 0 },
      '2025-02': { electricity_index: 60 },
    });
    expect(fire(rule({ consecutive: 2 }), s, '2025-02')?.evidence.map((e) => e.month)).toEqual([
      '2024-12',
      '2025-02',
    ]);
    expect(fire(rule({ consecutive: 1 }), s, '2025-01')).toBeNull();
  });

  it('per signal only the highest level fires', () => {
    const rules = set([
      rule({ id: 'y', level: 'yellow', all: [{ signal: 'electricity_index', op: '<', value: 100 }] }),
      rule({ id: 'o', level: 'orange', all: [{ signal: 'electricity_index', op: '<', value: 70 }] }),
      rule({
        id: 'x',
        level: 'red',
        subject: 'cluster',
        signal: 'diffusion_index',
        all: [{ signal: 'diffusion_index', op: '<', value: 50 }],
      }),
    ]);
    const s = series({ '2024-06': { electricity_index: 65, diffusion_index: 10 } });
    expect(evaluateSubject(rules, 'firm', s, '2024-06').map((f) => [f.ruleId, f.level])).toEqual([
      ['o', 'orange'],
    ]);
  });

  it('dedup and escalation: one open alert per subject and signal; a higher level escalates it', () => {
    const yellow = fire(rule({ id: 'y' }), series({ '2024-06': { electricity_index: 90 } }), '2024-06')!;
    const orange = { ...yellow, ruleId: 'o', level: 'orange' as const };
    const open = [
      { id: 7, subjectKey: 'firm:1', signal: 'electricity_index' as const, level: 'yellow' as const },
    ];
    const out = reconcile(open, [
      { subjectKey: 'firm:1', firing: yellow },
      { subjectKey: 'firm:2', firing: yellow },
      { subjectKey: 'firm:2', firing: yellow },
    ]);
    expect(out.map((o) => o.kind)).toEqual(['refresh', 'create', 'refresh']);
    const up = reconcile(open, [{ subjectKey: 'firm:1', firing: orange }]);
    expect(up).toHaveLength(1);
    expect(up[0]!.kind).toBe('escalate');
    // a lower level never lowers an open alert
    expect(
      reconcile([{ ...open[0]!, level: 'red' }], [{ subjectKey: 'firm:1', firing: orange }])[0]!.kind,
    ).toBe('refresh');
  });

  it('rule-set problems: duplicate ids and signals of the wrong subject', () => {
    const p = ruleSetProblems(
      set([rule({ id: 'a' }), rule({ id: 'a', subject: 'cluster' }), rule({ id: 'b', consecutive: 0 })]),
    );
    expect(p.map((x) => x.ruleId)).toEqual(['a', 'a', 'a', 'b']);
  });
});

describe('backtest', () => {
  it('recall, lead months and precision on a hand-made history', () => {
    // Firm 1 fails in 2024-12; its I_e is below 70 from 2024-06 (flagged 6 months ahead).
    // Firm 2 did not fail; one dip in 2024-03..04 raises one (false) alert. Firm 3 fails unflagged.
    const months = monthsBetween('2024-01', '2024-12');
    const mk = (low: (m: Month) => boolean) =>
      new Map(months.map((m) => [m, { electricity_index: low(m) ? 60 : 110 } as SignalRow]));
    const r = set([
      rule({ id: 'ie', all: [{ signal: 'electricity_index', op: '<', value: 70 }], consecutive: 1 }),
    ]);
    const result = backtest(
      r,
      [
        { id: 1, series: mk((m) => m >= '2024-06'), failedAt: '2024-12' },
        { id: 2, series: mk((m) => m === '2024-03' || m === '2024-04'), failedAt: null },
        { id: 3, series: mk(() => false), failedAt: '2024-10' },
      ],
      '2024-01',
      '2024-12',
    );
    expect(result).toMatchObject({
      firms: 3,
      failing: 2,
      flaggedAhead: 1,
      recall: 0.5,
      medianLeadMonths: 6,
      alerts: 2,
      alertsOnFailing: 1,
      precision: 0.5,
      firmPrecision: 0.5,
    });
    // a stricter rule set flags nobody: worse on recall and lead, and it says so
    const strict = backtest(
      set([rule({ id: 'ie', all: [{ signal: 'electricity_index', op: '<', value: 10 }] })]),
      [{ id: 1, series: mk((m) => m >= '2024-06'), failedAt: '2024-12' }],
      '2024-01',
      '2024-12',
    );
    expect(worseThan(strict, result)).toEqual(['recall', 'lead', 'precision']);
    expect(addMonths('2024-06', 6)).toBe('2024-12');
  });
});
