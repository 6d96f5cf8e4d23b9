// The service capability's public entry: what other modules may use (docs/architecture.md).
export { requestCounts, DEFINITIONS as REQUEST_DEFINITIONS, type Period } from './stats.ts';
