// The monthly process view (月度过程): the process indicators of 1–N月 for every county, live from the
// data, with 红黑榜 — what the bureau reports monthly before the annual assessment. Not versioned (it is
// not an assessment), so it states the data it was read from.
import type { Db } from '../../db/client.ts';
import { redBlackLists, type AssessmentScheme } from '../../domain/assessment/assessment.ts';
import { currentEdition } from '../editions/index.ts';
import { gatherFacts } from './facts.ts';
import { ASSESSMENT_KIND, assessmentKey, defaultScheme } from './scheme.ts';
import type { AssessmentBody, ProcessView } from './schemas.ts';

export async function processView(db: Db, q: { year: number; month?: number }): Promise<ProcessView> {
  // the year's scheme in force (its bases and targets), else the default
  const cur = await currentEdition<AssessmentBody>(db, ASSESSMENT_KIND, assessmentKey(q.year));
  const scheme = cur?.body.scheme ?? (await defaultScheme());
  const facts = await gatherFacts(db, scheme, q.year, q.month);
  const indicators = scheme.dimensions.flatMap((d) => d.indicators).filter((i) => i.process);
  return {
    year: q.year,
    month: facts.throughMonth,
    indicators: indicators.map((i) => ({
      key: i.key,
      nameZh: i.nameZh,
      unit: i.unit,
      base: i.base,
      target: i.target,
      basis: i.basis,
      source: i.source,
    })),
    counties: facts.counties.map((c) => ({
      regionCode: c.regionCode,
      name: c.name,
      values: Object.fromEntries(indicators.map((i) => [i.key, c.values[i.key]?.value ?? null])),
    })),
    redBlack: redBlackLists(scheme as AssessmentScheme, facts.counties),
  };
}
