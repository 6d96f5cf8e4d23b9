// Month arithmetic on the hot path of signals and the backtest (hundreds of thousands of firm-months):
// the same results as periods.addMonths, without parsing and validating the text on every call.
import type { Month } from '../periods.ts';

const labels: Month[] = [];

function label(index: number): Month {
  let s = labels[index];
  if (s === undefined) {
    const y = Math.floor(index / 12);
    const m = index - y * 12 + 1;
    s = `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}`;
    labels[index] = s;
  }
  return s;
}

/** index by label, filled as labels are met: a lookup of a string already hashed instead of two parses */
const indices = new Map<string, number>();

/** months since year 0 of a valid 'YYYY-MM' */
export function monthIndex(month: Month): number {
  let i = indices.get(month);
  if (i === undefined) {
    i = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
    // only labels of the form 'YYYY-MM' are kept, so the map holds at most one entry per month
    if (month.length === 7) indices.set(month, i);
  }
  return i;
}

export function shiftMonth(month: Month, n: number): Month {
  return label(monthIndex(month) + n);
}

/** 1–12 */
export function calendarMonth(month: Month): number {
  return (monthIndex(month) % 12) + 1;
}
