/**
 * Scans the lines of byte ranges of an uncompressed dump file: one range
 * into a ScanPart (`scanFileRange`, in a parsing worker,
 * parse-part.worker.ts, its columns sized from the range's length), or the
 * ranges this thread claims from the front, one after another, into the
 * builder the workers' parts are appended to (`scanFrontRanges`, on the
 * thread that merges; see parallel-parse.ts and range-claims.ts). Each thread
 * reads its ranges itself, through reused buffers: the cores are all busy
 * parsing (file-range-reader.ts, readFileFromOnThisThread).
 */
import { linesOfRange } from '@leakpilot/shared/parse/byte-range.ts';
import { rangeCut, scanHeapDumpPart, scanLeadingPart, type LeadingPart, type ScanPart } from '@leakpilot/shared/parse/parse-parts.ts';
import { COLUMN_RESERVE_BYTES } from './column-reserve.ts';
import { readFileFromOnThisThread } from './file-range-reader.ts';
import type { ClaimedRange, RangeClaims } from './range-claims.ts';

export interface FileRange extends ClaimedRange {
  path: string;
  sizeBytes: number;
  references: boolean;
}

/** The lines of `range` (those that start in it), as chunks. */
function linesOfFileRange(path: string, { start, end }: ClaimedRange): AsyncGenerator<Uint8Array> {
  const { streamStart, cut } = rangeCut(start, end);
  return linesOfRange(readFileFromOnThisThread(path, streamStart), cut);
}

export function scanFileRange(range: FileRange): Promise<ScanPart> {
  const { streamStart, cut } = rangeCut(range.start, range.end);
  return scanHeapDumpPart(readFileFromOnThisThread(range.path, streamStart), cut, { references: range.references, expectedBytes: (range.end ?? range.sizeBytes) - range.start });
}

export interface FrontRanges extends LeadingPart {
  /** where the bytes this thread claimed from the front end: it scanned [0, frontEndByte) */
  frontEndByte: number;
}

/**
 * Scans `first` (the range at byte 0, claimed by the caller before any
 * worker starts, so this thread sniffs the file's head) and every range it
 * then claims from the front, into one builder sized for the whole file.
 */
export async function scanFrontRanges(path: string, sizeBytes: number, references: boolean, first: ClaimedRange, claims: RangeClaims): Promise<FrontRanges> {
  let frontEndByte = 0;
  async function* frontRangeLines(): AsyncGenerator<Uint8Array> {
    for (let range: ClaimedRange | null = first; range !== null; range = claims.claimFront()) {
      frontEndByte = range.end ?? sizeBytes;
      yield* linesOfFileRange(path, range);
    }
  }
  const leading = await scanLeadingPart(frontRangeLines(), { skipFirstLine: false, stopAtNewlineFrom: null }, { references, fileBytes: sizeBytes, minColumnBytes: COLUMN_RESERVE_BYTES });
  return { ...leading, frontEndByte };
}
