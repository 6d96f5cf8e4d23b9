// What the UI offers to whom: the one access policy of the server (src/domain/policy), read here so that
// nobody is shown a menu entry, page or button that can only be refused. The server enforces the same
// table; the route × role matrix test (test/integration/policy-matrix.test.ts) proves it.
import {
  can,
  decide,
  rowVisible,
  type Action,
  type Decision,
  type Resource,
} from '../../src/domain/policy/index.ts';
import type { CurrentUser } from './api/contract.ts';

export { can, decide, rowVisible, type Action, type Decision, type Resource };

export function canCreateEnterprise(user: CurrentUser): boolean {
  return can(user, 'enterprises.enterprise', 'create');
}

export function canEditEnterprise(
  user: CurrentUser,
  enterprise: { id: number; regionCode: string },
): boolean {
  return (
    can(user, 'enterprises.enterprise', 'update') &&
    rowVisible(user, 'enterprises.enterprise', {
      enterpriseId: enterprise.id,
      regionCode: enterprise.regionCode,
    })
  );
}

/**
 * An enterprise user keeps its own contact details current; registry facts (county, industry,
 * scale, status …) are maintained by the officials who verify them — those who may register firms.
 */
export function editsRegistryFacts(user: CurrentUser): boolean {
  return can(user, 'enterprises.enterprise', 'create');
}

export function canSeeAudit(user: CurrentUser): boolean {
  return can(user, 'audit.entry', 'read');
}

/** Uploading data files (the import wizard); reading the history is `imports.import` read. */
export function canImport(user: CurrentUser): boolean {
  return can(user, 'imports.import', 'import');
}
