// How every clusterscope entry parses its arguments and exits: 0 done (help and version too), 2 usage
// error, 1 refused or failed (an AppError's detail, or the error's message, on stderr).
import { Command, CommanderError } from 'commander';
import { AppError } from '../server/errors.ts';

/** The program every entry starts from: same name, same description, errors thrown to runProgram. */
export function newProgram(): Command {
  return new Command()
    .name('clusterscope')
    .description('Industrial-cluster monitoring platform')
    .exitOverride();
}

export async function runProgram(program: Command, argv: string[] = process.argv): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        process.exit(0);
      if (error.exitCode === 2 || error.code.startsWith('commander.')) {
        if (error.code === 'usage') console.error(`error: ${error.message}`);
        process.exit(2);
      }
    }
    if (error instanceof AppError) {
      console.error(`error: ${error.detail}`);
      process.exit(1);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
