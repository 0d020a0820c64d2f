/**
 * Worker thread for `parseInParallel`: scans the lines of one byte range of
 * an uncompressed dump file (`scanHeapDumpPart`) and posts the ScanPart back
 * with its typed arrays transferred, not copied. A failure is posted as plain
 * data (name, message, and for a refused file what it looked like), since an
 * Error subclass does not survive the structured clone.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { transferablesOf } from '@leakpilot/shared/parse/parse-parts.ts';
import { scanFileRange, type FileRange } from './scan-file-range.ts';

export type ParsePartWorkerData = FileRange;

try {
  const part = await scanFileRange(workerData as ParsePartWorkerData);
  parentPort?.postMessage({ part }, transferablesOf(part));
} catch (error) {
  const lookedLike = error instanceof NotAHeapDumpError ? error.lookedLike : undefined;
  parentPort?.postMessage({ error: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error), lookedLike } });
}
