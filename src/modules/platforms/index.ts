// Public entry of the platforms register (平台载体, issue 16 item 4): the counts other
// capabilities (targets, county assessment) read.
export { platformCountHistory, clustersWithPlatformHistory, platformsByCounty } from './counts.ts';
// The register as a relation for other modules' SQL joins (set-based; they never name the table).
export { platformRows } from './relations.ts';
