/**
 * Argument parsing shared by every dump command (summary, diff, suspects,
 * path): positional arguments, `--json`, `--top N`, `--by <grouping>`,
 * `--help`/`-h`. Each command names the options it takes; any other option,
 * a missing value or a bad `--top` is a `CliUsageError` (exit status 2, see
 * run-command.ts). Defaults are the command's business: `top` and `by` are
 * null when not given.
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export type OptionName = 'json' | 'top' | 'by';

export interface CommandArgs {
  /** positional arguments in order: dump paths (and the address for `path`) */
  positionals: string[];
  json: boolean;
  help: boolean;
  top: number | null;
  by: string | null;
}

function parsePositiveInteger(option: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new CliUsageError(`${option} takes a positive integer, got ${JSON.stringify(value)}`);
  return parsed;
}

export function parseCommandArgs(argv: string[], accepted: readonly OptionName[]): CommandArgs {
  const args: CommandArgs = { positionals: [], json: false, help: false, top: null, by: null };
  const takes = (option: OptionName, arg: string): void => {
    if (!accepted.includes(option)) throw new CliUsageError(`unknown option ${arg}`);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--json') {
      takes('json', arg);
      args.json = true;
    } else if (arg === '--top' || arg === '--by') {
      takes(arg === '--top' ? 'top' : 'by', arg);
      const value = argv[++i];
      if (value === undefined) throw new CliUsageError(`${arg} needs a value`);
      if (arg === '--top') args.top = parsePositiveInteger(arg, value);
      else args.by = value;
    } else if (arg.startsWith('-') && arg.length > 1) throw new CliUsageError(`unknown option ${arg}`);
    else args.positionals.push(arg);
  }
  return args;
}
