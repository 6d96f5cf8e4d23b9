// The monitoring capability's public entry: what other modules may use (docs/architecture.md, enforced by
// lint). The rollup version changes whenever facts change, so caches keyed by it stay true.
// refreshClusterRollups: a full rebuild, for the demo generator that writes facts without the hooks.
export { refreshClusterRollups, rollupVersion } from './rollup.ts';
export { monitoringRoutes } from './routes.ts';
export { registerMonitoringHooks } from './hooks.ts';
