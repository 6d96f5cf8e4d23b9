// Who may change what on the chain pages: the one access policy (src/domain/policy), which the server
// enforces too (src/modules/chains/service.ts); the UI only hides what would be refused.
import type { CurrentUser } from '../../api/contract.ts';
import { can, rowVisible } from '../../permissions.ts';

/** Chain structure (nodes, edges, the chain's own fields). */
export const canEditChain = (user: CurrentUser): boolean => can(user, 'chains.chain', 'manage');

/** The 招商 target library and chain projects: the city, and the agency of the chain's own cluster. */
export const canEditRoadmap = (user: CurrentUser, clusterCode: string | undefined): boolean =>
  can(user, 'chains.plan', 'update') &&
  !!clusterCode &&
  rowVisible(user, 'chains.plan', { clusterCodes: [clusterCode] });

/** Confirming, including and excluding enterprises on a node (within the user's own scope). */
export const canPlace = (user: CurrentUser): boolean => can(user, 'chains.nodeFirms', 'assign');
