// The enterprise registry's public entry: what other modules may use (docs/architecture.md, enforced by
// lint).
export { getEnterpriseProfile } from './service.ts';
export { enterpriseRoutes } from './routes.ts';
