// The fact tables as relations for other modules' SQL joins: the light public entry beside index.ts (which
// also carries the pipeline, the file readers and ExcelJS), so a reader of the facts loads only these.
export {
  annualInputRows,
  factsChangeStamp,
  factsReferenceYear,
  factsReferenceYearSql,
  factsYears,
  monthlyFactRows,
} from './fact-rows.ts';
