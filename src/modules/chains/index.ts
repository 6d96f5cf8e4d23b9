// The chains capability's public entry: what other modules may use (docs/architecture.md, enforced by lint).
export { ensureAssignments, type RefreshResult } from './service.ts';
export { clusterNodeList } from './repo.ts';
export { loadChains } from './service.ts';
export { registerChainHooks } from './hooks.ts';
export { needsDecision, syncChains, type ChainSyncResult, type SyncReport } from './sync.ts';
// Nodes and placements as relations for other modules' SQL joins (set-based; they never name the tables).
export { assignedPlacements, chainNodeRows, chainNodesByCluster, nodePlacements } from './relations.ts';
