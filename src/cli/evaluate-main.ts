// `clusterscope evaluate …` without the rest of the CLI (bin/clusterscope.js sends it here): the full
// entry loads the server, every capability and the facts-changed hooks, which at province scale was
// more time and memory than the evaluation itself (issue 13). The command, its flags, output and exit
// codes are the same: it is the one registered in src/cli/commands/evaluate.ts, run by the same runner.
import { register } from './commands/evaluate.ts';
import { newProgram, runProgram } from './run-program.ts';

const program = newProgram();
register(program);
await runProgram(program);
