// The alerts capability's public entry: what other modules, the server's route registry, the composition
// root, the CLI and the demo may use (docs/architecture.md, enforced by lint).
export { alertRoutes } from './routes.ts';
export { registerAlertHooks } from './hooks.ts';
export { evaluateDemoAlerts } from './demo.ts';
export { countyAlertHandling } from './county.ts';
