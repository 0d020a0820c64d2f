/**
 * Opens and parses one dump file the way every CLI command should, with
 * progress on a terminal and typed errors for a missing file
 * (`DumpFileError`) or a file that is not a dump (`NotAHeapDumpFileError`,
 * a NotAHeapDumpError naming the file). `references: false` keeps identity
 * columns only on every strategy: the parallel workers skip references too.
 * The older dumps of a diff skip the HeapDump altogether (loadDumpDigest).
 *
 * Strategy `auto` (the default):
 * - gzip: read ahead on a worker thread, which gunzips while this thread
 *   parses (a gzip stream cannot be split into ranges);
 * - plain, full parse, 64 MiB or more, 2+ CPUs, not cancellable: parsing
 *   workers over byte ranges (measured by `npm run bench`: it pays even on
 *   2 vCPUs);
 * - any other plain file: parsed on this thread, the reads already running
 *   on libuv's threads (file-range-reader.ts). A read-ahead worker did not
 *   pay for a plain file: 294-368 ms against 244-258 ms on a 50 MB dump,
 *   2.67-3.33 s against 2.61-2.95 s on the 1 GB bench dump (its start-up
 *   and the transfers cost more than the copies it takes off this thread).
 *
 * Why identity-only parses (and digests) are neither split nor read ahead:
 * the split keeps the workers' parts and the merged columns alive together,
 * the read-ahead keeps transferred buffers until they are collected, and for
 * the identity columns neither saved time. Measured on the 3-dump diff of
 * the three ~1 GB bench dumps (3.3 M objects in the largest): split 6.4-7.4 s
 * and 396-400 MiB peak against 7.1-7.3 s and 263-275 MiB on one thread. The
 * diff gets its speed from parsing two dumps at once instead
 * (series-digests.ts).
 */
import { availableParallelism } from 'node:os';
import type { DumpDigest } from '@leakpilot/shared/diff/dump-digest.ts';
import { parseDumpDigest } from '@leakpilot/shared/diff/parse-dump-digest.ts';
import type { ParseProblemReport } from '@leakpilot/shared/parse/problems.ts';
import { parseHeapDump, type ParseOptions } from '@leakpilot/shared/parse/parse-heap-dump.ts';
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { inspectDumpFile, NotAHeapDumpFileError, openDumpStream, type DumpFileInfo } from './open-dump.ts';
import { COLUMN_RESERVE_BYTES } from './column-reserve.ts';
import { parseInParallel } from './parallel-parse.ts';
import { tuneV8ForParallelParsing } from './v8-tuning.ts';
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
const MAX_PARSING_THREADS = 4;

export function chooseStrategy(file: DumpFileInfo, options: LoadOptions): Exclude<LoadStrategy, 'auto'> {
  if (options.strategy !== undefined && options.strategy !== 'auto') return options.strategy;
  if (file.gzip) return 'read-ahead';
  if (options.references === false) return 'one-thread';
  const parallelWorks = file.sizeBytes >= PARALLEL_MIN_BYTES && availableParallelism() >= 2 && options.signal === undefined;
  return parallelWorks ? 'parallel' : 'one-thread';
}

export async function loadDumpFile(path: string, options: LoadOptions = {}): Promise<HeapDump> {
  return namingTheFile(path, async () => {
    const dump = await loadChosenStrategy(path, options);
    warnIfCutOff(path, dump.problems, dump.objectCount);
    return dump;
  });
}

/**
 * A dump read straight into its DumpDigest (parseDumpDigest: identity only,
 * never a HeapDump), for the older dumps of `diff` and `suspects`: on this
 * thread for a plain file, read ahead by a gunzipping worker for gzip, with
 * the same progress line, warnings and errors as loadDumpFile.
 */
export async function loadDumpDigest(path: string, options: { label?: string } = {}): Promise<DumpDigest> {
  return namingTheFile(path, async () => {
    const file = await inspectDumpFile(path);
    const { digest, problems } = await readWithProgress(path, file, file.gzip, options.label ?? path, (stream, reading) =>
      parseDumpDigest(stream, { ...reading, minColumnBytes: COLUMN_RESERVE_BYTES }),
    );
    warnIfCutOff(path, problems, digest.objectCount);
    return digest;
  });
}

/**
 * Runs `parse` over the file's bytes, read on this thread or ahead on a
 * worker (`readAhead`), with a progress line labelled `label`.
 */
async function readWithProgress<T>(
  path: string,
  file: DumpFileInfo,
  readAhead: boolean,
  label: string,
  parse: (stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, reading: Pick<ParseOptions, 'totalBytes' | 'onProgress'>) => Promise<T>,
): Promise<T> {
  const stream = readAhead ? readAheadStream(path) : (await openDumpStream(path)).stream;
  const progress = progressLine(process.stderr, label, file.sizeBytes);
  // The read-ahead worker gunzips, so the parser then counts plain bytes:
  // the compressed size would make a wrong progress total and column estimate.
  const totalBytes = readAhead && file.gzip ? undefined : file.sizeBytes;
  try {
    return await parse(stream, { totalBytes, onProgress: progress.onProgress });
  } finally {
    progress.done();
  }
}

/** A file that is not a dump fails as a NotAHeapDumpFileError naming it. */
async function namingTheFile<T>(path: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof NotAHeapDumpError && !(error instanceof NotAHeapDumpFileError)) throw new NotAHeapDumpFileError(path, error);
    throw error;
  }
}

/**
 * A dump cut off part way (a partial gzip) is still analysed with what it
 * holds; one line on stderr says so, since every figure then covers only the
 * objects before the cut.
 */
function warnIfCutOff(path: string, problems: ParseProblemReport, objectCount: number): void {
  const cut = problems.samples.find((problem) => problem.reason === 'truncated-input');
  if (cut === undefined) return;
  process.stderr.write(`warning: ${path}: ${cut.message} (${objectCount} objects)\n`);
}

async function loadChosenStrategy(path: string, options: LoadOptions): Promise<HeapDump> {
  const { strategy: requested, label = path, ...parseOptions } = options;
  const file = await inspectDumpFile(path);
  const strategy = chooseStrategy(file, { ...parseOptions, strategy: requested });
  if (strategy === 'parallel') {
    // parseInParallel scans one range on this thread and one per worker
    const threads = Math.max(2, Math.min(availableParallelism(), MAX_PARSING_THREADS));
    showStatus(process.stderr, `${label}: parsing on ${threads} threads (${threads - 1} ${threads === 2 ? 'worker' : 'workers'} + this one)…`);
    tuneV8ForParallelParsing();
    try {
      return await parseInParallel(path, threads, { references: parseOptions.references });
    } finally {
      clearStatus(process.stderr);
    }
  }
  return readWithProgress(path, file, strategy === 'read-ahead', label, (stream, reading) =>
    parseHeapDump(stream, { ...parseOptions, ...reading, minColumnBytes: COLUMN_RESERVE_BYTES }),
  );
}
