// Working-day arithmetic on the Chinese public-holiday calendar (调休 included), in China Standard Time
// (UTC+8, no daylight saving). A day is a working day when the notice makes it one (调休上班), or it is
// Monday–Friday and not inside a holiday. Years without a notice fall back to Monday–Friday and say so
// (`covers`), so a deadline far ahead is a best estimate until the State Council publishes that year.
// Dates are 'YYYY-MM-DD'; instants are Date. Pure; allocation-light (day numbers, not Date objects).
import type { HolidayYear, OfficeHours } from './types.ts';
import { CN_2025 } from './data/cn-2025.ts';
import { CN_2026 } from './data/cn-2026.ts';

const DAY_MS = 86_400_000;
/** China Standard Time is UTC+8 all year. */
const CST_OFFSET_MS = 8 * 3_600_000;

/** Government office hours (机关作息): 上午 9:00–12:00, 下午 13:30–17:30. Data, replaceable per calendar. */
export const DEFAULT_OFFICE_HOURS: OfficeHours = [
  ['09:00', '12:00'],
  ['13:30', '17:30'],
];

export const CN_HOLIDAY_YEARS: readonly HolidayYear[] = [CN_2025, CN_2026];

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date. */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const n = t / DAY_MS;
  if (dateOfDay(n) !== date) throw new RangeError(`not a date: ${date}`);
  return n;
}

