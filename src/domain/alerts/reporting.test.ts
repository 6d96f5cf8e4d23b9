import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { monthsBetween, type Month } from '../periods.ts';
import {
  AREA_SIGNALS,
  areaSignals,
  closedShare,
  DEFAULT_CLOSED_SHARE,
  evaluateSubject,
  firmSignals,
  monthClosed,
  monthsNotReported,
  type AreaSignal,
  type FirmFacts,
  type Rule,
  type RuleSet,
} from './index.ts';

// When a month is closed for reporting (reporting.ts), and what an open month leaves unjudged: months not
// reported of a firm without a row in it, and every signal of a cluster or county taken over the month's
// reporting firms (diffusion, CR1/CR5/HHI, reporting firms against a year ago, cost per 100 元).

const count = fc.integer({ min: 0, max: 300_000 });
const share = fc.double({ min: 0.01, max: 1, noNaN: true });

describe('monthClosed', () => {
  it('closed ⇔ a later month on record, or the firms reach the share of the month before', () => {
    fc.assert(
      fc.property(count, count, fc.boolean(), share, (firms, before, later, s) => {
        expect(monthClosed({ firms, before, later }, s)).toBe(later || firms >= s * before);
      }),
    );
  });

  it('more reporting firms never open a closed month, and a later month always closes it', () => {
    fc.assert(
      fc.property(count, count, fc.integer({ min: 0, max: 1000 }), share, (firms, before, more, s) => {
        if (monthClosed({ firms, before, later: false }, s))
          expect(monthClosed({ firms: firms + more, before, later: false }, s)).toBe(true);
        expect(monthClosed({ firms, before, later: true }, s)).toBe(true);
      }),
    );
  });

  it('at the default share: one county’s file is open, the whole month (or 90 %) closed', () => {
    const s = DEFAULT_CLOSED_SHARE;
    expect(s).toBe(0.9);
    // a city of 22,000 firms: a county's file, a two-row correction, 89 %, 90 %, all
    expect(monthClosed({ firms: 4_000, before: 22_000, later: false }, s)).toBe(false);
    expect(monthClosed({ firms: 2, before: 22_000, later: false }, s)).toBe(false);
    expect(monthClosed({ firms: 19_579, before: 22_000, later: false }, s)).toBe(false);
    expect(monthClosed({ firms: 19_800, before: 22_000, later: false }, s)).toBe(true);
    expect(monthClosed({ firms: 22_000, before: 22_000, later: false }, s)).toBe(true);
    // the next month's first file closes it
    expect(monthClosed({ firms: 2, before: 22_000, later: true }, s)).toBe(true);
    // nothing reported the month before: nothing to wait for
    expect(monthClosed({ firms: 1, before: 0, later: false }, s)).toBe(true);
  });

  it('the rule set’s share, else the default (a rule set saved before it existed)', () => {
    expect(closedShare({})).toBe(DEFAULT_CLOSED_SHARE);
    expect(closedShare({ reportingClosed: { share: 0.75, source: 'x', inference: true } })).toBe(0.75);
  });
});

const facts: FirmFacts = { output: 10, tax: 1, electricity: 5, employees: 20 };

