// `npm run bench`: runs each benchmark listed here in turn (one line per capability).
// (BENCH_FACTOR scales the import bench, BENCH_READS_SCALE / BENCH_READS_SECONDS the reads bench,
// BENCH_SERVICE_SECONDS / BENCH_SERVICE_PER_MONTH the service bench)
import { spawnSync } from 'node:child_process';

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

for (const file of BENCHES) {
  if (file === './reads.ts' && !process.env.BENCH_READS_SCALE) {
    // the read goals at both scales (issue 13's table is the province's): the bench reads its scale once,
    // at load, so each scale runs in a process of its own
    for (const scale of ['city', 'province'])
      spawnSync(process.execPath, ['bin/run-ts.js', 'bench/reads.ts'], {
        stdio: 'inherit',
        env: { ...process.env, BENCH_READS_SCALE: scale },
      });
    continue;
  }
  await import(file);
}

export {};
