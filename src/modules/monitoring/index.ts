// The monitoring capability's public entry: what other modules may use (docs/architecture.md, enforced by
// lint). The rollup version changes whenever facts change, so caches keyed by it stay true.
export { rollupVersion } from './rollup.ts';
// The answers the pages show, for capabilities that report them (the monthly bulletin, issue 21).
export { cockpit, clusterPage, regionPage, targets, rankings, monitoringMeta } from './service.ts';