describe('an open month', () => {
  const history = new Map<Month, FirmFacts>(monthsBetween('2024-01', '2025-03').map((m) => [m, facts]));

  it('a firm without a row in it: months not reported unknown (null), not 1; every other signal as before', () => {
    expect(monthsNotReported(history, '2025-04')).toBe(1);
    expect(monthsNotReported(history, '2025-04', true)).toBeNull();
    const open = firmSignals(history, '2025-04', true);
    const closed = firmSignals(history, '2025-04');
    expect(open.months_not_reported).toBeNull();
    expect({ ...open, months_not_reported: 1 }).toEqual(closed);
  });

  it('a firm that did report in it: judged as in any month', () => {
    const reported = new Map(history).set('2025-04', { ...facts, output: 2 });
    expect(firmSignals(reported, '2025-04', true)).toEqual(firmSignals(reported, '2025-04'));
    expect(firmSignals(reported, '2025-04', true).months_not_reported).toBe(0);
  });

  it('a firm already missing the month before: still unknown in the open month (not 2 months yet)', () => {
    const stopped = new Map([...history].filter(([m]) => m < '2025-03'));
    expect(monthsNotReported(stopped, '2025-03')).toBe(1);
    expect(monthsNotReported(stopped, '2025-04')).toBe(2);
    expect(monthsNotReported(stopped, '2025-04', true)).toBeNull();
  });

  it('areas: every signal null in the open month (not judged), the month before as before', () => {
    // two firms of one county and cluster; only the first reported in 2025-04 so far
    const second = new Map(history);
    const first = new Map(history).set('2025-04', facts);
    const firms = [first, second].map((h) => ({
      history: h,
      signals: new Map<Month, ReturnType<typeof firmSignals>>(),
      regionCode: '330402',
      clusters: ['c1'],
    }));
    const months = monthsBetween('2025-03', '2025-04');
    const closed = areaSignals(firms, months);
    const open = areaSignals(firms, months, '2025-04');
    for (const key of ['county:330402', 'cluster:c1']) {
      // judged on one firm of two, the month would be "fewer reporting firms" and 100 % concentrated
      expect(closed.get(key)!.get('2025-04')).toMatchObject({ firm_count_yoy: -50, cr1: 100, hhi: 10000 });
      expect(open.get(key)!.get('2025-04')).toEqual({
        cr1: null,
        cr5: null,
        hhi: null,
        firm_count_yoy: null,
        diffusion_index: null,
        cost_per_100_yoy: null,
      });
      // a month before the open one is judged
      expect(open.get(key)!.get('2025-03')).toEqual(closed.get(key)!.get('2025-03'));
    }
  });

  it('an open January: the merged comparisons stay not computed (skipped), the others null', () => {
    const firms = [{ history, signals: new Map(), regionCode: '330402', clusters: ['c1'] }];
    const row = areaSignals(firms, ['2025-01'], '2025-01').get('cluster:c1')!.get('2025-01')!;
    expect(row).toEqual({ cr1: null, cr5: null, hhi: null, firm_count_yoy: null });
    expect('diffusion_index' in row).toBe(false);
  });
});

/** The city's concentration rules (config alert-rules.json: cr1-above-30, hhi-above-2500). */
const concentrationRules: RuleSet = {
  deadlines: { red: 3, orange: 7, yellow: 13 },
  rules: (
    [
      ['cr1', 30],
      ['hhi', 2500],
    ] as const
  ).map(([signal, value]): Rule => ({
    id: `${signal}-above`,
    subject: 'cluster',
    signal,
    level: 'yellow',
    all: [{ signal, op: '>', value }],
    consecutive: 1,
    nameZh: signal,
    nameEn: signal,
    source: 'test',
    inference: true,
    enabled: true,
  })),
};

