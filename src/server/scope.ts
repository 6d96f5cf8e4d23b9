// The one place that turns a user into what they may see, as SQL. The rule itself is the policy's
// (src/domain/policy: scopeOf, and scopeAllows for one row); here it is written once per scope kind of
// a resource's rows (enterprise / region / cluster / own), so every list starts from what the user may
// see — the scope is in the query, never a filter after fetching. test/integration/scope-sql.test.ts
// proves the SQL and the policy's row rule agree on every scope × kind × row.
import { and, eq, isNull, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { enterpriseClusters, enterprises } from '../db/schema.ts';
import type { Role } from '../modules/auth/schemas.ts';
import {
  resourcePolicy,
  scopeAllows,
  scopeOf as policyScopeOf,
  type Resource,
  type Scope,
  type ScopeKind,
  type WorkScope,
} from '../domain/policy/index.ts';

export type { Scope };

export interface ScopedUser {
  id: number;
  username: string;
  role: Role;
  regionCode: string | null;
  clusterCode: string | null;
  enterpriseId: number | null;
}

/** A misconfigured user (a county officer without a county …) sees nothing rather than everything. */
export const scopeOf: (user: ScopedUser) => Scope = policyScopeOf;

/**
 * The columns through which a table's rows meet the scope rule (the SQL side of the policy's RowFacts).
 * A scope that needs a column the table does not have sees none of its rows.
 */
export interface ScopeColumns {
  /** the row's firm */
  enterpriseId?: SQLWrapper;
  /** the row's county; without it, the firm's county (through enterpriseId) */
  regionCode?: SQLWrapper;
  /** the row's own cluster; without it, the firm's clusters by current membership (through enterpriseId) */
  clusterCode?: SQLWrapper;
  /** the user who owns the row (`own` resources) */
  ownerId?: SQLWrapper;
  /**
   * Which rows of a `region` resource belong to the whole city: default those without a county or with
   * the city's code (RowFacts.cityWide); false when rows without a county are not the city's own.
   */
  cityWide?: SQL | false;
}

export interface ScopeOptions {
  cityCode?: string;
  /** the user, for `own` rows */
  userId?: number;
}

const NOTHING = sql`false`;

/** The firm's county / current clusters, for rows that only name their firm. */
function firmInRegion(enterpriseId: SQLWrapper, regionCode: string): SQL {
  return sql`exists (select 1 from ${enterprises} where ${and(
    sql`${enterprises.id} = ${enterpriseId}`,
    eq(enterprises.regionCode, regionCode),
  )})`;
}
function firmInCluster(enterpriseId: SQLWrapper, clusterCode: string): SQL {
  return sql`exists (select 1 from ${enterpriseClusters} where ${and(
    sql`${enterpriseClusters.enterpriseId} = ${enterpriseId}`,
    eq(enterpriseClusters.clusterCode, clusterCode),
    isNull(enterpriseClusters.validTo),
  )})`;
}

function inRegion(c: ScopeColumns, regionCode: string): SQL {
  if (c.regionCode) return sql`${c.regionCode} = ${regionCode}`;
  return c.enterpriseId ? firmInRegion(c.enterpriseId, regionCode) : NOTHING;
}
function inCluster(c: ScopeColumns, clusterCode: string): SQL {
  if (c.clusterCode) return sql`${c.clusterCode} = ${clusterCode}`;
  return c.enterpriseId ? firmInCluster(c.enterpriseId, clusterCode) : NOTHING;
}
function isFirm(c: ScopeColumns, enterpriseId: number): SQL {
  return c.enterpriseId ? sql`${c.enterpriseId} = ${enterpriseId}` : NOTHING;
}

/** `enterprise` rows (and `cluster` rows, which differ only in the columns they carry): the firm's scope. */
export function enterpriseRowsCondition(scope: Scope, c: ScopeColumns): SQL | undefined {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'region':
      return inRegion(c, scope.regionCode);
    case 'cluster':
      return inCluster(c, scope.clusterCode);
    case 'enterprise':
      return isFirm(c, scope.enterpriseId);
    case 'none':
      return NOTHING;
  }
}

