// Spreadsheet imports, the pure part: cells, column definitions, header detection, row reading and
// cross-row checks, problems. Readers (xlsx, csv) and the database live in src/modules/imports.
export * from './cells.ts';
export * from './columns.ts';
export * from './header.ts';
export * from './problems.ts';
export * from './rows.ts';
