// The imports capability's public entry: what other modules may use (docs/architecture.md, enforced by
// lint). Facts-changed hooks let other capabilities follow every committed or rolled-back import.
export { onFactsChanged, runFactsChanged, type FactsChange, type FactsChangedHook } from './service.ts';
// The xlsx guard (zip bomb, entry count, cell limits) for capabilities that read uploaded workbooks themselves.
export { guardXlsx, XlsxRefused } from './zip-guard.ts';
// A small uploaded workbook read whole through the imports' own scanner (bad numbers kept as text, damage refused).
export { readWorkbook, type WorkbookRead, type WorkbookSheet } from './workbook.ts';
// Background work the composition root (src/composition.ts) starts for a server process.
export { recoverAtStart } from './recovery.ts';
export { startUploadSweeper } from './uploads.ts';
export { waitForJobs } from './jobs.ts';
// the CLI's import commands (foreground jobs in their own process)
export { commitLocalBatch, commitLocalFile } from './foreground.ts';
export type { JobControl } from './jobs.ts';
export type { PassResult } from './pipeline.ts';
export { analyseFile, sha256OfFile, type Importer } from './service.ts';
export { problemReport } from './xlsx.ts';
export { analyseBatch, batchKindsProblem, batchOrder, committedDuplicates } from './batches.ts';
// The fact tables as relations for other modules' SQL joins (set-based; they never name the tables).
export { committedImportOf } from './duplicates.ts';
export {
  annualInputRows,
  factsChangeStamp,
  factsReferenceYear,
  factsReferenceYearSql,
  factsYears,
  monthlyFactRows,
} from './fact-rows.ts';