/** `cluster` rows: a cluster agency its cluster's, a county its county's, a firm its own. */
export const clusterRowsCondition = enterpriseRowsCondition;

/** `region` rows: the city-wide ones for every reader, and each limited scope's own county, cluster or firm. */
export function regionRowsCondition(scope: Scope, c: ScopeColumns, cityCode?: string): SQL | undefined {
  if (scope.kind === 'all') return undefined;
  if (scope.kind === 'none') return NOTHING;
  const own = enterpriseRowsCondition(scope, c)!;
  if (scope.kind === 'enterprise') return own;
  const cityWide =
    c.cityWide === false
      ? undefined
      : (c.cityWide ??
        (c.regionCode
          ? or(
              sql`${c.regionCode} is null`,
              cityCode != null ? sql`${c.regionCode} = ${cityCode}` : undefined,
            )
          : undefined));
  return cityWide ? sql`(${or(cityWide, own)})` : own;
}

/** `own` rows: whoever owns them; city roles all. */
export function ownRowsCondition(scope: Scope, c: ScopeColumns, userId?: number): SQL | undefined {
  if (scope.kind === 'all') return undefined;
  return c.ownerId && userId != null ? sql`${c.ownerId} = ${userId}` : NOTHING;
}

/**
 * The policy's row rule (scopeAllows) as SQL, for rows of a resource (or of a scope kind): undefined when
 * the scope sees every row. Combine with the capability's own conditions in `and(...)`.
 */
export function scopeCondition(
  scope: Scope,
  of: Resource | ScopeKind,
  c: ScopeColumns,
  o: ScopeOptions = {},
): SQL | undefined {
  const kind: ScopeKind =
    of === 'enterprise' || of === 'region' || of === 'cluster' || of === 'city' || of === 'own'
      ? of
      : resourcePolicy(of).scope;
  switch (kind) {
    case 'city':
      return undefined;
    case 'own':
      return ownRowsCondition(scope, c, o.userId);
    case 'region':
      return regionRowsCondition(scope, c, o.cityCode);
    case 'cluster':
      return clusterRowsCondition(scope, c);
    case 'enterprise':
      return enterpriseRowsCondition(scope, c);
  }
}

/**
 * Rows of a unit-handled resource (the policy's workScopeOf / workRowVisible as SQL): inside the work scope,
 * or led by one of its units (`leadUnitId`: the row's owning unit) or co-handled by one (`assistedBy`: the
 * caller's condition for "one of these units co-handles the row", over the tables it may name). undefined
 * when every row is seen.
 */
export function workRowsCondition(
  ws: WorkScope,
  of: Resource | ScopeKind,
  c: ScopeColumns & { leadUnitId?: SQLWrapper; assistedBy?: (unitIds: readonly number[]) => SQL },
  o: ScopeOptions = {},
): SQL | undefined {
  const scoped = scopeCondition(ws.scope, of, c, o);
  if (!scoped) return undefined;
  const units = [
    ws.ledBy.length && c.leadUnitId
      ? sql`${c.leadUnitId} = any(${sql.param([...ws.ledBy])}::bigint[])`
      : undefined,
    ws.assistedBy.length && c.assistedBy ? c.assistedBy(ws.assistedBy) : undefined,
  ].filter((x): x is SQL => x !== undefined);
  if (!units.length) return scoped;
  return ws.scope.kind === 'none' && units.length === 1 ? units[0] : sql`(${or(scoped, ...units)})`;
}

/** SQL condition on the `enterprises` table limiting rows to the scope. */
export function enterpriseScopeCondition(scope: Scope): SQL | undefined {
  return enterpriseRowsCondition(scope, { enterpriseId: enterprises.id, regionCode: enterprises.regionCode });
}

/** Whether an enterprise with these registry facts lies inside the scope (for writes). */
export function scopeAllowsRegistry(
  scope: Scope,
  e: { id?: number; regionCode: string; clusterCodes?: string[] },
): boolean {
  return scopeAllows(scope, 'enterprise', {
    enterpriseId: e.id ?? null,
    regionCode: e.regionCode,
    clusterCodes: e.clusterCodes ?? [],
  });
}
