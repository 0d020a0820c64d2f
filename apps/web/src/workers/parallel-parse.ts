/**
 * Parses one large plain dump File/Blob in several byte ranges at once
 * (LeakPilot issue 2): the engine worker scans the first range itself
 * (`scanLeadingPart`, straight into the builder the others are appended to),
 * short-lived part workers (dump-part.worker.ts) scan the others from the
 * same Blob, and `finishWithParts` appends their parts in file order and
 * resolves the whole: the same HeapDump as `parseHeapDump` on the file.
 *
 * `rangeCountFor` decides: only a Blob (never a URL or transferred stream),
 * not gzip (a gzip stream cannot be split), without a UTF-8 BOM (the
 * one-thread parse steps over it; a range scan does not), at least
 * PARALLEL_MIN_BYTES, on a machine with 3+ cores; then min(4, cores - 1)
 * ranges: the browser spends most of a core delivering the Blob's bytes
 * (~0.3 s per 300 MB in Chromium), and on 2 cores 2 ranges measured no
 * faster than one thread (1.23-1.29 s vs 1.18-1.33 s on 300 MB) for ~50 MB
 * more memory. Anything else is parsed by one thread.
 *
 * Invariants: every part worker ends when the parse ends, succeeds, fails
 * or is cancelled (cancel terminates the engine worker, which ends the part
 * workers it started; they are also terminated here). A failure is the
 * typed error the one-thread parse gives: the first range's (it alone sniffs
 * the file: NotAHeapDumpError) before any part's. Progress is the bytes read
 * over all ranges, each range counting at most its own bytes (monotonic).
 * When no part worker can run (the browser refuses to create one, or its
 * script does not load), `PartWorkersUnavailableError` is thrown before any
 * byte is read or reported, and the engine host parses on one thread.
 *
 * Rejected: the CLI's dynamic range claims and shared address table
 * (apps/cli/src/shared-cli/parallel-parse.ts) need SharedArrayBuffer, so
 * cross-origin isolation of the whole PWA; fixed equal ranges need neither.
 */
import { ParseCancelledError } from '@leakpilot/shared/parse/errors.ts';
import { finishWithParts, rangeCut, scanLeadingPart, splitIntoRanges, type ScanPart } from '@leakpilot/shared/parse/parse-parts.ts';
import type { ParseProgress } from '@leakpilot/shared/parse/parse-heap-dump.ts';
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';
import { EngineWorkerCrashedError } from '../lib/engine-client/engine-worker-slot.ts';
import { errorOfPart, type DumpPartReply, type DumpPartRequest } from './dump-part-protocol.ts';
import { countingStream, RangeProgress, type RangeReadCount } from './range-progress.ts';

/** smaller files parse fast enough on one thread to not pay for starting workers */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;
/** one core is left to the browser reading the file */
const MIN_CORES = 3;
/** more ranges add merge copies and memory (each part's columns until merged) for little more speed */
export const MAX_RANGES = 4;

export interface RangeParseOptions {
  references?: boolean;
  stringPrefixBytes?: number;
  onProgress?: (progress: ParseProgress) => void;
}

/**
 * How many ranges to parse `blob` in; 1 = one thread. `forcedRanges` (tests,
 * benches) skips the size and core checks, never the format checks.
 */
export async function rangeCountFor(blob: Blob, cores: number, forcedRanges?: number): Promise<number> {
  if (forcedRanges === undefined && (blob.size < PARALLEL_MIN_BYTES || cores < MIN_CORES)) return 1;
  if (forcedRanges !== undefined && forcedRanges <= 1) return 1;
  const head = await readHead(blob, 3);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  if (gzip || bom) return 1;
  return forcedRanges ?? Math.min(MAX_RANGES, cores - 1);
}

/**
 * The first bytes of `blob`, read as the parse reads it (a stream), so a file
 * that cannot be read fails as on the one-thread path: Chromium's stream
 * says "TypeError: network error" where arrayBuffer() says NotReadableError.
 */
async function readHead(blob: Blob, byteCount: number): Promise<Uint8Array> {
  // A reader, not `for await`: Safari's streams are not async iterable.
  const reader = (blob.slice(0, byteCount).stream() as ReadableStream<Uint8Array>).getReader();
  const head = new Uint8Array(byteCount);
  let filled = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    head.set(read.value.subarray(0, byteCount - filled), filled);
    filled += Math.min(read.value.length, byteCount - filled);
  }
  return head.subarray(0, filled);
}

