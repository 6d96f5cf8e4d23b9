// The year a page opens on: the user's choice once made, else the newest year the server has data for, else
// — only when there is no data at all, or the years cannot be read — the clock's last year. The clock alone
// is wrong when it runs ahead of the data (inputs ending in 2025, opened in 2027: an empty year).
import { useState } from 'react';

export function useDataYear(years: {
  data?: { latest: number | null };
  isError: boolean;
}): [year: number | undefined, choose: (year: number) => void] {
  const [chosen, choose] = useState<number>();
  if (chosen !== undefined) return [chosen, choose];
  // still reading the years: no year yet, so nothing is asked of an empty year first
  if (!years.data && !years.isError) return [undefined, choose];
  return [years.data?.latest ?? new Date().getFullYear() - 1, choose];
}

/** A year picker's years: those with data and the one shown, newest first. */
export const pickerYears = (withData: Iterable<number>, shown: number | undefined): number[] =>
  [...new Set([...withData, ...(shown === undefined ? [] : [shown])])].sort((a, b) => b - a);
