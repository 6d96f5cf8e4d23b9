import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CN_CALENDAR as cal, createCalendar, dateOfDay, dayNumber, localDate } from './index.ts';

/** an instant given in China Standard Time */
const cst = (s: string) => new Date(`${s}+08:00`);

describe('the 2025 calendar (国办发明电〔2024〕12号)', () => {
  it('春节 1.28–2.4 is off; 1.26 (Sun) and 2.8 (Sat) are working days', () => {
    for (let d = dayNumber('2025-01-28'); d <= dayNumber('2025-02-04'); d++)
      expect(cal.isWorkingDay(dateOfDay(d))).toBe(false);
    expect(cal.isWorkingDay('2025-01-26')).toBe(true);
    expect(cal.isWorkingDay('2025-02-08')).toBe(true);
    expect(cal.isWorkingDay('2025-01-27')).toBe(true);
    expect(cal.isWorkingDay('2025-02-05')).toBe(true);
    expect(cal.isWorkingDay('2025-02-09')).toBe(false); // an ordinary Sunday
    expect(cal.dayInfo('2025-02-08')).toEqual({ working: true, holiday: undefined, makeUpFor: '春节' });
  });
  it('国庆 10.1–10.8 is off; 9.28 (Sun) and 10.11 (Sat) are working days', () => {
    for (let d = dayNumber('2025-10-01'); d <= dayNumber('2025-10-08'); d++)
      expect(cal.isWorkingDay(dateOfDay(d))).toBe(false);
    expect(cal.isWorkingDay('2025-09-28')).toBe(true);
    expect(cal.isWorkingDay('2025-10-11')).toBe(true);
    expect(cal.isWorkingDay('2025-10-12')).toBe(false);
  });
  it('counts working days across 春节 and 国庆', () => {
    // Mon 1.27 → next working day is Wed 2.5 (春节 1.28–2.4)
    expect(cal.addWorkingDays('2025-01-27', 1)).toBe('2025-02-05');
    // Fri 1.24 + 1 → Sun 1.26 (调休上班)
    expect(cal.addWorkingDays('2025-01-24', 1)).toBe('2025-01-26');
    // Thu 2.6, Fri 2.7, Sat 2.8 (working), Mon 2.10
    expect(cal.addWorkingDays('2025-02-05', 3)).toBe('2025-02-08');
    expect(cal.addWorkingDays('2025-02-05', 4)).toBe('2025-02-10');
    // Fri 9.26 → Sun 9.28 working, Mon 9.29, Tue 9.30, then 10.9 Thu, 10.10 Fri, 10.11 Sat
    expect(cal.addWorkingDays('2025-09-26', 1)).toBe('2025-09-28');
    expect(cal.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(cal.addWorkingDays('2025-09-30', 3)).toBe('2025-10-11');
    expect(cal.addWorkingDays('2025-09-30', 4)).toBe('2025-10-13');
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-13')).toBe(4);
    expect(cal.addWorkingDays('2025-10-09', -1)).toBe('2025-09-30');
    // the whole of 2025: 261 weekdays − 18 weekdays off (元旦 1, 春节 6, 清明 1, 劳动 3, 端午 1, 国庆 6) + 5 调休 weekends
    expect(cal.workingDaysBetween('2024-12-31', '2025-12-31')).toBe(248);
  });
  it('5 working days after a deadline on the eve of 国庆 (督办 timing)', () => {
    expect(cal.addWorkingDays('2025-09-29', 5)).toBe('2025-10-13');
  });
});

describe('the 2026 calendar (国务院办公厅 2025-11-04)', () => {
  it('春节 2.15–2.23 is off; 2.14 (Sat) and 2.28 (Sat) are working days', () => {
    for (let d = dayNumber('2026-02-15'); d <= dayNumber('2026-02-23'); d++)
      expect(cal.isWorkingDay(dateOfDay(d))).toBe(false);
    expect(cal.isWorkingDay('2026-02-14')).toBe(true);
    expect(cal.isWorkingDay('2026-02-28')).toBe(true);
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
  });
  it('国庆 10.1–10.7 and 中秋 9.25–9.27 are off; 9.20 (Sun) and 10.10 (Sat) are working days', () => {
    expect(cal.isWorkingDay('2026-09-20')).toBe(true);
    expect(cal.isWorkingDay('2026-09-25')).toBe(false);
    expect(cal.isWorkingDay('2026-10-07')).toBe(false);
    expect(cal.isWorkingDay('2026-10-08')).toBe(true);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    // Wed 9.30 + 1 → Thu 10.8; + 3 → Sat 10.10
    expect(cal.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(cal.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    // 9.20 (Sun), 9.21–24, 9.28–30, 10.8–10 (10.10 Sat), 10.12
    expect(cal.workingDaysBetween('2026-09-18', '2026-10-12')).toBe(12);
  });
  it('元旦 1.1–1.3 with 1.4 (Sun) working; 劳动节 with 5.9 (Sat) working', () => {
    expect(cal.isWorkingDay('2026-01-02')).toBe(false);
    expect(cal.isWorkingDay('2026-01-04')).toBe(true);
    expect(cal.isWorkingDay('2026-05-05')).toBe(false);
    expect(cal.isWorkingDay('2026-05-09')).toBe(true);
  });
  it('falls back to Monday–Friday outside the notices and says so', () => {
    expect(cal.covers('2026-06-01')).toBe(true);
    expect(cal.covers('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2027-01-04')).toBe(true); // a Monday
  });
});

describe('office hours (9:00–12:00, 13:30–17:30 CST)', () => {
  it('one working hour after a request filed at 11:30 ends after lunch', () => {
    expect(cal.addWorkingHours(cst('2025-03-03T11:30:00'), 1)).toEqual(cst('2025-03-03T14:00:00'));
  });
  it('a request filed on a holiday evening is timed from the next working morning', () => {
    expect(cal.addWorkingHours(cst('2025-10-08T20:00:00'), 1)).toEqual(cst('2025-10-09T10:00:00'));
    expect(cal.addWorkingHours(cst('2025-02-07T17:00:00'), 1)).toEqual(cst('2025-02-08T09:30:00'));
  });
  it('counts office minutes across a holiday', () => {
    expect(cal.workingMinutesBetween(cst('2025-09-30T17:00:00'), cst('2025-10-09T09:30:00'))).toBe(60);
    expect(cal.workingMinutesBetween(cst('2025-03-03T09:00:00'), cst('2025-03-04T09:00:00'))).toBe(420);
  });
  it('"the same day" ends at the close of the day of receipt, or of the next working day', () => {
    expect(cal.deadlineAfterWorkingDays(cst('2025-03-03T10:00:00'), 0)).toEqual(cst('2025-03-03T17:30:00'));
    expect(cal.deadlineAfterWorkingDays(cst('2025-03-03T18:00:00'), 0)).toEqual(cst('2025-03-04T17:30:00'));
    expect(cal.deadlineAfterWorkingDays(cst('2025-01-28T10:00:00'), 0)).toEqual(cst('2025-02-05T17:30:00'));
    // 7 working days from Fri 2025-09-26: 9.28, 9.29, 9.30, 10.9, 10.10, 10.11, 10.13
    expect(cal.deadlineAfterWorkingDays(cst('2025-09-26T15:00:00'), 7)).toEqual(cst('2025-10-13T17:30:00'));
  });
  it('reads the local date in China Standard Time', () => {
    expect(localDate(new Date('2025-01-27T16:30:00Z'))).toBe('2025-01-28');
  });
});

const dateArb = fc.integer({ min: dayNumber('2025-01-01'), max: dayNumber('2026-12-31') }).map(dateOfDay);

describe('properties', () => {
  it('addWorkingDays lands on a working day n working days away', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 60 }), (d, n) => {
        const e = cal.addWorkingDays(d, n);
        return cal.isWorkingDay(e) && cal.workingDaysBetween(d, e) === n;
      }),
    );
  });
  it('going forward and back returns to a working day', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 60 }), (d, n) => {
        const start = cal.addWorkingDays(d, 0);
        return cal.addWorkingDays(cal.addWorkingDays(start, n), -n) === start;
      }),
    );
  });
  it('workingDaysBetween is additive', () => {
    fc.assert(
      fc.property(dateArb, dateArb, dateArb, (a, b, c) => {
        return cal.workingDaysBetween(a, b) + cal.workingDaysBetween(b, c) === cal.workingDaysBetween(a, c);
      }),
    );
  });
  it('adding working hours moves exactly that many office minutes forward', () => {
    const instantArb = fc
      .integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2026-12-20T00:00:00Z') })
      .map((t) => new Date(Math.floor(t / 60_000) * 60_000));
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 1, max: 200 }), (at, quarterHours) => {
        const h = quarterHours / 4;
        const end = cal.addWorkingHours(at, h);
        return end > at && cal.workingMinutesBetween(at, end) === h * 60;
      }),
    );
  });
  it('a calendar without notices is Monday–Friday', () => {
    const plain = createCalendar([]);
    fc.assert(
      fc.property(dateArb, (d) => {
        const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
        return plain.isWorkingDay(d) === (dow >= 1 && dow <= 5);
      }),
    );
  });
});
