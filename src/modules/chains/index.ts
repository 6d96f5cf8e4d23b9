// The chains capability's public entry: what other modules may use (docs/architecture.md, enforced by lint).
export { ensureAssignments, type RefreshResult } from './service.ts';
