/**
 * Per-process cached readings, keyed by process identity ("pid:startTicks",
 * so a reused pid never sees the previous process's value). Bounded: when
 * `limit` entries are held the cache is cleared whole, which costs one
 * re-read per live process and needs no eviction order.
 *
 * Used for what is expensive to read and slow to change: the container id
 * (never changes; /proc/PID/cgroup is costly to generate) and smaps_rollup
 * (the kernel walks the process's page tables: tens of milliseconds for a
 * large or busy process, measured on this repository's test machine).
 */
export class IdentityCache<T> {
  private readonly entries = new Map<string, { value: T; readAtMs: number }>();

  constructor(
    private readonly limit: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number,
  ) {}

  /** The cached value and when it was read, reading it when missing or older than maxAgeMs. */
  get(key: string, read: () => T): { value: T; readAtMs: number } {
    const cached = this.entries.get(key);
    const nowMs = this.now();
    if (cached !== undefined && nowMs - cached.readAtMs <= this.maxAgeMs) return cached;
    return this.put(key, read());
  }

  put(key: string, value: T): { value: T; readAtMs: number } {
    if (this.entries.size >= this.limit) this.entries.clear();
    const entry = { value, readAtMs: this.now() };
    this.entries.set(key, entry);
    return entry;
  }
}
