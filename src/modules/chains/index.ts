// The chains capability's public entry: what other modules may use (docs/architecture.md, enforced by
// lint). The cluster index places firms on chain nodes before it computes (ensureAssignments).
export { ensureAssignments } from './service.ts';
