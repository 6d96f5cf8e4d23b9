// Which requests a user's statistics count is the policy's (`service.statistics`): the city for the offices
// (coordinating, supervising), the administrator and the analyst; a county officer its county's requests; a
// cluster agency its cluster's; a department the requests its units lead. The condition is on the aliases
// of stats.ts (r = the request, w = its work item), so every statistic of one answer counts the same rows.
import { sql, type SQL } from 'drizzle-orm';
import { workScopeOf, type PolicyUser, type Scope, type WorkScope } from '../../domain/policy/index.ts';
import { workRowsCondition } from '../../server/scope.ts';
import type { UnitRecord } from '../workitems/index.ts';

export interface StatsScope {
  /** undefined: the whole city */
  sql: SQL | undefined;
  label: { kind: 'all' | 'region' | 'cluster' | 'units' | 'none'; zh: string; key: string | null };
}

/** The statistics a user reads, given the units it acts for (Visibility.units). */
export function statsScope(user: PolicyUser, units: readonly UnitRecord[]): StatsScope {
  return statsOfWorkScope(workScopeOf(user, 'service.statistics', units));
}

function statsOfWorkScope(ws: WorkScope): StatsScope {
  const condition = workRowsCondition(ws, 'service.statistics', {
    // a request counts by its own county and cluster (those it was filed under), not the firm's today
    regionCode: sql`r.region_code`,
    clusterCode: sql`r.cluster_code`,
    leadUnitId: sql`w.owner_unit_id`,
  });
  const s = ws.scope;
  const label: StatsScope['label'] =
    s.kind === 'all'
      ? { kind: 'all', zh: '全市', key: null }
      : s.kind === 'region'
        ? { kind: 'region', zh: '本县（市、区）', key: s.regionCode }
        : s.kind === 'cluster'
          ? { kind: 'cluster', zh: '本集群', key: s.clusterCode }
          : ws.ledBy.length
            ? { kind: 'units', zh: '本单位主办', key: ws.ledBy.join(',') }
            : { kind: 'none', zh: '无', key: null };
  return { sql: condition, label };
}

/**
 * The statistics of a scope given by name, not by a user (the monthly bulletin of the city, a county or
 * a cluster): the same condition a city role, a county officer or a cluster agency gets above, so the
 * bulletin counts exactly what that reader's statistics page counts.
 */
export function statsScopeOf(scope: Scope): StatsScope {
  return statsOfWorkScope({ scope, ledBy: [], assistedBy: [] });
}
