/**
 * Byte progress of a dump parsed in several ranges at once: each range's
 * stream passes through `countingStream`, which counts the bytes and lines
 * read from it, and `RangeProgress` sums them over the ranges.
 *
 * Invariants: a range counts at most the bytes it owns (its stream reads on
 * past its end to finish its last line, and those bytes belong to the next
 * range), so the sum never exceeds the file size; every counter only grows,
 * so the sum reported is monotonic. The object count shown while reading is
 * the number of lines read (ROOT and SHAPE lines are a few hundred of
 * millions), as the one-thread parse shows its rows read so far; the exact
 * count arrives with the parsed dump.
 */
const NEWLINE = 0x0a;
/** as parseHeapDump: at most ~10 reports a second */
export const PROGRESS_INTERVAL_MS = 100;

export interface RangeReadCount {
  bytesRead: number;
  linesRead: number;
}

/** `stream` unchanged, telling `onRead` the running totals after each chunk. Cancelling it cancels `stream`. */
export function countingStream(stream: ReadableStream<Uint8Array>, onRead: (count: RangeReadCount) => void): ReadableStream<Uint8Array> {
  const count: RangeReadCount = { bytesRead: 0, linesRead: 0 };
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        count.bytesRead += chunk.byteLength;
        for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) count.linesRead++;
        onRead(count);
        controller.enqueue(chunk);
      },
    }),
  );
}

/** Calls `report` at most every PROGRESS_INTERVAL_MS, and always when forced. */
export class Throttle {
  private lastMs = 0;
  constructor(private readonly report: () => void) {}

  tick(force = false): void {
    const nowMs = Date.now();
    if (!force && nowMs - this.lastMs < PROGRESS_INTERVAL_MS) return;
    this.lastMs = nowMs;
    this.report();
  }
}

export class RangeProgress {
  private readonly doneBytesOfRange: Float64Array;
  private readonly linesOfRange: Float64Array;
  private readonly throttle: Throttle;

  constructor(
    private readonly rangeBytes: readonly number[],
    report: (doneBytes: number, linesRead: number) => void,
  ) {
    this.doneBytesOfRange = new Float64Array(rangeBytes.length);
    this.linesOfRange = new Float64Array(rangeBytes.length);
    this.throttle = new Throttle(() => report(this.doneBytes, this.linesRead));
  }

  get doneBytes(): number {
    return this.doneBytesOfRange.reduce((total, bytes) => total + bytes, 0);
  }

  get linesRead(): number {
    return this.linesOfRange.reduce((total, lines) => total + lines, 0);
  }

  update(rangeIndex: number, count: RangeReadCount): void {
    const bytes = Math.min(count.bytesRead, this.rangeBytes[rangeIndex]);
    this.doneBytesOfRange[rangeIndex] = Math.max(this.doneBytesOfRange[rangeIndex], bytes);
    this.linesOfRange[rangeIndex] = Math.max(this.linesOfRange[rangeIndex], count.linesRead);
    this.throttle.tick();
  }

  /** The range is read: all its bytes count, whatever the stream delivered. */
  finish(rangeIndex: number): void {
    this.doneBytesOfRange[rangeIndex] = this.rangeBytes[rangeIndex];
    this.throttle.tick(true);
  }
}
