// A signed-in user for calling services directly in tests (no session): the fixture admin, city-wide.
import { scopeOf } from '../../src/domain/policy/index.ts';
import type { AuthedUser } from '../../src/server/auth-context.ts';

export function fixtureAdmin(): AuthedUser {
  const base = {
    id: 0,
    username: 'fixture',
    displayName: 'fixture',
    role: 'admin' as const,
    regionCode: null,
    regionName: null,
    clusterCode: null,
    enterpriseId: null,
    sessionTokenHash: '',
  };
  return { ...base, scope: scopeOf(base) };
}
