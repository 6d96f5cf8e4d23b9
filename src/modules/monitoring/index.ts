// The monitoring capability's public entry: what other modules may use (docs/architecture.md, enforced by
// lint). The rollup version changes whenever facts change, so caches keyed by it stay true.
export { rollupVersion } from './rollup.ts';
export { countyOutput, countyLeadingFirms, lastMonthWithData, type CountyOutput } from './county.ts';
