// Demo data comes with a published assessment of the last full year, drafted and submitted by the demo
// administrator and reviewed and published by the second one (four eyes), with one 加分 item so the page
// shows how adjustments read. Without a second administrator it waits in review.
import type { Db } from '../../db/client.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import type { Actor } from '../audit/index.ts';
import { usersByName, type UserRef } from '../auth/index.ts';
import { createAssessment, moveAssessment, updateAssessment } from './service.ts';

export async function publishDemoAssessment(db: Db, year: number, actor: Actor) {
  const accounts = await usersByName(db, ['admin', 'reviewer']);
  const admin = accounts.get('admin');
  if (!admin) return null;
  const reviewer = accounts.get('reviewer');
  const as = (u: UserRef): AuthedUser => ({
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
  const a = { ...actor, id: admin.id, username: admin.username };
  const draft = await createAssessment(db, as(admin), a, { year });
  const first = draft.ranking[0];
  let e = draft;
  if (first)
    e = await updateAssessment(db, as(admin), a, draft.id, {
      adjustments: [
        {
          regionCode: first.regionCode,
          kind: 'bonus',
          points: 1,
          reason: '获评省级产业集群发展示范（演示数据）',
        },
      ],
    });
  e = await moveAssessment(db, as(admin), a, e.id, 'submit');
  if (!reviewer) return e;
  const r = { ...actor, id: reviewer.id, username: reviewer.username };
  await moveAssessment(db, as(reviewer), r, e.id, 'review');
  return moveAssessment(db, as(reviewer), r, e.id, 'publish');
}
