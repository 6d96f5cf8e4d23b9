// Who may change what on the chain pages. The server enforces the same rules
// (src/modules/chains/service.ts); the UI only hides what would be refused.
import type { CurrentUser } from '../../api/contract.ts';

/** Chain structure (nodes, edges, the chain's own fields): administrators only. */
export const canEditChain = (user: CurrentUser): boolean => user.role === 'admin';

/** The 招商 target library and chain projects: administrators and the chain's cluster agency. */
export const canEditRoadmap = (user: CurrentUser, clusterCode: string | undefined): boolean =>
  user.role === 'admin' ||
  (user.role === 'cluster_agency' && !!clusterCode && user.clusterCode === clusterCode);

/** Confirming, including and excluding enterprises on a node. */
export const canPlace = (user: CurrentUser): boolean =>
  user.role === 'admin' || user.role === 'county' || user.role === 'cluster_agency';
