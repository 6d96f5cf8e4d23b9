// The service (96871) capability's public entry: what other modules, the server's route registry, the composition
// root, the CLI and the demo may use (docs/architecture.md, enforced by lint).
export { serviceRoutes } from './routes.ts';
export { ensureServiceUnits } from './units.ts';
export { generateDemoRequests, linkDemoUnitMembers } from './demo.ts';
