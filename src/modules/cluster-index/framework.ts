// The city's default method (config/<city>/cluster-index.json): the body of the first edition.
import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveCityDir } from '../../config/load.ts';
import { checkFramework, type IndexFramework } from '../../domain/cluster-index/index.ts';
import { badRequest } from '../../server/errors.ts';
import { isReportedMetric, METRICS } from './metric-names.ts';
import { frameworkSchema, type EditionBody } from './schemas.ts';

/** The `definitions` kind and key of the index's editions. */
export const INDEX_KIND = 'index_framework';
export const INDEX_KEY = 'cluster-index';

export async function defaultFramework(): Promise<IndexFramework> {
  const file = path.join(resolveCityDir(), 'cluster-index.json');
  const raw = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
  delete raw._about;
  return frameworkSchema.parse(raw) as IndexFramework;
}

/** Refuses a framework the pipeline cannot compute (400 with each problem as a field error). */
export function assertUsable(body: EditionBody): void {
  const named = [
    ...body.framework.indicators.map((i) => i.metric),
    ...body.framework.gates.flatMap((g) => g.anyOf.map((c) => c.metric)),
  ];
  const known = new Set<string>([...METRICS, ...named.filter(isReportedMetric)]);
  const problems = checkFramework(body.framework as IndexFramework, known);
  if (body.years.from > body.years.to || body.years.to - body.years.from > 10)
    problems.push({
      path: 'years',
      message: 'from ≤ to, at most 11 years',
      messageZh: '起止年份须 from ≤ to，最多11年',
    });
  if (problems.length)
    throw badRequest(
      'The index framework cannot be computed as it stands.',
      '指数方法存在问题，无法计算。',
      problems.map((p) => ({ field: p.path, message: p.message, messageZh: p.messageZh })),
    );
}
