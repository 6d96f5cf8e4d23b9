#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so there is no separate compile step for the server.
import { register } from 'tsx/esm/api';
register();
// `evaluate` needs neither the server nor the facts-changed hooks: its own entry loads a third of the
// modules (issue 13: at province scale loading everything was most of the command's time and memory)
const command = process.argv[2];
if (command === 'evaluate') await import('../src/cli/evaluate-main.ts');
// `import` and `import-batch` likewise: the import pipeline, the database and the facts-changed hooks only
else if (command === 'import' || command === 'import-batch') await import('../src/cli/import-main.ts');
else await import('../src/cli/main.ts');
