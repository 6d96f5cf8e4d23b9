// Demo data comes with a published edition of the cluster index for the five years to the last full
// year: drafted and submitted by the demo analyst, reviewed and published by the demo administrator
// (two people, as the four-eyes rule wants).
import type { Database } from '../../db/client.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import type { Actor } from '../audit/index.ts';
import { usersByName, type UserRef } from '../auth/index.ts';
import { createIndexEdition, moveIndexEdition } from './service.ts';

export async function publishDemoIndex(database: Database, lastYear: number, actor: Actor) {
  const db = database.db;
  const found = await usersByName(db, ['admin', 'analyst']);
  const admin = found.get('admin');
  const analyst = found.get('analyst');
  if (!admin || !analyst) return null;
  const as = (u: UserRef): AuthedUser => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role as AuthedUser['role'],
    regionCode: null,
    regionName: null,
    clusterCode: null,
    enterpriseId: null,
    scope: { kind: 'all' },
    sessionTokenHash: '',
  });
  const act = (u: UserRef): Actor => ({ ...actor, id: u.id, username: u.username });
  const draft = await createIndexEdition(db, as(analyst), act(analyst), {
    years: { from: lastYear - 4, to: lastYear },
  });
  await moveIndexEdition(db, as(analyst), act(analyst), draft.id, 'submit');
  await moveIndexEdition(db, as(admin), act(admin), draft.id, 'review');
  return moveIndexEdition(db, as(admin), act(admin), draft.id, 'publish');
}
