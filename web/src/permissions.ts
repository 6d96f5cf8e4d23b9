// What the UI offers to whom. The server enforces the same rules; this only hides what would be
// refused, so that nobody is shown a button that can only fail.
import type { CurrentUser } from './api/contract.ts';

export function canCreateEnterprise(user: CurrentUser): boolean {
  return user.role === 'admin' || (user.role === 'county' && user.regionCode !== null);
}

export function canEditEnterprise(
  user: CurrentUser,
  enterprise: { id: number; regionCode: string },
): boolean {
  switch (user.role) {
    case 'admin':
      return true;
    case 'county':
      return user.regionCode !== null && user.regionCode === enterprise.regionCode;
    case 'enterprise':
      return user.enterpriseId === enterprise.id;
    default:
      return false;
  }
}

/**
 * An enterprise user keeps its own contact details current; registry facts (county, industry,
 * scale, status …) are maintained by the officials who verify them.
 */
export function editsRegistryFacts(user: CurrentUser): boolean {
  return user.role === 'admin' || user.role === 'county';
}

export function canSeeAudit(user: CurrentUser): boolean {
  return user.role === 'admin' || user.role === 'auditor';
}
