/**
 * The frame of every dump command: answers `--help`, parses the arguments,
 * runs the command's body and turns the failures a person can fix into one
 * line on stderr and an exit status. The statuses are the same for every
 * command:
 *   0  done
 *   1  the command ran but found nothing to show (path: no such object, or
 *      no ROOT line reaches it)
 *   2  the input is wrong: bad arguments or a wrong number of dumps
 *      (CliUsageError, followed by the synopsis), a missing or unreadable
 *      file (DumpFileError), a file that is not a heap dump
 *      (NotAHeapDumpError) or a gzip file that cannot be decompressed
 *      (ReadAheadError)
 * Every message has the form `leakpilot <command>: <what is wrong>`. Any
 * other error is a bug and is rethrown, so it shows with its stack.
 */
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { CliUsageError, parseCommandArgs, type CommandArgs, type OptionName } from './command-args.ts';
import { DumpFileError } from './open-dump.ts';
import { clearStatus } from './progress.ts';
import { ReadAheadError } from './read-ahead.ts';

export const EXIT_OK = 0;
export const EXIT_NOTHING_FOUND = 1;
export const EXIT_BAD_INPUT = 2;

export interface CommandSpec {
  name: string;
  /** the full --help text; its first line is the synopsis shown after a usage error */
  usage: string;
  options: readonly OptionName[];
}

function isInputError(error: unknown): error is Error {
  return error instanceof DumpFileError || error instanceof NotAHeapDumpError || error instanceof ReadAheadError;
}

/** Prints a failure for people and returns its exit status; rethrows bugs. */
export function reportFailure(spec: CommandSpec, error: unknown): number {
  clearStatus(process.stderr);
  if (error instanceof CliUsageError) {
    const synopsis = spec.usage.split('\n', 1)[0];
    process.stderr.write(`leakpilot ${spec.name}: ${error.message}\n${synopsis}\nRun \`leakpilot ${spec.name} --help\` for the options and examples.\n`);
    return EXIT_BAD_INPUT;
  }
  if (isInputError(error)) {
    process.stderr.write(`leakpilot ${spec.name}: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  throw error;
}

export async function runCommand(spec: CommandSpec, argv: string[], body: (args: CommandArgs) => Promise<number>): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(spec.usage);
    return EXIT_OK;
  }
  try {
    return await body(parseCommandArgs(argv, spec.options));
  } catch (error) {
    return reportFailure(spec, error);
  }
}
