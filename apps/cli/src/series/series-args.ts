/**
 * Argument parsing and dump loading shared by `leakpilot diff`, `suspects`
 * and `path`: positional dump paths, `--json`, `--top N`, `--by <grouping>`,
 * `--help`. Loading streams each file through the engine's parser (gzip or
 * plain is detected from the bytes); a typed CliUsageError carries exit
 * status 2 for bad arguments, and unreadable or non-dump files become a clear
 * one-line message with status 1 (see `reportFailure`).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseHeapDump } from '@leakpilot/shared/parse/parse-heap-dump.ts';
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export interface SeriesArgs {
  paths: string[];
  json: boolean;
  help: boolean;
  top: number;
  by: string | null;
}

export function parseSeriesArgs(argv: string[]): SeriesArgs {
  const args: SeriesArgs = { paths: [], json: false, help: false, top: 15, by: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') args.json = true;
    else if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--top' || arg === '--by') {
      const value = argv[++i];
      if (value === undefined) throw new CliUsageError(`${arg} needs a value`);
      if (arg === '--by') args.by = value;
      else {
        args.top = Number(value);
        if (!Number.isInteger(args.top) || args.top < 1) throw new CliUsageError(`--top takes a positive integer, got ${JSON.stringify(value)}`);
      }
    } else if (arg.startsWith('--')) throw new CliUsageError(`unknown option ${arg}`);
    else args.paths.push(arg);
  }
  return args;
}

/**
 * Parses one dump file; `references: false` keeps identity columns only
 * (older dumps of a diff). On a terminal, progress goes to stderr on one
 * rewritten line; piped output stays clean.
 */
export async function loadDump(path: string, references: boolean): Promise<HeapDump> {
  const { size } = await stat(path);
  const name = basename(path);
  const onProgress = process.stderr.isTTY
    ? (progress: { phase: string; doneBytes: number; objectCount: number }) =>
        process.stderr.write(`\r${name}: ${progress.phase} ${Math.round((100 * progress.doneBytes) / Math.max(size, 1))}%, ${progress.objectCount.toLocaleString('en-US')} objects\u001b[K`)
    : undefined;
  const dump = await parseHeapDump(createReadStream(path), { references, totalBytes: size, onProgress });
  if (onProgress) process.stderr.write('\r\u001b[K');
  return dump;
}

/** Typed engine errors that mean "bad input", not "bug": printed as one line. */
const EXPECTED_ERRORS = new Set(['NotAHeapDumpError', 'ParseCancelledError', 'MissingLaterDumpError', 'ObjectNotFoundError', 'EngineRequestError']);

/** Prints an error for people and returns the exit status (2 usage, 1 anything else). */
export function reportFailure(command: string, error: unknown, usage: string): number {
  if (error instanceof CliUsageError) {
    process.stderr.write(`leakpilot ${command}: ${error.message}\n\n${usage}`);
    return 2;
  }
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    process.stderr.write(`leakpilot ${command}: cannot read ${(error as { path?: string }).path ?? 'the file'} (${String(code)})\n`);
    return 1;
  }
  if (error instanceof Error && EXPECTED_ERRORS.has(error.name)) {
    process.stderr.write(`leakpilot ${command}: ${error.message}\n`);
    return 1;
  }
  throw error;
}

/**
 * The frame of every series command: parses the arguments, answers --help
 * with the usage, runs `body` and turns expected failures into exit statuses.
 */
export async function runSeriesCommand(command: string, usage: string, argv: string[], body: (args: SeriesArgs) => Promise<number>): Promise<number> {
  try {
    const args = parseSeriesArgs(argv);
    if (args.help) {
      process.stdout.write(usage);
      return 0;
    }
    return await body(args);
  } catch (error) {
    return reportFailure(command, error, usage);
  }
}
