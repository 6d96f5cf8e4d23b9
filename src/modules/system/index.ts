// The system capability's public entry: what other modules, the server's route registry, the composition
// root, the CLI and the demo may use (docs/architecture.md, enforced by lint).
export { systemRoutes } from './routes.ts';
