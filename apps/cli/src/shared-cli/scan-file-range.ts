/**
 * Scans the lines of one byte range of an uncompressed dump file into a
 * ScanPart (`scanHeapDumpPart` over an fs read stream), with the columns
 * sized from the range's length. Runs in a parsing worker
 * (parse-part.worker.ts); the first range is scanned on the thread that
 * merges the parts, into the builder they are appended to (parallel-parse.ts).
 */
import { createReadStream } from 'node:fs';
import { rangeCut, scanHeapDumpPart, scanLeadingPart, type LeadingPart, type ScanPart } from '@leakpilot/shared/parse/parse-parts.ts';
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

/** The first range, scanned into the builder the other ranges' parts are appended to. */
export function scanLeadingFileRange({ path, start, end, sizeBytes, references }: FileRange): Promise<LeadingPart> {
  const { streamStart, cut } = rangeCut(start, end);
  return scanLeadingPart(createReadStream(path, { start: streamStart, highWaterMark: READ_CHUNK_BYTES }), cut, { references, fileBytes: sizeBytes });
}
