// Who sees which requests: the firm its own; a county officer its county's; a cluster agency its cluster's;
// everyone the requests their units lead or co-handle; the coordinating and supervising offices, the
// administrator and the analyst all of them.
import type { Db } from '../../db/client.ts';
import { scopeOf, type Scope } from '../../domain/policy/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { unitsOfUser, type UnitRecord } from '../workitems/index.ts';

export interface Visibility {
  scope: Scope;
  units: UnitRecord[];
  unitIds: number[];
  /** member of the coordinating office, or an administrator */
  coordinator: boolean;
}

export async function visibilityOf(db: Db, user: AuthedUser): Promise<Visibility> {
  const units = await unitsOfUser(db, user.id);
  const coordinator = user.role === 'admin' || units.some((u) => u.kind === 'coordinator');
  const cityWide = coordinator || units.some((u) => u.kind === 'supervisor');
  return {
    scope: cityWide ? { kind: 'all' } : scopeOf(user),
    units,
    unitIds: units.map((u) => u.id),
    coordinator,
  };
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
  if (row.ownerUnitId != null && v.unitIds.includes(row.ownerUnitId)) return true;
  if (row.assistUnitIds.some((u) => v.unitIds.includes(u))) return true;
  switch (v.scope.kind) {
    case 'all':
      return true;
    case 'region':
      return row.regionCode === v.scope.regionCode;
    case 'cluster':
      return row.clusterCode === v.scope.clusterCode;
    case 'enterprise':
      return row.enterpriseId === v.scope.enterpriseId;
    case 'none':
      return false;
  }
}
