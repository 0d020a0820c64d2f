/**
 * Scans the lines of one byte range of an uncompressed dump file into a
 * ScanPart (`scanHeapDumpPart` over an fs read stream), with the columns
 * sized from the range's length. Runs in a parsing worker
 * (parse-part.worker.ts) and, for the first range, on the thread that
 * merges the parts (parallel-parse.ts).
 */
import { createReadStream } from 'node:fs';
import { rangeCut, scanHeapDumpPart, type ScanPart } from '@leakpilot/shared/parse/parse-parts.ts';
import { READ_CHUNK_BYTES } from './open-dump.ts';

export interface FileRange {
  path: string;
  start: number;
  /** exclusive; null = to the end of the file */
  end: number | null;
  sizeBytes: number;
  references: boolean;
}

export function scanFileRange({ path, start, end, sizeBytes, references }: FileRange): Promise<ScanPart> {
  const { streamStart, cut } = rangeCut(start, end);
  return scanHeapDumpPart(createReadStream(path, { start: streamStart, highWaterMark: READ_CHUNK_BYTES }), cut, {
    references,
    expectedBytes: (end ?? sizeBytes) - start,
  });
}
