// The monitoring capability's public entry: what other modules may use (docs/architecture.md, enforced by
// lint). The rollup version changes whenever facts change, so caches keyed by it stay true.
// refreshClusterRollups: a full rebuild, for the demo generator that writes facts without the hooks.
export { refreshClusterRollups, rollupVersion } from './rollup.ts';
// Told after a refresh in this process: other capabilities' answer caches keyed by the rollup version.
export { onRollupsRefreshed } from './rollup.ts';
// Rebuilding every rollup (`clusterscope rollups refresh`, and once at preparation when rows predate
// the top firms disclosure control judges).
export { refreshAllRollups, rollupsLackTopFirms } from './rebuild.ts';
export { registerMonitoringHooks } from './hooks.ts';
// County figures the county assessment scores from.
export { countyOutput, countyLeadingFirms, lastMonthWithData, type CountyOutput } from './county.ts';
// The target ledger (issue 16) builds on the city's targets as monitoring measures them, with the same
// target sets and tier labels.
export { targets as targetProgressOfSet, cityConfig, defaultSet } from './service.ts';
export { tierCode } from './registry-targets.ts';
// The answers the pages show, for capabilities that report them (the monthly bulletin, issue 21).
export { cockpit, clusterPage, regionPage, targets, rankings, monitoringMeta } from './service.ts';
// The rollup as a relation for other modules' SQL joins (set-based; they never name the table).
export { clusterMonthRows } from './relations.ts';
// The month still open for reporting, read from the alert rules: connected by the composition root.
export { useOpenMonthSource } from './open-month.ts';
