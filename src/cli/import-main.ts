// `clusterscope import …` and `clusterscope import-batch …` without the rest of the CLI (bin/clusterscope.js
// sends them here): the full entry loads the server, its routes and every capability, which cost the import
// command ≈ 3 s of CPU and half its memory budget before it read one row (issue 13). This entry loads the
// import pipeline, the database and the facts-changed hooks — every one the composition root registers, so
// an import from here keeps chains, rollups, alerts and the bulletin in step exactly as before. The
// commands, their flags, output and exit codes are the same: they are the ones registered in
// src/cli/commands/import.ts and import-batch.ts, run by the same runner.
import v8 from 'node:v8';
import { registerFactsHooks } from '../facts-hooks.ts';
import { register as importCommand } from './commands/import.ts';
import { register as importBatch } from './commands/import-batch.ts';
import { newProgram, runProgram } from './run-program.ts';

// An import's memory is mostly garbage V8 has not collected yet: at province scale (1 million monthly rows)
// ≈ 40–75 MB is live, but after each full collection V8 lets the old generation grow to ≈ 4× what was live
// (its growing factor for a heap limit of several GiB) before the next, and the slices read ahead and the
// firings encoded beside the rollups fill it. The peak was that limit, higher or lower with the live size
// at the last full collection: 397–502 MiB from one run to the next (issue 13). A growing factor of 2
// (the next limit twice what was live) bounds it: 254–278 MiB. The collections it adds are of a small live
// heap: at province scale the process's CPU time was the same within its run-to-run spread; a 100,000-row
// xlsx, whose peak is ≈ 210 MiB either way, pays ≈ 0.2–0.3 s more CPU of V8's concurrent marking. V8 reads
// the flag as it sets each new limit, after every full collection, so setting it as the entry starts (no
// flag on the command line) holds for the whole import.
v8.setFlagsFromString('--heap-growing-percent=100');
registerFactsHooks();

const program = newProgram();
importCommand(program);
importBatch(program);
await runProgram(program);
