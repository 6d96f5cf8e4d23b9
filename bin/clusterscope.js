#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so there is no separate compile step for the server.
import { register } from 'tsx/esm/api';
register();
// `evaluate` needs neither the server nor the facts-changed hooks: its own entry loads a third of the
// modules (issue 13: at province scale loading everything was most of the command's time and memory)
if (process.argv[2] === 'evaluate') await import('../src/cli/evaluate-main.ts');
else await import('../src/cli/main.ts');
