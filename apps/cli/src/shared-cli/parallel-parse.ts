/**
 * Parses one uncompressed dump file with several threads: the file is cut
 * into byte ranges of about equal size; this thread scans the first range
 * while a worker per other range scans its lines (parse-part.worker.ts),
 * then the workers' parts are appended to this thread's builder and the
 * whole resolved (`finishWithParts`). This thread used to wait idle for N workers: on
 * 2 vCPUs that was one more thread than cores and one more worker start
 * (each loads the TypeScript sources through tsx, ~0.3 s of CPU). Gzip files cannot be split; callers
 * use the one-thread parse for them. The bench measures when this pays.
 */
import { Worker } from 'node:worker_threads';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { finishWithParts, splitIntoRanges, type ScanPart } from '@leakpilot/shared/parse/parse-parts.ts';
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';
import { inspectDumpFile } from './open-dump.ts';
import { scanLeadingFileRange } from './scan-file-range.ts';
import type { ParsePartWorkerData } from './parse-part.worker.ts';

/**
 * What this thread scans while a worker starts (~0.3-0.5 s here to load the
 * TypeScript sources through tsx, at 100-200 MB/s of scanning).
 */
const WORKER_START_BYTES = 48 * 1024 * 1024;

export class ParallelParseError extends Error {
  override readonly name = 'ParallelParseError';
}

type WorkerReply = { part: ScanPart } | { error: { name: string; message: string; lookedLike?: string } };

function scanRange(data: ParsePartWorkerData): Promise<ScanPart> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./parse-part-worker.mjs', import.meta.url), { workerData: data });
    worker.once('message', (reply: WorkerReply) => {
      void worker.terminate();
      if ('part' in reply) resolve(reply.part);
      else if (reply.error.name === 'NotAHeapDumpError') reject(new NotAHeapDumpError(reply.error.lookedLike ?? 'not a heap dump', reply.error.message));
      else reject(new ParallelParseError(`scanning bytes ${data.start}..${data.end ?? 'end'} failed: ${reply.error.message}`));
    });
    worker.once('error', reject);
  });
}

export async function parseInParallel(path: string, workerCount: number, options: { references?: boolean } = {}): Promise<HeapDump> {
  const file = await inspectDumpFile(path);
  if (file.gzip) throw new ParallelParseError(`${path} is gzip-compressed: a gzip stream cannot be split into ranges`);
  const references = options.references ?? true;
  const ranges = splitIntoRanges(file.sizeBytes, workerCount).map(({ start, end }) => ({ path, start, end, sizeBytes: file.sizeBytes, references }));
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
