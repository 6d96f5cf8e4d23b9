// Public entry of the targets capability (issue 16: target ledger, reported values, county breakdown).
export { countyTargetProgress, reportedTargetsCompletion, type CountyTargetRow } from './progress.ts';
