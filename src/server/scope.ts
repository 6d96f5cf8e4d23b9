// The one place that turns a user into what they may see. Every enterprise-level query takes a Scope.
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { enterpriseClusters, enterprises } from '../db/schema.ts';
import type { Role } from '../modules/auth/schemas.ts';
import { scopeOf as policyScopeOf, type Scope } from '../domain/policy/index.ts';

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

/** SQL condition on the `enterprises` table limiting rows to the scope. */
export function enterpriseScopeCondition(scope: Scope): SQL | undefined {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'region':
      return eq(enterprises.regionCode, scope.regionCode);
    case 'cluster':
      return sql`exists (select 1 from ${enterpriseClusters} where ${and(
        eq(enterpriseClusters.enterpriseId, enterprises.id),
        eq(enterpriseClusters.clusterCode, scope.clusterCode),
        isNull(enterpriseClusters.validTo),
      )})`;
    case 'enterprise':
      return eq(enterprises.id, scope.enterpriseId);
    case 'none':
      return sql`false`;
  }
}

/** Whether an enterprise with these registry facts lies inside the scope (for writes). */
export function scopeAllowsRegistry(
  scope: Scope,
  e: { id?: number; regionCode: string; clusterCodes?: string[] },
): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'region':
      return e.regionCode === scope.regionCode;
    case 'cluster':
      return (e.clusterCodes ?? []).includes(scope.clusterCode);
    case 'enterprise':
      return e.id === scope.enterpriseId;
    case 'none':
      return false;
  }
}
