/**
 * Scans the lines of byte ranges of an uncompressed dump file: one range
 * into a ScanPart (`scanFileRange`, in a parsing worker,
 * parse-part.worker.ts, its columns sized from the range's length), or the
 * ranges this thread claims from the front, one after another, into the
 * builder the workers' parts are appended to (`scanFrontRanges`, on the
 * thread that merges; see parallel-parse.ts and range-claims.ts). Files are
 * read through reused buffers (file-range-reader.ts).
 */
import { linesOfRange } from '@leakpilot/shared/parse/byte-range.ts';
import { rangeCut, scanHeapDumpPart, scanLeadingPart, type LeadingPart, type ScanPart } from '@leakpilot/shared/parse/parse-parts.ts';
import { readFileFrom } from './file-range-reader.ts';
import type { RangeClaims } from './range-claims.ts';

export interface ByteRange {
  start: number;
  /** exclusive; null = to the end of the file */
  end: number | null;
}

export interface FileRange extends ByteRange {
  path: string;
  sizeBytes: number;
  references: boolean;
}

/** The lines of `range` (those that start in it), as chunks. */
function linesOfFileRange(path: string, { start, end }: ByteRange): AsyncGenerator<Uint8Array> {
  const { streamStart, cut } = rangeCut(start, end);
  return linesOfRange(readFileFrom(path, streamStart), cut);
}

export function scanFileRange(range: FileRange): Promise<ScanPart> {
  const { streamStart, cut } = rangeCut(range.start, range.end);
  return scanHeapDumpPart(readFileFrom(range.path, streamStart), cut, { references: range.references, expectedBytes: (range.end ?? range.sizeBytes) - range.start });
}

export interface FrontRanges extends LeadingPart {
  /** how many ranges from the front this thread scanned: ranges [0, rangeCount) */
  rangeCount: number;
}

/**
 * Scans range 0 (claimed by the caller before any worker starts, so this
 * thread sniffs the file's head) and every range it then claims from the
 * front, into one builder sized for the whole file.
 */
export async function scanFrontRanges(path: string, sizeBytes: number, references: boolean, ranges: ByteRange[], claims: RangeClaims): Promise<FrontRanges> {
  let rangeCount = 0;
  async function* frontRangeLines(): AsyncGenerator<Uint8Array> {
    for (let index: number | null = 0; index !== null; index = claims.claimFront()) {
      rangeCount++;
      yield* linesOfFileRange(path, ranges[index]);
    }
  }
  const leading = await scanLeadingPart(frontRangeLines(), { skipFirstLine: false, stopAtNewlineFrom: null }, { references, fileBytes: sizeBytes });
  return { ...leading, rangeCount };
}
