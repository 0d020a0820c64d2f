/**
 * Collects the sparse `StringValueTable`: for each STRING/SYMBOL row with a
 * `value`, the FNV-1a hash of the value as written (computed by the scanner;
 * Ruby escapes deterministically, so equal values hash equally), its decoded
 * byte length where it is not the owner's `bytesize` (see
 * StringValueTable.otherLengthRow), and its first `prefixBytes` decoded
 * bytes (for display).
 * Only values with escapes, a small minority, are decoded, and only as far
 * as the prefix needs.
 */
import { MAX_STRING_PREFIX_BYTES, VALUE_CHECKPOINT_ROWS, type StringValueTable } from '../store/heap-dump.ts';
import { OWNER_CHECKPOINT, OWNER_FAR, ownerEntry, ownersOfRows } from '../store/string-value-owners.ts';
import { growUint32, growUint8, type Growable } from './growable.ts';
import { decodedLength, JsonUnescaper } from './json-unescape.ts';
import { WordView } from './word-view.ts';

/** mean prefix bytes per value kept in Rails dumps (~18 with 64-byte prefixes) */
const EXPECTED_PREFIX_BYTES = 20;

/** an escape is at most 6 bytes (`\\u00e9`) per decoded byte */
const MAX_ESCAPED_BYTES_PER_BYTE = 6;

export class StringValuesBuilder {
  private readonly ownerDelta: Growable<Uint8Array>;
  private readonly ownerCheckpoint: Growable<Uint32Array>;
  private readonly ownerFarRow = growUint32(64);
  private readonly ownerFarOrdinal = growUint32(64);
  /** the owner of the last row */
  private lastOwner = 0;
  private readonly valueHash: Growable<Uint32Array>;
  private readonly otherLengthRow = growUint32(64);
  private readonly otherLengthBytes = growUint32(64);
  private readonly prefixLength: Growable<Uint8Array>;
  private readonly prefixCheckpoint: Growable<Uint32Array>;
  private readonly prefixPool: Growable<Uint8Array>;
  private readonly unescaper = new JsonUnescaper();
  /** word views of the last source buffer and of the pool (see copyPrefix) */
  private readonly sourceWords = new WordView();
  private readonly poolWords = new WordView();

  /**
   * `expectedRows`: how many values to make room for up front (grown by
   * doubling from a few thousand, the table was copied a dozen times on a
   * Rails dump, ~0.1 s of a 1 GB parse). Untouched capacity costs no memory.
   * `minPoolBytes` (DumpBuilderOptions.minColumnBytes of a large dump): the
   * prefix pool is reserved at least that big, a mapping of its own whose
   * spare is never touched, so `toTable()` keeps a view of it instead of
   * copying the part filled (the copy was ~2 % of a parse of the 1 GB
   * bench dump, whose pool filled ~60 % of its estimate).
   */
  constructor(
    private readonly prefixBytes: number,
    expectedRows = 4096,
    minPoolBytes = 0,
  ) {
    if (!(prefixBytes >= 0 && prefixBytes <= MAX_STRING_PREFIX_BYTES)) throw new RangeError(`stringPrefixBytes must be 0-${MAX_STRING_PREFIX_BYTES}, not ${prefixBytes}`);
    const rows = Math.max(4096, expectedRows);
    this.ownerDelta = growUint8(rows);
    this.ownerCheckpoint = growUint32(Math.ceil(rows / VALUE_CHECKPOINT_ROWS));
    this.valueHash = growUint32(rows);
    this.prefixLength = growUint8(rows);
    this.prefixCheckpoint = growUint32(Math.ceil(rows / VALUE_CHECKPOINT_ROWS));
    this.prefixPool = growUint8(Math.max(rows * EXPECTED_PREFIX_BYTES, minPoolBytes), minPoolBytes > 0);
  }

