// A firm's monthly facts as columns (one array per measure, parallel to an array of months), as the evaluation reads them:
// one row per firm with arrays instead of a row object, a 'YYYY-MM' string and a FirmFacts per month — at
// province scale those per-fact objects were most of the evaluation's garbage and its peak memory (issue 13).
import { monthIndex } from './months.ts';
import type { FirmFacts, FirmHistory } from './firm-signals.ts';

export interface FactColumns {
  /** months since year 0 (monthIndex), unique, in any order; the other arrays are parallel to it */
  months: readonly number[];
  output: readonly (number | null)[];
  tax: readonly (number | null)[];
  electricity: readonly (number | null)[];
  employees: readonly (number | null)[];
  revenue: readonly (number | null)[];
  profit: readonly (number | null)[];
}

/** A history as columns, in the Map's order (the specification's shape into the evaluation's: tests). */
export function historyColumns(history: FirmHistory): FactColumns {
  const months = [...history.keys()];
  const col = (k: keyof FirmFacts) => months.map((m) => history.get(m)![k] ?? null);
  return {
    months: months.map(monthIndex),
    output: col('output'),
    tax: col('tax'),
    electricity: col('electricity'),
    employees: col('employees'),
    revenue: col('revenue'),
    profit: col('profit'),
  };
}

/** A firm as the evaluation reads it: its county, its current clusters and its facts as columns. */
export interface FirmColumns {
  id: number;
  regionCode: string;
  clusters: string[];
  facts: FactColumns;
  /** its chain node placements in force as [chain (cluster) code, node code], where read (the read-ahead) */
  nodes?: readonly (readonly [string, string])[];
}
