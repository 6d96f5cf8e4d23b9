#!/usr/bin/env node
// The CLI. `npm run build` precompiles its entries to plain JavaScript (dist/cli, scripts/build-cli.js);
// that bundle is run while it is current, and the TypeScript itself through tsx otherwise (never built,
// or a source file changed since: bin/cli-bundle.js), so there is no compile step a developer must remember.
// Loading ~400 modules through tsx cost ≈ 1 s and ≈ 100 MiB at every start (issue 13).
import v8 from 'node:v8';
import { currentBundle } from './cli-bundle.js';

// `evaluate` needs neither the server nor the facts-changed hooks: its own entry loads a third of the
// modules (issue 13: at province scale loading everything was most of the command's time and memory);
// `import` and `import-batch` likewise: the import pipeline, the database and the facts-changed hooks only
const command = process.argv[2];
const entry =
  command === 'evaluate'
    ? 'evaluate-main'
    : command === 'import' || command === 'import-batch'
      ? 'import-main'
      : 'main';
if (entry === 'import-main') {
  // An import's memory is mostly garbage V8 has not collected yet: at province scale (1 million monthly rows)
  // ≈ 40–75 MB is live, but after each full collection V8 lets the old generation grow to ≈ 4× what was live
  // (its growing factor for a heap limit of several GiB) before the next, and the slices read ahead and the
  // firings encoded beside the rollups fill it. The peak was that limit, higher or lower with the live size
  // at the last full collection: 397–502 MiB from one run to the next (issue 13). A growing factor of 2
  // (the next limit twice what was live) bounds it; the collections it adds are of a small live heap, and
  // the process's CPU time was no higher. V8 reads the flag as it sets each new limit, after every full
  // collection, so setting it here (no flag on the command line) holds for the whole import.
  v8.setFlagsFromString('--heap-growing-percent=100');
}
const bundle = currentBundle(entry);
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(`../src/cli/${entry}.ts`);
}
