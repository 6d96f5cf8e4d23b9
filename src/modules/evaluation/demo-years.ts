// The demo publishes the 亩均 evaluation of three years, not one, so the class-mix trend (/api/evaluation/
// class-trend and its page) shows movement over time (issue 15 item 7) from the first start. Each year goes
// the real way: the administrator creates and submits the run, a second administrator (reviewer) publishes
// it (four eyes, assertFourEyes in publishRun). The classes come from each year's demo inputs under the
// same default rule set, so a firm moves class only when its own figures (and its group's) moved.
import type { Database } from '../../db/client.ts';
import type { Actor } from '../audit/index.ts';
import { publishDemoEvaluation } from './demo.ts';

/** The years the demo publishes: the last three full years of the demo data (ANNUAL_YEARS ends in 2025). */
export const DEMO_EVALUATION_YEARS = [2023, 2024, 2025] as const;

export async function publishDemoEvaluations(
  database: Database,
  actor: Actor,
  years: readonly number[] = DEMO_EVALUATION_YEARS,
): Promise<{ year: number; id: number; status: string }[]> {
  const out: { year: number; id: number; status: string }[] = [];
  // oldest first, as a bureau would have published them year after year
  for (const year of [...years].sort((a, b) => a - b)) {
    const run = await publishDemoEvaluation(database, year, actor);
    if (run) out.push({ year, id: run.id, status: run.status });
  }
  return out;
}
