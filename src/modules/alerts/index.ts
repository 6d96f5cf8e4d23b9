// The alerts capability's public entry: what other modules may use (docs/architecture.md, enforced by
// lint). The board of open alerts within a scope is read by the monthly bulletin (issue 21).
export { alertBoard } from './service.ts';