export function dateOfDay(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The China-local calendar date of an instant. */
export function localDate(at: Date): string {
  return dateOfDay(Math.floor((at.getTime() + CST_OFFSET_MS) / DAY_MS));
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

export interface WorkCalendar {
  /** whether the holiday data covers the year of this date (otherwise Monday–Friday is assumed) */
  covers(date: string): boolean;
  isWorkingDay(date: string): boolean;
  /** the holiday a date falls in, or the holiday a 调休 working weekend makes up for */
  dayInfo(date: string): { working: boolean; holiday?: string; makeUpFor?: string };
  /**
   * The date `n` working days after `date` (n > 0) or before it (n < 0), not counting `date` itself.
   * n = 0 gives `date` when it is a working day, else the next working day.
   */
  addWorkingDays(date: string, n: number): string;
  /** Working days d with a < d ≤ b (negative when b < a): addWorkingDays(a, n) is n away for n ≥ 1. */
  workingDaysBetween(a: string, b: string): number;
  /** The instant `hours` of office time after `at` (office hours of working days only). */
  addWorkingHours(at: Date, hours: number): Date;
  /** Office minutes between two instants (0 when b ≤ a). */
  workingMinutesBetween(a: Date, b: Date): number;
  /** The close of office hours (17:30 CST by default) on a date. */
  endOfDay(date: string): Date;
  /** The opening of office hours (9:00 CST by default) on a date. */
  startOfDay(date: string): Date;
  /**
   * A deadline of `n` working days for something received at `at`: the close of the n-th working day after
   * the day of receipt. n = 0 ("the same day"): the close of the day of receipt when it is a working day and
   * received before the close, else the close of the next working day.
   */
  deadlineAfterWorkingDays(at: Date, n: number): Date;
  readonly officeHours: OfficeHours;
  readonly years: readonly HolidayYear[];
}

export function createCalendar(
  years: readonly HolidayYear[] = CN_HOLIDAY_YEARS,
  officeHours: OfficeHours = DEFAULT_OFFICE_HOURS,
): WorkCalendar {
  const off = new Map<number, string>();
  const makeUp = new Map<number, string>();
  const covered = new Set<number>();
  for (const y of years) {
    covered.add(y.year);
    for (const h of y.holidays) for (let d = dayNumber(h.from); d <= dayNumber(h.to); d++) off.set(d, h.name);
    for (const w of y.workingWeekends) makeUp.set(dayNumber(w.date), w.for);
  }
  const windows = officeHours.map(([a, b]) => [minutesOf(a), minutesOf(b)] as const);
  const openMin = windows[0]![0];
  const closeMin = windows[windows.length - 1]![1];
  const dayMinutes = windows.reduce((s, [a, b]) => s + (b - a), 0);

  const working = (n: number): boolean => {
    if (makeUp.has(n)) return true;
    if (off.has(n)) return false;
    const dow = (n + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    return dow !== 0 && dow !== 6;
  };
  const step = (n: number, dir: 1 | -1): number => {
    let d = n + dir;
    while (!working(d)) d += dir;
    return d;
  };
  const instant = (day: number, minute: number) => new Date(day * DAY_MS + minute * 60_000 - CST_OFFSET_MS);
  const localParts = (at: Date) => {
    const t = at.getTime() + CST_OFFSET_MS;
    const day = Math.floor(t / DAY_MS);
    return { day, minute: (t - day * DAY_MS) / 60_000 };
  };
  /** office minutes of a working day elapsed by a local minute of day */
  const elapsed = (minute: number): number => {
    let s = 0;
    for (const [a, b] of windows) s += Math.max(0, Math.min(b, minute) - a);
    return s;
  };
  /** the local minute of day at which `m` office minutes have elapsed (0 < m ≤ dayMinutes) */
  const minuteAt = (m: number): number => {
    let left = m;
    for (const [a, b] of windows) {
      if (left <= b - a) return a + left;
      left -= b - a;
    }
    return closeMin;
  };

  const cal: WorkCalendar = {
    officeHours,
    years,
    covers: (date) => covered.has(Number(date.slice(0, 4))),
    isWorkingDay: (date) => working(dayNumber(date)),
    dayInfo(date) {
      const n = dayNumber(date);
      return { working: working(n), holiday: off.get(n), makeUpFor: makeUp.get(n) };
    },
    addWorkingDays(date, n) {
      if (!Number.isInteger(n)) throw new RangeError('working days must be a whole number');
      let d = dayNumber(date);
      if (n === 0) return dateOfDay(working(d) ? d : step(d, 1));
      const dir = n > 0 ? 1 : -1;
      for (let i = 0; i < Math.abs(n); i++) d = step(d, dir);
      return dateOfDay(d);
    },
    workingDaysBetween(a, b) {
      const x = dayNumber(a);
      const y = dayNumber(b);
      if (y < x) return -cal.workingDaysBetween(b, a);
      let count = 0;
      for (let d = x + 1; d <= y; d++) if (working(d)) count++;
      return count;
    },
    addWorkingHours(at, hours) {
      if (!(hours >= 0)) throw new RangeError('working hours must not be negative');
      if (hours === 0) return at;
      let { day, minute } = localParts(at);
      if (!working(day) || minute >= closeMin) {
        day = step(day, 1);
        minute = openMin;
      }
      let target = elapsed(minute) + hours * 60;
      while (target > dayMinutes) {
        target -= dayMinutes;
        day = step(day, 1);
      }
      return instant(day, minuteAt(target));
    },
    workingMinutesBetween(a, b) {
      if (b.getTime() <= a.getTime()) return 0;
      const pa = localParts(a);
      const pb = localParts(b);
      const usedOn = (day: number, minute: number) => (working(day) ? elapsed(minute) : 0);
      if (pa.day === pb.day) return usedOn(pb.day, pb.minute) - usedOn(pa.day, pa.minute);
      let total = (working(pa.day) ? dayMinutes : 0) - usedOn(pa.day, pa.minute);
      for (let d = pa.day + 1; d < pb.day; d++) if (working(d)) total += dayMinutes;
      return total + usedOn(pb.day, pb.minute);
    },
    endOfDay: (date) => instant(dayNumber(date), closeMin),
    startOfDay: (date) => instant(dayNumber(date), openMin),
    deadlineAfterWorkingDays(at, n) {
      if (!Number.isInteger(n) || n < 0) throw new RangeError('working days must be a whole number ≥ 0');
      const { day, minute } = localParts(at);
      if (n === 0) {
        const d = working(day) && minute < closeMin ? day : step(day, 1);
        return instant(d, closeMin);
      }
      let d = day;
      for (let i = 0; i < n; i++) d = step(d, 1);
      return instant(d, closeMin);
    },
  };
  return cal;
}

/** The calendar of the national notices this release carries (2025, 2026). */
export const CN_CALENDAR: WorkCalendar = createCalendar();
