// `npm run bench`: runs each benchmark listed here in turn (one line per capability).
// (BENCH_FACTOR scales the import bench, BENCH_READS_SCALE / BENCH_READS_SECONDS the reads bench,
// BENCH_SERVICE_SECONDS / BENCH_SERVICE_PER_MONTH the service bench)
const BENCHES = [
  './evaluation.ts',
  './monitoring.ts',
  './imports.ts',
  './chains.ts',
  './reads.ts',
  './service.ts',
  './bulletin.ts',
  './first-start.ts',
];

for (const file of BENCHES) await import(file);

export {};
