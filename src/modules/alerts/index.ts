// The alerts capability's public entry: what other modules may use (docs/architecture.md).
export { countyAlertHandling } from './county.ts';
