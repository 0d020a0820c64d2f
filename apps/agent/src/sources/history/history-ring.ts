/**
 * The memory history: a ring of samples in typed arrays. Column i of the ring
 * is one sample time (`timesMs[i]`); row s is one series (`values[s *
 * capacity + i]`, NaN where the series had no reading). Two rows are the host
 * (used and available bytes); the others are process RSS series, one per
 * process identity (pid plus start time, so a reused pid is a new series),
 * and container memory series, one per container id (usage as `docker
 * stats` shows it; the latest limit is kept beside the row, not per sample).
 *
 * Memory bound: (1 + maxSeries) * capacity * 8 bytes of Float64Array plus
 * maxSeries short texts (label, key, container id), allocated once at
 * construction and reported as `memoryBoundBytes`. Defaults (5 s interval,
 * 4320 samples = 6 hours, 64 series plus 16 for followed containers) give
 * 81 * 4320 * 8 = 2.8 MB.
 *
 * When every non-host row is taken, a new process or container reuses the
 * row of the series seen least recently; its old samples are cleared first.
 */
import type { HistoryLimits, HistorySeries, HistorySeriesKind } from '@leakpilot/shared/api/agent-api.ts';
import { flagsFor } from '../proc/proc-source.ts';
import { growthBytesPerHour } from './linear-fit.ts';

export interface HistoryReading {
  key: string;
  kind: HistorySeriesKind;
  pid: number | null;
  label: string;
  bytes: number;
  /** For 'container-memory': the container id and its memory limit. */
  containerId?: string;
  limitBytes?: number | null;
}

interface RowMeta {
  kind: HistorySeriesKind;
  pid: number | null;
  label: string;
  containerId: string | null;
  limitBytes: number | null;
}

/** Text kept per row: a label of at most 128 UTF-16 units, its key and a 64-hex container id. */
const ROW_TEXT_BYTES_BOUND = 512;
const LABEL_CHARS = 128;

function isHostKind(kind: HistorySeriesKind): boolean {
  return kind === 'host-used' || kind === 'host-available';
}
const HOST_ROWS = 2;

export class HistoryRing {
  readonly limits: HistoryLimits;
  private readonly timesMs: Float64Array;
  private readonly values: Float64Array;
  private readonly rowKeys: (string | null)[];
  private readonly rowMeta: RowMeta[];
  /** Sample count at which each row last had a reading (for eviction). */
  private readonly rowLastSeen: Float64Array;
  private readonly rowOfKey = new Map<string, number>();
  private next = 0;
  private count = 0;
  private appended = 0;

  constructor(readonly capacity: number, readonly maxSeries: number, intervalMs: number) {
    if (capacity < 2 || maxSeries <= HOST_ROWS) throw new RangeError('history needs 2+ samples and 3+ series');
    this.timesMs = new Float64Array(capacity);
    this.values = new Float64Array(capacity * maxSeries).fill(Number.NaN);
    this.rowKeys = new Array<string | null>(maxSeries).fill(null);
    this.rowMeta = Array.from({ length: maxSeries }, (): RowMeta => ({ kind: 'process-rss', pid: null, label: '', containerId: null, limitBytes: null }));
    this.rowLastSeen = new Float64Array(maxSeries);
    this.limits = {
      intervalMs,
      capacitySamples: capacity,
      maxSeries,
      memoryBoundBytes: (capacity * (maxSeries + 1) + maxSeries) * 8 + maxSeries * ROW_TEXT_BYTES_BOUND,
    };
  }

  get sampleCount(): number {
    return this.count;
  }

  append(atMs: number, readings: readonly HistoryReading[]): void {
    const column = this.next;
    this.timesMs[column] = atMs;
    for (let row = 0; row < this.maxSeries; row++) this.values[row * this.capacity + column] = Number.NaN;
    this.appended += 1;
    for (const reading of readings) {
      const row = this.rowFor(reading);
      this.values[row * this.capacity + column] = reading.bytes;
      this.rowLastSeen[row] = this.appended;
      if (reading.limitBytes !== undefined) this.rowMeta[row].limitBytes = reading.limitBytes;
    }
    this.next = (column + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Series with samples at or after `sinceMs`, oldest sample first; `pid` keeps host rows and that pid's series only. */
  query(sinceMs: number | null, pid: number | null): HistorySeries[] {
    const columns: number[] = [];
    for (let k = 0; k < this.count; k++) {
      const column = (this.next - this.count + k + this.capacity) % this.capacity;
      if (sinceMs === null || this.timesMs[column] >= sinceMs) columns.push(column);
    }
    const series: HistorySeries[] = [];
    for (let row = 0; row < this.maxSeries; row++) {
      const key = this.rowKeys[row];
      if (key === null) continue;
      const meta = this.rowMeta[row];
      if (pid !== null && !isHostKind(meta.kind) && meta.pid !== pid) continue;
      const timesMs: number[] = [];
      const bytes: number[] = [];
      for (const column of columns) {
        const value = this.values[row * this.capacity + column];
        if (Number.isNaN(value)) continue;
        timesMs.push(this.timesMs[column]);
        bytes.push(value);
      }
      if (bytes.length === 0) continue;
      const latestBytes = bytes[bytes.length - 1];
      const one: HistorySeries = {
        key,
        kind: meta.kind,
        pid: meta.pid,
        label: meta.label,
        timesMs,
        bytes,
        latestBytes,
        growthBytesPerHour: growthBytesPerHour(timesMs, bytes),
        flags: isHostKind(meta.kind) ? { high: false, escalate: false } : flagsFor(latestBytes),
      };
      if (meta.kind === 'container-memory') {
        one.containerId = meta.containerId;
        one.limitBytes = meta.limitBytes;
      }
      series.push(one);
    }
    return series;
  }

  private rowFor(reading: HistoryReading): number {
    const known = this.rowOfKey.get(reading.key);
    if (known !== undefined) return known;
    const row = isHostKind(reading.kind) ? this.freeHostRow(reading.kind) : this.freeSeriesRow();
    const old = this.rowKeys[row];
    if (old !== null) this.rowOfKey.delete(old);
    for (let column = 0; column < this.capacity; column++) this.values[row * this.capacity + column] = Number.NaN;
    this.rowKeys[row] = reading.key;
    this.rowMeta[row] = {
      kind: reading.kind,
      pid: reading.pid,
      label: reading.label.slice(0, LABEL_CHARS),
      containerId: reading.containerId?.slice(0, 64) ?? null,
      limitBytes: reading.limitBytes ?? null,
    };
    this.rowOfKey.set(reading.key, row);
    return row;
  }

  private freeHostRow(kind: HistorySeriesKind): number {
    return kind === 'host-used' ? 0 : 1;
  }

  private freeSeriesRow(): number {
    let oldest = HOST_ROWS;
    for (let row = HOST_ROWS; row < this.maxSeries; row++) {
      if (this.rowKeys[row] === null) return row;
      if (this.rowLastSeen[row] < this.rowLastSeen[oldest]) oldest = row;
    }
    return oldest;
  }
}