describe('a cluster in a month still open for reporting', () => {
  const months = monthsBetween('2025-03', '2025-04');
  const at = (output: number) => ({ output, tax: 1, electricity: 5, employees: 20 });
  /** a firm of the textile cluster reporting every month from 2024-01, 2025-04 at `output` when given */
  const member = (regionCode: string, output: number, reported: boolean) => {
    const h = new Map<Month, FirmFacts>(monthsBetween('2024-01', '2025-03').map((m) => [m, at(output)]));
    if (reported) h.set('2025-04', at(output));
    return { history: h, signals: new Map(), regionCode, clusters: ['textile'] };
  };
  // one county's file first: its dominant firm (400 of the county's 500) and a small one; the other county's
  // four firms of 300 each come later. Over the cluster the dominant firm holds 400 of 1,700: 23.5 %.
  const firstFile = [member('330402', 400, true), member('330402', 100, true)];
  const later = (reported: boolean) => [1, 2, 3, 4].map(() => member('330411', 300, reported));

  it('one county’s file with a dominant firm: CR1 over it would fire; open, nothing is judged', () => {
    const partial = [...firstFile, ...later(false)];
    // judged as if closed (what the evaluation did before): CR1 80 %, HHI 6,800 — both rules fire
    const asIfClosed = areaSignals(partial, months).get('cluster:textile')!;
    expect(asIfClosed.get('2025-04')!.cr1).toBe(80);
    expect(asIfClosed.get('2025-04')!.hhi).toBeCloseTo(6800, 6);
    expect(
      evaluateSubject(concentrationRules, 'cluster', asIfClosed, '2025-04')
        .map((f) => f.signal)
        .sort(),
    ).toEqual(['cr1', 'hhi']);
    // open: not judged
    const open = areaSignals(partial, months, '2025-04').get('cluster:textile')!;
    expect(open.get('2025-04')!.cr1).toBeNull();
    expect(evaluateSubject(concentrationRules, 'cluster', open, '2025-04')).toEqual([]);
  });

  it('once closed (the whole month on record): judged on the cluster’s firms — CR1 23.5 %, nothing fires', () => {
    const whole = areaSignals([...firstFile, ...later(true)], months).get('cluster:textile')!;
    expect(whole.get('2025-04')!.cr1).toBeCloseTo((100 * 400) / 1700, 10);
    expect(whole.get('2025-04')!.hhi).toBeCloseTo(
      (10000 * (400 ** 2 + 100 ** 2 + 4 * 300 ** 2)) / 1700 ** 2,
      6,
    );
    expect(evaluateSubject(concentrationRules, 'cluster', whole, '2025-04')).toEqual([]);
  });

  it('no rule on an area signal of the firms fires in the open month, whatever its threshold', () => {
    // a rule per signal that fires on any value (|v| ≥ 0): it fires exactly where the signal is judged
    const anyValue: RuleSet = {
      deadlines: concentrationRules.deadlines,
      rules: AREA_SIGNALS.filter(
        (s): s is Exclude<AreaSignal, 'investment_growth_gap'> => s !== 'investment_growth_gap',
      ).flatMap((signal) =>
        (['cluster', 'county'] as const).map((subject): Rule => ({
          ...concentrationRules.rules[0]!,
          id: `${subject}-${signal}`,
          subject,
          signal,
          all: [{ signal, op: 'abs>=', value: 0 }],
        })),
      ),
    };
    const all = monthsBetween('2024-01', '2025-06');
    const firm = fc.record({
      months: fc.subarray(all, { minLength: 1 }),
      output: fc.double({ min: 0, max: 5000, noNaN: true }),
      region: fc.constantFrom('330402', '330411'),
    });
    let judged = 0;
    fc.assert(
      fc.property(
        fc.array(firm, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(...all.slice(13)),
        (list, open) => {
          const firms = list.map((f) => ({
            history: new Map<Month, FirmFacts>(f.months.map((m) => [m, at(f.output)])),
            signals: new Map(),
            regionCode: f.region,
            clusters: ['textile'],
          }));
          const window = monthsBetween('2025-01', open);
          const closed = areaSignals(firms, window);
          const areas = areaSignals(firms, window, open);
          for (const [key, series] of areas) {
            const kind = key.startsWith('cluster:') ? 'cluster' : 'county';
            expect(evaluateSubject(anyValue, kind, series, open)).toEqual([]);
            // the months before it are judged as they were
            for (const m of window)
              if (m !== open) {
                expect(series.get(m)).toEqual(closed.get(key)!.get(m));
                judged += evaluateSubject(anyValue, kind, series, m).length;
              }
          }
        },
      ),
      { numRuns: 300 },
    );
    // the rules did fire where the months were judged
    expect(judged).toBeGreaterThan(100);
  });
});
