/**
 * Parses one uncompressed dump file with several threads: the file is cut
 * into byte ranges of about equal size; this thread scans the first range
 * while a worker per other range scans its lines (parse-part.worker.ts),
 * then the workers' parts are appended to this thread's builder and the
 * whole resolved (`finishWithParts`). This thread used to wait idle for N workers: on
 * 2 vCPUs that was one more thread than cores and one more worker start.
 * Workers run the entry bundled by esbuild (worker-bundle.ts): loading the
 * TypeScript sources through tsx took each one ~0.3-0.5 s of CPU before it
 * scanned a byte. Gzip files cannot be split; callers use the read-ahead
 * parse for them. The bench measures when this pays.
 */
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { finishWithParts, splitIntoRanges, type ScanPart } from '@leakpilot/shared/parse/parse-parts.ts';
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';
import { inspectDumpFile } from './open-dump.ts';
import { scanLeadingFileRange } from './scan-file-range.ts';
import type { ParsePartWorkerData } from './parse-part.worker.ts';
import { startWorker, workerUrl, type WorkerEntry } from './worker-bundle.ts';

export const PARSE_PART_WORKER: WorkerEntry = {
  name: 'parse-part-worker',
  source: new URL('./parse-part.worker.ts', import.meta.url),
  fallback: new URL('./parse-part-worker.mjs', import.meta.url),
};

/**
 * What this thread scans while a worker starts, at 100-200 MB/s of scanning
 * (a worker from the bundle starts in ~0.05 s; from the tsx shim, when
 * bundling failed, ~0.3-0.5 s). The first range also does the merge, so a
 * head start for the workers costs little.
 */
const WORKER_START_BYTES = 16 * 1024 * 1024;

export class ParallelParseError extends Error {
  override readonly name = 'ParallelParseError';
}

type WorkerReply = { part: ScanPart } | { error: { name: string; message: string; lookedLike?: string } };

async function scanRange(data: ParsePartWorkerData): Promise<ScanPart> {
  const worker = await startWorker(PARSE_PART_WORKER, data);
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: WorkerReply) => {
      void worker.terminate();
      if ('part' in reply) resolve(reply.part);
      else if (reply.error.name === 'NotAHeapDumpError') reject(new NotAHeapDumpError(reply.error.lookedLike ?? 'not a heap dump', reply.error.message));
      else reject(new ParallelParseError(`scanning bytes ${data.start}..${data.end ?? 'end'} failed: ${reply.error.message}`));
    });
    worker.once('error', reject);
  });
}

/** `threadCount` ranges: the first on this thread, one worker per other range. */
export async function parseInParallel(path: string, threadCount: number, options: { references?: boolean } = {}): Promise<HeapDump> {
  // the bundle is checked (or built) while the file is inspected
  const [file] = await Promise.all([inspectDumpFile(path), workerUrl(PARSE_PART_WORKER)]);
  if (file.gzip) throw new ParallelParseError(`${path} is gzip-compressed: a gzip stream cannot be split into ranges`);
  const references = options.references ?? true;
  const ranges = splitIntoRanges(file.sizeBytes, threadCount).map(({ start, end }) => ({ path, start, end, sizeBytes: file.sizeBytes, references }));
  // This thread starts scanning at once, a worker only after loading the
  // sources: the first range takes the bytes scanned meanwhile off the second.
  const second = ranges[1];
  if (second !== undefined) {
    const secondBytes = (second.end ?? file.sizeBytes) - second.start;
    const shift = Math.min(WORKER_START_BYTES, Math.floor(secondBytes / 2));
    ranges[0].end = second.start + shift;
    second.start += shift;
  }
  // workers first, so they start while this thread scans
  const inWorkers = Promise.all(ranges.slice(1).map((range) => scanRange(range)));
  // the worker promises get their handlers now, so a failing worker is never an unhandled rejection
  const [leading, parts] = await Promise.all([scanLeadingFileRange(ranges[0]), inWorkers]);
  return finishWithParts(leading, parts, { references });
}
