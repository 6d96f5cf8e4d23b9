// Demo data comes with a published 亩均 evaluation of the last full year, so every role has results to
// look at (an enterprise user sees its own class and explanation) from the first start.
import type { Database } from '../../db/client.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import type { Actor } from '../audit/index.ts';
import { usersByName } from '../auth/index.ts';
import { createRun, ensurePresets, publishRun, submitRun } from './service.ts';

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
  const run = await createRun(database, as(admin), adminActor, { year });
  const submitted = await submitRun(db, as(admin), run.id, adminActor);
  if (!reviewer) return submitted;
  return publishRun(db, as(reviewer), run.id, { ...actor, id: reviewer.id, username: reviewer.username });
}
