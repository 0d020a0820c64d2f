/**
 * Download speed over a sliding window (default the last 3 seconds), so the
 * figure follows the network instead of averaging since the start. Samples
 * are (timeMs, totalBytes) pairs kept in a small ring; no per-chunk objects.
 */
export class RateMeter {
  private readonly timesMs: Float64Array;
  private readonly totals: Float64Array;
  private next = 0;
  private count = 0;

  constructor(
    private readonly windowMs = 3_000,
    capacity = 64,
  ) {
    this.timesMs = new Float64Array(capacity);
    this.totals = new Float64Array(capacity);
  }

  /** Records that `totalBytes` had arrived by `nowMs`. */
  record(nowMs: number, totalBytes: number): void {
    this.timesMs[this.next] = nowMs;
    this.totals[this.next] = totalBytes;
    this.next = (this.next + 1) % this.timesMs.length;
    this.count = Math.min(this.count + 1, this.timesMs.length);
  }

  /** Bytes per second over the window ending at the latest sample; 0 with under two samples. */
  bytesPerSecond(): number {
    if (this.count < 2) return 0;
    const capacity = this.timesMs.length;
    const latest = (this.next - 1 + capacity) % capacity;
    const latestMs = this.timesMs[latest];
    let oldest = latest;
    for (let i = 1; i < this.count; i += 1) {
      const index = (latest - i + capacity) % capacity;
      if (latestMs - this.timesMs[index] > this.windowMs) break;
      oldest = index;
    }
    const elapsedMs = latestMs - this.timesMs[oldest];
    if (elapsedMs <= 0) return 0;
    return ((this.totals[latest] - this.totals[oldest]) * 1000) / elapsedMs;
  }

  reset(): void {
    this.next = 0;
    this.count = 0;
  }
}
