/**
 * Opens and parses one dump file the way every CLI command should, with
 * progress on a terminal and typed errors for a missing file
 * (`DumpFileError`) or a file that is not a dump (`NotAHeapDumpFileError`,
 * a NotAHeapDumpError naming the file). `references: false` keeps identity
 * columns only (the older dumps of a diff) on every strategy: the parallel
 * workers skip references too.
 *
 * Strategy `auto` (the default): a plain file of 64 MiB or more on a machine
 * with 2+ CPUs is scanned by parsing workers over byte ranges (measured by
 * `npm run bench`: it pays even on 2 vCPUs), anything else (gzip, small
 * files, a cancellable parse) is read ahead and gunzipped on a worker thread
 * while this thread parses. `one-thread` reads on the parser's thread.
 */
import { availableParallelism } from 'node:os';
import { parseHeapDump, type ParseOptions } from '@leakpilot/shared/parse/parse-heap-dump.ts';
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { inspectDumpFile, NotAHeapDumpFileError, openDumpStream, type DumpFileInfo } from './open-dump.ts';
import { parseInParallel } from './parallel-parse.ts';
import { readAheadStream } from './read-ahead.ts';
import { clearStatus, progressLine, showStatus } from './progress.ts';

export type LoadStrategy = 'auto' | 'read-ahead' | 'one-thread' | 'parallel';

export interface LoadOptions extends Omit<ParseOptions, 'totalBytes' | 'onProgress'> {
  /** default 'auto' */
  strategy?: LoadStrategy;
  /** names the dump on the progress line (default: its path) */
  label?: string;
}

const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;
const MAX_PARSING_WORKERS = 4;

function chooseStrategy(file: DumpFileInfo, options: LoadOptions): Exclude<LoadStrategy, 'auto'> {
  if (options.strategy !== undefined && options.strategy !== 'auto') return options.strategy;
  const parallelWorks = !file.gzip && file.sizeBytes >= PARALLEL_MIN_BYTES && availableParallelism() >= 2 && options.signal === undefined;
  return parallelWorks ? 'parallel' : 'read-ahead';
}

export async function loadDumpFile(path: string, options: LoadOptions = {}): Promise<HeapDump> {
  try {
    return await loadChosenStrategy(path, options);
  } catch (error) {
    if (error instanceof NotAHeapDumpError && !(error instanceof NotAHeapDumpFileError)) throw new NotAHeapDumpFileError(path, error);
    throw error;
  }
}

async function loadChosenStrategy(path: string, options: LoadOptions): Promise<HeapDump> {
  const { strategy: requested, label = path, ...parseOptions } = options;
  const file = await inspectDumpFile(path);
  const strategy = chooseStrategy(file, { ...parseOptions, strategy: requested });
  if (strategy === 'parallel') {
    const workers = Math.max(2, Math.min(availableParallelism(), MAX_PARSING_WORKERS));
    showStatus(process.stderr, `${label}: parsing with ${workers} workers…`);
    try {
      return await parseInParallel(path, workers, { references: parseOptions.references });
    } finally {
      clearStatus(process.stderr);
    }
  }
  const readAhead = strategy === 'read-ahead';
  const stream = readAhead ? readAheadStream(path) : (await openDumpStream(path)).stream;
  const progress = progressLine(process.stderr, label, file.sizeBytes);
  // The read-ahead worker gunzips, so the parser then counts plain bytes:
  // the compressed size would make a wrong progress total and column estimate.
  const totalBytes = readAhead && file.gzip ? undefined : file.sizeBytes;
  try {
    return await parseHeapDump(stream, { ...parseOptions, totalBytes, onProgress: progress.onProgress });
  } finally {
    progress.done();
  }
}
