// Who sees which requests is the policy's (src/domain/policy/resources/service.ts, `service.request`): the
// firm its own; a county officer its county's; a cluster agency its cluster's; everyone the requests their
// units lead or co-handle; the coordinating and supervising offices, the administrator and the analyst all
// of them. Here the user's units are looked up once and handed to the policy.
import type { Db } from '../../db/client.ts';
import { workRowVisible, workScopeOf, type Scope, type WorkScope } from '../../domain/policy/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { unitsOfUser, type UnitRecord } from '../workitems/index.ts';

export interface Visibility {
  /** the requests seen by scope (every one for the offices) */
  scope: Scope;
  /** the policy's work scope of `service.request` (scope, and the units whose requests are seen too) */
  work: WorkScope;
  units: UnitRecord[];
  unitIds: number[];
}

export async function visibilityOf(db: Db, user: AuthedUser): Promise<Visibility> {
  const units = await unitsOfUser(db, user.id);
  const work = workScopeOf(user, 'service.request', units);
  return { scope: work.scope, work, units, unitIds: units.map((u) => u.id) };
}

/** Whether one request's facts are visible (detail reads and writes). */
export function sees(
  v: Visibility,
  row: {
    enterpriseId: number;
    regionCode: string;
    clusterCode: string | null;
    ownerUnitId: number | null;
    assistUnitIds: number[];
  },
): boolean {
  return workRowVisible(v.work, 'service.request', {
    enterpriseId: row.enterpriseId,
    regionCode: row.regionCode,
    clusterCodes: row.clusterCode ? [row.clusterCode] : [],
    leadUnitId: row.ownerUnitId,
    assistUnitIds: row.assistUnitIds,
  });
}
