// The projects capability's public entry: what other modules may use (docs/architecture.md).
export { countyInvestment } from './county.ts';
