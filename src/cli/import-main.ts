// `clusterscope import …` and `clusterscope import-batch …` without the rest of the CLI (bin/clusterscope.js
// sends them here): the full entry loads the server, its routes and every capability, which cost the import
// command ≈ 3 s of CPU and half its memory budget before it read one row (issue 13). This entry loads the
// import pipeline, the database and the facts-changed hooks — every one the composition root registers, so
// an import from here keeps chains, rollups, alerts and the bulletin in step exactly as before. The
// commands, their flags, output and exit codes are the same: they are the ones registered in
// src/cli/commands/import.ts and import-batch.ts, run by the same runner.
import { registerFactsHooks } from '../facts-hooks.ts';
import { register as importCommand } from './commands/import.ts';
import { register as importBatch } from './commands/import-batch.ts';
import { newProgram, runProgram } from './run-program.ts';

registerFactsHooks();

const program = newProgram();
importCommand(program);
importBatch(program);
await runProgram(program);
