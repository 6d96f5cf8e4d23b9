// The city's default assessment scheme (config/<city>/assessment-scheme.json): the scheme of the first
// edition of a year; later editions start from the edition in force.
import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveCityDir } from '../../config/load.ts';
import { schemeProblems, type AssessmentScheme } from '../../domain/assessment/assessment.ts';
import { badRequest } from '../../server/errors.ts';
import { schemeSchema, type SchemeBody } from './schemas.ts';

/** The `definitions` kind of county assessments; the key is `county-<year>`. */
export const ASSESSMENT_KIND = 'county_assessment';
export const assessmentKey = (year: number) => `county-${year}`;

export async function defaultScheme(): Promise<SchemeBody> {
  const raw = JSON.parse(
    await fs.readFile(path.join(resolveCityDir(), 'assessment-scheme.json'), 'utf8'),
  ) as Record<string, unknown>;
  const note = raw.$comment;
  delete raw.$comment;
  return schemeSchema.parse({ ...raw, note });
}

export function assertUsableScheme(scheme: SchemeBody): void {
  const problems = schemeProblems(scheme as AssessmentScheme);
  if (problems.length)
    throw badRequest(
      `The scheme cannot be scored: ${problems.join('; ')}`,
      `考核方案存在问题：${problems.join('；')}`,
      problems.map((p) => ({ field: 'scheme', message: p, messageZh: p })),
    );
}
