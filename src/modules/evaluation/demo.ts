// Demo data comes with a published 亩均 evaluation of the last full year, so every role has results to
// look at (an enterprise user sees its own class and explanation) from the first start.
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { evaluationRuns } from '../../db/schema.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import type { Actor } from '../audit/index.ts';
import { usersByName } from '../auth/relations.ts';
import { cityCode } from './repo.ts';
import { correctRun, createRun, ensurePresets, publishRun, submitRun } from './service.ts';

export async function publishDemoEvaluation(database: Database, year: number, actor: Actor) {
  const db = database.db;
  const demoUsers = await usersByName(db, ['admin', 'reviewer']);
  const admin = demoUsers.get('admin');
  if (!admin) return null;
  // Four eyes: the second administrator (reviewer) publishes; without one the run waits in review.
  const reviewer = demoUsers.get('reviewer');
  // The run is made on behalf of the demo administrators, as if they had clicked through the workflow.
  const as = (u: typeof admin): AuthedUser => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: 'admin',
    regionCode: null,
    regionName: null,
    clusterCode: null,
    enterpriseId: null,
    scope: { kind: 'all' },
    sessionTokenHash: '',
  });
  const adminActor = { ...actor, id: admin.id, username: admin.username };
  await ensurePresets(db, adminActor);
  // A re-run of the demo regenerates the inputs: the year's earlier published run is corrected (the real
  // path: a published run is never changed, a new version supersedes it), so each year keeps one current run.
  const [earlier] = await db
    .select({ id: evaluationRuns.id })
    .from(evaluationRuns)
    .where(
      and(
        eq(evaluationRuns.year, year),
        eq(evaluationRuns.regionCode, await cityCode(db)),
        eq(evaluationRuns.status, 'published'),
        isNull(evaluationRuns.supersededByRunId),
      ),
    )
    .orderBy(desc(evaluationRuns.id))
    .limit(1);
  const run = earlier
    ? await correctRun(database, as(admin), earlier.id, { reason: '演示数据重新生成' }, adminActor)
    : await createRun(database, as(admin), adminActor, { year });
  const submitted = await submitRun(db, as(admin), run.id, adminActor);
  if (!reviewer) return submitted;
  return publishRun(db, as(reviewer), run.id, { ...actor, id: reviewer.id, username: reviewer.username });
}
