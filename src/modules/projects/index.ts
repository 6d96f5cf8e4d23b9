// The projects capability's public entry: what other modules may use (docs/architecture.md, enforced by
// lint). The stalled list within a scope is read by the monthly bulletin (issue 21).
export { stalledProjects } from './service.ts';
