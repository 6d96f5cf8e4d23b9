// The evaluation capability's public entry: what other modules may use (docs/architecture.md).
export { countyPerMu, type CountyPerMu } from './county.ts';
