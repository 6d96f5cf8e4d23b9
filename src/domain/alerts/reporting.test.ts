import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { monthsBetween, type Month } from '../periods.ts';
import {
  areaSignals,
  closedShare,
  DEFAULT_CLOSED_SHARE,
  firmSignals,
  monthClosed,
  monthsNotReported,
  type FirmFacts,
} from './index.ts';

// When a month is closed for reporting (reporting.ts), and what an open month leaves unjudged: months not
// reported of a firm without a row in it, the areas' reporting firms against a year ago.

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

  it('areas: reporting firms against a year ago null in the open month, the other signals as before', () => {
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
      expect(closed.get(key)!.get('2025-04')!.firm_count_yoy).toBe(-50);
      expect(open.get(key)!.get('2025-04')!.firm_count_yoy).toBeNull();
      expect({ ...open.get(key)!.get('2025-04'), firm_count_yoy: -50 }).toEqual(
        closed.get(key)!.get('2025-04'),
      );
      // a month before the open one is judged
      expect(open.get(key)!.get('2025-03')).toEqual(closed.get(key)!.get('2025-03'));
    }
  });
});