/**
 * No part worker could run (the browser refused to create one, or its script
 * did not load): nothing was read yet, so the caller parses on one thread.
 */
export class PartWorkersUnavailableError extends Error {
  override readonly name = 'PartWorkersUnavailableError';
}

function newPartWorker(): Worker {
  try {
    return new Worker(new URL('./dump-part.worker.ts', import.meta.url), { type: 'module', name: 'leakpilot-dump-part' });
  } catch (error) {
    throw new PartWorkersUnavailableError(`a dump part worker could not be created: ${(error as Error).message}`);
  }
}

interface PartScan {
  /** true once the worker runs; false if it failed before (its script did not load) */
  started: Promise<boolean>;
  part: Promise<ScanPart>;
}

/** Scans one range in a part worker; `part` rejects with the typed error it reported, or EngineWorkerCrashedError if it died. */
function scanInPartWorker(worker: Worker, request: DumpPartRequest, onProgress: (count: RangeReadCount) => void): PartScan {
  let markStarted: (running: boolean) => void = () => undefined;
  const started = new Promise<boolean>((resolve) => (markStarted = resolve));
  const part = new Promise<ScanPart>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<DumpPartReply>) => {
      const reply = event.data;
      markStarted(true);
      if (reply.kind === 'progress') onProgress(reply.count);
      else if (reply.kind === 'done') resolve(reply.part);
      else if (reply.kind === 'failed') reject(errorOfPart(reply.error));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      markStarted(false);
      reject(new EngineWorkerCrashedError(event.message || 'a dump part worker stopped'));
    });
    worker.postMessage(request);
  });
  return { started, part };
}

export async function parseBlobInRanges(blob: Blob, rangeCount: number, options: RangeParseOptions): Promise<HeapDump> {
  const ranges = splitIntoRanges(blob.size, rangeCount);
  const rangeBytes = ranges.map((range) => (range.end ?? blob.size) - range.start);
  const { onProgress } = options;
  const progress = new RangeProgress(rangeBytes, (doneBytes, linesRead) => onProgress?.({ phase: 'read', doneBytes, totalBytes: blob.size, objectCount: linesRead }));
  const workers: Worker[] = [];
  // A failed part stops the first range's scan at its next chunk.
  const stopLeading = new AbortController();
  let firstPartError: Error | null = null;
  try {
    const starts: Promise<boolean>[] = [];
    const partScans = ranges.slice(1).map((range, offset) => {
      const rangeIndex = offset + 1;
      const { streamStart, cut } = rangeCut(range.start, range.end);
      const worker = newPartWorker();
      workers.push(worker);
      const request: DumpPartRequest = { blob, streamStart, cut, rangeBytes: rangeBytes[rangeIndex], references: options.references, stringPrefixBytes: options.stringPrefixBytes };
      const scan = scanInPartWorker(worker, request, (count) => progress.update(rangeIndex, count));
      starts.push(scan.started);
      return scan.part.then(
        (part) => {
          progress.finish(rangeIndex);
          return part;
        },
        (error: Error) => {
          firstPartError ??= error;
          stopLeading.abort();
          throw error;
        },
      );
    });
    // Awaited in order below; until then a rejection must not count as unhandled.
    for (const scan of partScans) scan.catch(() => undefined);

    // A nested worker is loaded through its parent's thread: started while
    // this thread scans, the part workers began ~0.7 s late (300 MB dump,
    // 2 ranges), so the first range waits for them to run.
    if ((await Promise.all(starts)).includes(false)) throw new PartWorkersUnavailableError('a dump part worker did not start');
    const { streamStart, cut } = rangeCut(ranges[0].start, ranges[0].end);
    const leadingStream = countingStream(blob.slice(streamStart).stream() as ReadableStream<Uint8Array>, (count) => progress.update(0, count));
    const leading = await scanLeadingPart(leadingStream, cut, {
      fileBytes: blob.size,
      references: options.references,
      stringPrefixBytes: options.stringPrefixBytes,
      signal: stopLeading.signal,
    }).catch((error: unknown) => {
      throw firstPartError !== null && error instanceof ParseCancelledError ? firstPartError : error;
    });
    progress.finish(0);
    const parts = await Promise.all(partScans);
    onProgress?.({ phase: 'resolve', doneBytes: blob.size, totalBytes: blob.size, objectCount: progress.linesRead });
    return finishWithParts(leading, parts, { references: options.references });
  } finally {
    for (const worker of workers) worker.terminate();
  }
}
