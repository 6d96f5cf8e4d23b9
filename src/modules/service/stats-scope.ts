// Which requests a user's statistics count: the city for the offices (coordinating, supervising), the
// administrator and the analyst; a county officer its county's requests; a cluster agency its cluster's;
// a department the requests its units lead. The condition is on the aliases of stats.ts (r = the request,
// w = its work item), so every statistic of one answer counts the same rows.
import { sql, type SQL } from 'drizzle-orm';
import type { Role, Scope } from '../../domain/policy/index.ts';
import type { Visibility } from './access.ts';

export interface StatsScope {
  /** undefined: the whole city */
  sql: SQL | undefined;
  label: { kind: 'all' | 'region' | 'cluster' | 'units' | 'none'; zh: string; key: string | null };
}

export function statsScope(v: Visibility, role: Role): StatsScope {
  const s = v.scope;
  if (s.kind === 'all') return { sql: undefined, label: { kind: 'all', zh: '全市', key: null } };
  if (s.kind === 'region')
    return {
      sql: sql`r.region_code = ${s.regionCode}`,
      label: { kind: 'region', zh: '本县（市、区）', key: s.regionCode },
    };
  if (s.kind === 'cluster')
    return {
      sql: sql`r.cluster_code = ${s.clusterCode}`,
      label: { kind: 'cluster', zh: '本集群', key: s.clusterCode },
    };
  if (role === 'department' && v.unitIds.length)
    return {
      sql: sql`w.owner_unit_id = any(${sql.param(v.unitIds)}::bigint[])`,
      label: { kind: 'units', zh: '本单位主办', key: v.unitIds.join(',') },
    };
  return { sql: sql`false`, label: { kind: 'none', zh: '无', key: null } };
}

/**
 * The statistics of a scope given by name, not by a user (the monthly bulletin of the city, a county or
 * a cluster): the same condition a city role, a county officer or a cluster agency gets above, so the
 * bulletin counts exactly what that reader's statistics page counts.
 */
export function statsScopeOf(scope: Scope): StatsScope {
  return statsScope({ scope, units: [], unitIds: [], coordinator: false }, 'analyst');
}
