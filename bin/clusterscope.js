#!/usr/bin/env node
// The CLI. `npm run build` precompiles its entries to plain JavaScript (dist/cli, scripts/build-cli.js);
// that bundle is run while it is current, and the TypeScript itself through tsx otherwise (never built,
// or a source file changed since: bin/cli-bundle.js), so there is no compile step a developer must remember.
// Loading ~400 modules through tsx cost ≈ 1 s and ≈ 100 MiB at every start (issue 13).
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
const bundle = currentBundle(entry);
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(`../src/cli/${entry}.ts`);
}
