// The enterprise registry's public entry: what other modules may use (docs/architecture.md, enforced by
// lint).
export { getEnterpriseProfile } from './service.ts';
// The registry as relations for other modules' SQL joins (set-based; they never name the tables).
export { currentMemberships, registryChangeStamps, registryRows } from './relations.ts';
// The registry's change stamps as one read shared by every kept-answer cache of the process.
export { membershipHistory, readRegistryStamps, tierRows } from './relations.ts';
// Tiers other capabilities confer (cultivation's recognitions), written in their transaction.
export { recordTiers, removeTiersFrom, type TierRecord } from './tiers.ts';
// The composition root's facts hooks: every import forgets the kept registry lists.
export { registerEnterpriseHooks } from './answers.ts';
