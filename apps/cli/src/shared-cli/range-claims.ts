/**
 * Who scans which byte range in a parallel parse, decided as the parse goes
 * instead of up front: the file is cut into many small ranges; the thread
 * that merges (which keeps its rows in the final columns, so its ranges must
 * be the file's first ones, in order) claims ranges from the front, the
 * workers from the back, until they meet. Nobody waits on a slower thread or
 * a late worker start for more than one small range.
 *
 * State: one Int32 in a SharedArrayBuffer, `front | back << 16` (the next
 * range to claim from the front, and one past the next from the back),
 * changed by compare-and-exchange so a range is claimed exactly once across
 * threads. At most 65,535 ranges.
 */
const MAX_RANGES = 0xffff;

export class TooManyRangesError extends Error {
  override readonly name = 'TooManyRangesError';
}

export class RangeClaims {
  private readonly state: Int32Array;

  /** `buffer` from another thread's RangeClaims (`.buffer`), or a range count to start fresh. */
  constructor(source: SharedArrayBuffer | number) {
    if (typeof source === 'number') {
      if (source > MAX_RANGES) throw new TooManyRangesError(`${source} ranges: at most ${MAX_RANGES}`);
      this.state = new Int32Array(new SharedArrayBuffer(4));
      this.state[0] = source << 16;
    } else {
      this.state = new Int32Array(source);
    }
  }

  get buffer(): SharedArrayBuffer {
    return this.state.buffer as SharedArrayBuffer;
  }

  /** The lowest unclaimed range, or null when all are claimed. */
  claimFront(): number | null {
    return this.claim(true);
  }

  /** The highest unclaimed range, or null when all are claimed. */
  claimBack(): number | null {
    return this.claim(false);
  }

  /** Claims every range left, so the other threads stop after the range they are scanning (a failed parse). */
  claimAll(): void {
    while (this.claimFront() !== null);
  }

  private claim(fromFront: boolean): number | null {
    for (;;) {
      const seen = Atomics.load(this.state, 0);
      const front = seen & 0xffff;
      const back = seen >>> 16;
      if (front >= back) return null;
      const next = fromFront ? (front + 1) | (back << 16) : front | ((back - 1) << 16);
      if (Atomics.compareExchange(this.state, 0, seen, next) === seen) return fromFront ? front : back - 1;
    }
  }
}