  /**
   * `decodedBytes`: the value's decoded length when the scanner knew it
   * (no `\u` escape), else -1 and it is computed here. `ownerSizeField`: the
   * owner's stored `sizeField`, which the length usually equals.
   */
  add(ordinal: number, bytes: Uint8Array, start: number, end: number, escaped: boolean, hash: number, decodedBytes: number, ownerSizeField: number): void {
    let source = bytes;
    let from = start;
    let to = end;
    let valueBytes = end - start;
    if (escaped) {
      valueBytes = decodedBytes >= 0 ? decodedBytes : decodedLength(bytes, start, end);
      const rawPrefixEnd = Math.min(end, start + this.prefixBytes * MAX_ESCAPED_BYTES_PER_BYTE);
      to = this.unescaper.decode(bytes, start, rawPrefixEnd, false);
      source = this.unescaper.out.array;
      from = 0;
    }
    // Direct stores, not Growable.push: push is shared by every column kind,
    // so its store site is polymorphic (as in DumpBuilder.addObject).
    const row = this.valueHash.length;
    if (row === this.valueHash.array.length || row === this.ownerDelta.array.length || row === this.prefixLength.array.length) this.growRows();
    this.addOwner(row, ordinal);
    this.valueHash.array[row] = hash;
    this.valueHash.length = row + 1;
    if (valueBytes !== ownerSizeField) {
      this.otherLengthRow.push(row);
      this.otherLengthBytes.push(valueBytes);
    }
    const prefixLength = Math.min(this.prefixBytes, to - from);
    const pool = this.prefixPool.reserve(prefixLength);
    const at = this.prefixPool.length;
    this.copyPrefix(source, from, pool, at, prefixLength);
    this.prefixPool.length = at + prefixLength;
    this.prefixLength.array[row] = prefixLength;
    this.prefixLength.length = row + 1;
    if (row % VALUE_CHECKPOINT_ROWS === 0) this.prefixCheckpoint.push(at);
  }

  private growRows(): void {
    this.valueHash.reserve(1);
    this.ownerDelta.reserve(1);
    this.prefixLength.reserve(1);
  }

  /** Row `row`'s owner: a checkpoint, a byte of distance from the row before, or a far row (see StringValueTable.ownerDelta). */
  private addOwner(row: number, ordinal: number): void {
    const entry = ownerEntry(row, ordinal, this.lastOwner);
    if (entry === OWNER_CHECKPOINT) this.ownerCheckpoint.push(ordinal);
    else if (entry === OWNER_FAR) {
      this.ownerFarRow.push(row);
      this.ownerFarOrdinal.push(ordinal);
    }
    this.ownerDelta.array[row] = entry === OWNER_CHECKPOINT ? 0 : entry;
    this.ownerDelta.length = row + 1;
    this.lastOwner = ordinal;
  }

  /**
   * Copies `length` bytes from `source[from]` to `pool[at]`, four per step
   * through word views of the source and the pool (a plain byte loop
   * was ~3 % of a parse; `pool.set(source.subarray(...))` allocates a view
   * per value).
   */
  private copyPrefix(source: Uint8Array, from: number, pool: Uint8Array, at: number, length: number): void {
    const sourceView = this.sourceWords.of(source);
    const poolView = this.poolWords.of(pool);
    let i = 0;
    for (; i + 4 <= length; i += 4) poolView.setInt32(at + i, sourceView.getInt32(from + i, true), true);
    for (; i < length; i++) pool[at + i] = source[from + i];
  }

  /** Appends another part's table, its owners shifted by `ordinalOffset`: one reserve and bulk copies per column. */
  appendTable(table: StringValueTable, ordinalOffset: number): void {
    const rows = table.count;
    const from = this.valueHash.length;
    const owners = ownersOfRows(table);
    this.ownerDelta.reserve(rows);
    for (let row = 0; row < rows; row++) this.addOwner(from + row, owners[row] + ordinalOffset);
    this.valueHash.reserve(rows).set(table.valueHash.subarray(0, rows), from);
    this.valueHash.length = from + rows;
    for (let at = 0; at < table.otherLengthRow.length; at++) {
      this.otherLengthRow.push(table.otherLengthRow[at] + from);
      this.otherLengthBytes.push(table.otherLengthBytes[at]);
    }
    const poolFrom = this.prefixPool.length;
    const poolBytes = table.prefixPool.length;
    this.prefixPool.reserve(poolBytes).set(table.prefixPool, poolFrom);
    this.prefixPool.length = poolFrom + poolBytes;
    this.prefixLength.reserve(rows).set(table.prefixLength.subarray(0, rows), from);
    this.prefixLength.length = from + rows;
    // the checkpoints fall on other rows once shifted by `from`: recounted
    let at = poolFrom;
    for (let row = 0; row < rows; row++) {
      if ((from + row) % VALUE_CHECKPOINT_ROWS === 0) this.prefixCheckpoint.push(at);
      at += table.prefixLength[row];
    }
  }

  toTable(): StringValueTable {
    return {
      count: this.valueHash.length,
      ownerDelta: this.ownerDelta.take(),
      ownerCheckpoint: this.ownerCheckpoint.trimmed(),
      ownerFarRow: this.ownerFarRow.trimmed(),
      ownerFarOrdinal: this.ownerFarOrdinal.trimmed(),
      valueHash: this.valueHash.take(),
      otherLengthRow: this.otherLengthRow.trimmed(),
      otherLengthBytes: this.otherLengthBytes.trimmed(),
      prefixLength: this.prefixLength.take(),
      prefixCheckpoint: this.prefixCheckpoint.trimmed(),
      prefixPool: this.prefixPool.take(),
    };
  }
}
