/**
 * Worker thread for `parseInParallel`: claims byte ranges of an uncompressed
 * dump file from the back (range-claims.ts) until none is left, scans each
 * (`scanFileRange`) and posts its ScanPart back with the range's index and
 * its typed arrays transferred, not copied; then posts `done`. A failure is
 * posted as plain data (name, message, and for a refused file what it looked
 * like), since an Error subclass does not survive the structured clone.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { transferablesOf } from '@leakpilot/shared/parse/parse-parts.ts';
import { RangeClaims } from './range-claims.ts';
import { scanFileRange, type ByteRange } from './scan-file-range.ts';

export interface ParsePartWorkerData {
  path: string;
  sizeBytes: number;
  references: boolean;
  ranges: ByteRange[];
  /** RangeClaims.buffer of the parsing thread */
  claims: SharedArrayBuffer;
}

const { path, sizeBytes, references, ranges, claims: claimsBuffer } = workerData as ParsePartWorkerData;
const claims = new RangeClaims(claimsBuffer);
try {
  for (let index = claims.claimBack(); index !== null; index = claims.claimBack()) {
    const part = await scanFileRange({ path, sizeBytes, references, ...ranges[index] });
    parentPort?.postMessage({ rangeIndex: index, part }, transferablesOf(part));
  }
  parentPort?.postMessage({ done: true });
} catch (error) {
  const lookedLike = error instanceof NotAHeapDumpError ? error.lookedLike : undefined;
  parentPort?.postMessage({ error: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error), lookedLike } });
}
