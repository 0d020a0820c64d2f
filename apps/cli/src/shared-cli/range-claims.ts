/**
 * Who scans which bytes of a file in a parallel parse, decided as the parse
 * goes instead of up front. The thread that merges (which keeps its rows in
 * the final columns, so its bytes must be the file's first ones, in order)
 * claims ranges from the front, the workers from the back, until they meet.
 * A range is a fraction of the bytes still unclaimed (`1 / (2 × threads)`,
 * between 1 and 16 MiB), so ranges shrink as the claims close in and the
 * threads finish within about one small range of each other: with fixed
 * 16 MiB ranges the merging thread waited up to ~0.3 s on the loaded bench
 * box for the worker's last range.
 *
 * State, shared by every thread through a SharedArrayBuffer: one BigInt64,
 * `front | back << 32` in 64 KiB units (the first unclaimed unit from the
 * front, and one past the last from the back), changed by
 * compare-and-exchange so bytes are claimed exactly once across threads;
 * then the file size and the range bounds as Float64s. Range bounds need not
 * fall on lines: each range owns the lines that start in it (byte-range.ts).
 */
const UNIT_BYTES = 64 * 1024;
const MAX_UNITS = 0xffffffff;
const MIN_RANGE_UNITS = 16;
const MAX_RANGE_UNITS = 256;
const STATE_BYTES = 8;
const CONFIG = { sizeBytes: 0, divisor: 1, minUnits: 2, maxUnits: 3 } as const;

export class FileTooLargeForClaimsError extends Error {
  override readonly name = 'FileTooLargeForClaimsError';
}

export interface ClaimedRange {
  start: number;
  /** exclusive; null = to the end of the file */
  end: number | null;
}

export interface ClaimOptions {
  sizeBytes: number;
  threadCount: number;
  /** bounds of a range's length in bytes (default 1 and 16 MiB; rounded to 64 KiB) */
  minRangeBytes?: number;
  maxRangeBytes?: number;
}

export class RangeClaims {
  private readonly state: BigInt64Array;
  private readonly config: Float64Array;

  /** `buffer` of another thread's RangeClaims, or the file to start claiming. */
  constructor(source: SharedArrayBuffer | ClaimOptions) {
    if (source instanceof SharedArrayBuffer) {
      this.state = new BigInt64Array(source, 0, 1);
      this.config = new Float64Array(source, STATE_BYTES, 4);
      return;
    }
    const units = Math.ceil(source.sizeBytes / UNIT_BYTES);
    if (units > MAX_UNITS) throw new FileTooLargeForClaimsError(`${source.sizeBytes} bytes: at most ${MAX_UNITS} units of ${UNIT_BYTES}`);
    const buffer = new SharedArrayBuffer(STATE_BYTES + 4 * 8);
    this.state = new BigInt64Array(buffer, 0, 1);
    this.config = new Float64Array(buffer, STATE_BYTES, 4);
    this.state[0] = BigInt(units) << 32n;
    this.config[CONFIG.sizeBytes] = source.sizeBytes;
    this.config[CONFIG.divisor] = 2 * source.threadCount;
    this.config[CONFIG.minUnits] = Math.max(1, Math.round((source.minRangeBytes ?? MIN_RANGE_UNITS * UNIT_BYTES) / UNIT_BYTES));
    this.config[CONFIG.maxUnits] = Math.max(this.config[CONFIG.minUnits], Math.round((source.maxRangeBytes ?? MAX_RANGE_UNITS * UNIT_BYTES) / UNIT_BYTES));
  }

  get buffer(): SharedArrayBuffer {
    return this.state.buffer as SharedArrayBuffer;
  }

  /** The next range from the front, or null when every byte is claimed. */
  claimFront(): ClaimedRange | null {
    return this.claim(true);
  }

  /** The next range from the back, or null when every byte is claimed. */
  claimBack(): ClaimedRange | null {
    return this.claim(false);
  }

  /** Claims every byte left, so the other threads stop after the range they are scanning (a failed parse). */
  claimAll(): void {
    for (;;) {
      const seen = Atomics.load(this.state, 0);
      const back = seen >> 32n;
      if (Atomics.compareExchange(this.state, 0, seen, back | (back << 32n)) === seen) return;
    }
  }

  private claim(fromFront: boolean): ClaimedRange | null {
    const sizeBytes = this.config[CONFIG.sizeBytes];
    for (;;) {
      const seen = Atomics.load(this.state, 0);
      const front = Number(seen & 0xffffffffn);
      const back = Number(seen >> 32n);
      if (front >= back) return null;
      const wanted = Math.floor((back - front) / this.config[CONFIG.divisor]);
      const units = Math.min(back - front, Math.max(this.config[CONFIG.minUnits], Math.min(this.config[CONFIG.maxUnits], wanted)));
      const [from, to] = fromFront ? [front, front + units] : [back - units, back];
      const next = fromFront ? BigInt(to) | (BigInt(back) << 32n) : BigInt(front) | (BigInt(from) << 32n);
      if (Atomics.compareExchange(this.state, 0, seen, next) !== seen) continue;
      const end = to * UNIT_BYTES;
      return { start: from * UNIT_BYTES, end: end >= sizeBytes ? null : end };
    }
  }
}
