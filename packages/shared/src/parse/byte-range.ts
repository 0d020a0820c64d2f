/**
 * Cuts a byte stream down to the lines of one range of a file, so several
 * workers can each scan a range of one (uncompressed) dump. A range owns the
 * lines that *start* at an offset in [start, end). The caller streams the
 * file from `max(0, start - 1)`; with `skipFirstLine` (start > 0) the bytes
 * up to and including the first newline are dropped (that line belongs to
 * the range before; when byte start-1 is itself a newline only it is
 * dropped), and the stream stops after the first newline at relative offset
 * >= `stopAtNewlineFrom` (end - 1 - streamStart), ending the range's last
 * line. Other ranges see the remaining bytes; no line is read twice.
 */
const NEWLINE = 0x0a;

export interface RangeCut {
  skipFirstLine: boolean;
  /** relative offset from which the next newline ends the range; null = to the end */
  stopAtNewlineFrom: number | null;
}

/** The stream start and cut for the range [start, end) of a file. */
export function rangeCut(start: number, end: number | null): { streamStart: number; cut: RangeCut } {
  const streamStart = Math.max(0, start - 1);
  return { streamStart, cut: { skipFirstLine: start > 0, stopAtNewlineFrom: end === null ? null : end - 1 - streamStart } };
}

/** Splits [0, size) into `count` ranges of about equal bytes. */
export function splitIntoRanges(sizeBytes: number, count: number): { start: number; end: number | null }[] {
  const ranges: { start: number; end: number | null }[] = [];
  for (let index = 0; index < count; index++) {
    const start = Math.floor((sizeBytes * index) / count);
    ranges.push({ start, end: index === count - 1 ? null : Math.floor((sizeBytes * (index + 1)) / count) });
  }
  return ranges;
}

export async function* linesOfRange(chunks: AsyncIterable<Uint8Array>, cut: RangeCut): AsyncGenerator<Uint8Array> {
  let offset = 0;
  let skipping = cut.skipFirstLine;
  for await (const chunk of chunks) {
    let from = 0;
    if (skipping) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline === -1) {
        offset += chunk.length;
        continue;
      }
      skipping = false;
      from = newline + 1;
      // The first line of this range starts past its end: the range owns no line.
      if (cut.stopAtNewlineFrom !== null && offset + from > cut.stopAtNewlineFrom) return;
    }
    if (cut.stopAtNewlineFrom !== null) {
      const searchFrom = Math.max(from, cut.stopAtNewlineFrom - offset);
      const newline = searchFrom < chunk.length ? chunk.indexOf(NEWLINE, searchFrom) : -1;
      if (newline !== -1) {
        if (newline + 1 > from) yield chunk.subarray(from, newline + 1);
        return;
      }
    }
    if (from < chunk.length) yield from === 0 ? chunk : chunk.subarray(from);
    offset += chunk.length;
  }
}
