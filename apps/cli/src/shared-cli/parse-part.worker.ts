/**
 * Worker thread for `parseInParallel`: scans the lines of one byte range of
 * an uncompressed dump file (`scanHeapDumpPart`) and posts the ScanPart back
 * with its typed arrays transferred, not copied. A failure is posted as plain
 * data (name, message, and for a refused file what it looked like), since an
 * Error subclass does not survive the structured clone.
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { rangeCut, scanHeapDumpPart, transferablesOf } from '@leakpilot/shared/parse/parse-parts.ts';
import { READ_CHUNK_BYTES } from './open-dump.ts';

export interface ParsePartWorkerData {
  path: string;
  start: number;
  end: number | null;
  sizeBytes: number;
  references: boolean;
}

const { path, start, end, sizeBytes, references } = workerData as ParsePartWorkerData;
const { streamStart, cut } = rangeCut(start, end);
try {
  const part = await scanHeapDumpPart(createReadStream(path, { start: streamStart, highWaterMark: READ_CHUNK_BYTES }), cut, {
    references,
    expectedBytes: (end ?? sizeBytes) - start,
  });
  parentPort?.postMessage({ part }, transferablesOf(part));
} catch (error) {
  const lookedLike = error instanceof NotAHeapDumpError ? error.lookedLike : undefined;
  parentPort?.postMessage({ error: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error), lookedLike } });
}
