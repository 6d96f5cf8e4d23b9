// Public entry of the targets capability (issue 16: target ledger, reported values, county breakdown).
export {
  countyTargetProgress,
  reportedTargetsCompletion,
  reportedTargetsProgress,
  type CountyTargetRow,
} from './progress.ts';
export { ledger } from './ledger.ts';
export { generateDemoTargetReports } from './demo.ts';
// Reported values awaiting the user's review or correction (the home page's to-dos).
export { reportTodoCounts } from './reports.ts';
