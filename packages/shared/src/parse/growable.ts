/**
 * Typed-array columns that grow by doubling while the parser appends rows,
 * then are trimmed to their exact length once (`trimmed()` copies, so the
 * spare capacity is released). Used for every per-object column, the
 * reference buffer and the sparse tables, so the parse never holds a JS value
 * per heap object.
 */
type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
type TypedArrayConstructor<T extends TypedArray> = { new (length: number): T };

export class Growable<T extends TypedArray> {
  array: T;
  length = 0;

  /**
   * `reserved`: the capacity was reserved beyond the expected length on
   * purpose (DumpBuilderOptions.minColumnBytes), so its spare is untouched
   * memory and `take()` returns a view however little of it was filled.
   */
  constructor(
    private readonly Kind: TypedArrayConstructor<T>,
    initialCapacity: number,
    private readonly reserved = false,
  ) {
    this.array = new Kind(Math.max(16, initialCapacity));
  }

  /** Makes room for `extra` more elements; keeps `array` valid for indices < length + extra. */
  reserve(extra: number): T {
    const needed = this.length + extra;
    if (needed > this.array.length) {
      let capacity = this.array.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = new this.Kind(capacity);
      grown.set(this.array.subarray(0, this.length) as never);
      this.array = grown;
    }
    return this.array;
  }

  push(value: number): void {
    if (this.length === this.array.length) this.reserve(1);
    this.array[this.length++] = value;
  }

  /** An exact-length copy; the growable stays usable. */
  trimmed(): T {
    return this.array.slice(0, this.length) as T;
  }

  /**
   * The exact-length copy, releasing this growable's buffer (it becomes
   * empty) so a large column's spare capacity can be collected before the
   * next one is copied: keeps the parse's peak memory down.
   */
  take(): T {
    // A column filled to 3/4 or more of its capacity is returned as a view:
    // copying it cost a second column's worth of fresh memory (page faults
    // and peak RSS) for each column; the unused tail was never written, so
    // its pages were never touched and are not resident.
    const taken = this.reserved || this.length * 4 >= this.array.length * 3 ? (this.array.subarray(0, this.length) as T) : this.trimmed();
    this.release();
    return taken;
  }

  /** Drops the contents and the buffer. */
  release(): void {
    this.array = new this.Kind(0);
    this.length = 0;
  }
}

/** dumps expected to be smaller keep their columns sized to their rows */
const RESERVE_MIN_ROWS = 1 << 18;

/** How the per-object columns of a parse are sized (see DumpBuilderOptions.minColumnBytes). */
export interface ColumnSizing {
  /** the rows expected (at least 1024) */
  rows: number;
  /** the capacity was reserved past the rows: pass to the growables so `take()` keeps views */
  reserved: boolean;
  /** the capacity in elements of a column of `bytesPerRow`-byte elements */
  capacity(bytesPerRow: number): number;
}

/**
 * Columns for `expectedRows` rows (at least 1024), each of at least
 * `minColumnBytes` when the dump is expected to hold RESERVE_MIN_ROWS rows
 * or more; smaller dumps get columns sized to their rows.
 */
export function columnSizing(expectedRows: number, minColumnBytes = 0): ColumnSizing {
  const rows = Math.max(1024, expectedRows);
  const reserveBytes = rows >= RESERVE_MIN_ROWS ? minColumnBytes : 0;
  return { rows, reserved: reserveBytes > 0, capacity: (bytesPerRow) => Math.max(rows, Math.ceil(reserveBytes / bytesPerRow)) };
}

export const growUint8 = (capacity: number, reserved = false): Growable<Uint8Array> => new Growable(Uint8Array, capacity, reserved);
export const growUint16 = (capacity: number, reserved = false): Growable<Uint16Array> => new Growable(Uint16Array, capacity, reserved);
export const growUint32 = (capacity: number, reserved = false): Growable<Uint32Array> => new Growable(Uint32Array, capacity, reserved);
export const growInt32 = (capacity: number, reserved = false): Growable<Int32Array> => new Growable(Int32Array, capacity, reserved);
export const growFloat64 = (capacity: number, reserved = false): Growable<Float64Array> => new Growable(Float64Array, capacity, reserved);
