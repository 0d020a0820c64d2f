/**
 * Read helpers over a parsed HeapDump: find an object by address, turn
 * addresses to and from their `0x…` text, and give the display names the UI
 * and CLI show (class names, allocation sites, string prefixes, fds). Each is
 * O(1) or a binary search; none allocates per object.
 */
import { ordinalInRuns } from './address-runs.ts';
import { indexOfSorted } from './sorted-search.ts';
import { ownerOfRow, rowOfOwner } from './string-value-owners.ts';
import { NO_ORDINAL, NO_SHAPE_ID, NO_SHAPE_ID_16, VALUE_CHECKPOINT_ROWS, type HeapDump, type StringValueTable } from './heap-dump.ts';

export function parseAddress(hex: string): number {
  const digits = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]{1,13}$/.test(digits)) throw new RangeError(`not an address: ${JSON.stringify(hex)}`);
  return Number.parseInt(digits, 16);
}

export function formatAddress(address: number): string {
  return `0x${address.toString(16)}`;
}

/** The ordinal of the object at `address`, or NO_ORDINAL. */
export function ordinalOfAddress(dump: HeapDump, address: number): number {
  if (dump.addressRuns !== null) {
    const ordinal = ordinalInRuns(dump.addressRuns, dump.address, address);
    return ordinal === -1 ? NO_ORDINAL : ordinal;
  }
  const order = dump.ordinalsByAddress;
  const column = dump.address;
  let low = 0;
  let high = dump.objectCount - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const ordinal = order === null ? middle : order[middle];
    const found = column[ordinal];
    if (found === address) return ordinal;
    if (found < address) low = middle + 1;
    else high = middle - 1;
  }
  return NO_ORDINAL;
}

/** The display name of an object's class: `Foo::Bar`, `#<Class:0x…>`, `(IMEMO callcache)`, `(STRING)`. */
export function classNameOf(dump: HeapDump, ordinal: number): string {
  return dump.classes.names[dump.classOrdinal[ordinal]] ?? '(none)';
}

/** `file:line` of an allocation site, or '' for site 0 (untraced). */
export function siteLabelOf(dump: HeapDump, siteOrdinal: number): string {
  if (siteOrdinal === 0) return '';
  const sites = dump.sites;
  const file = sites.strings[sites.fileIndex[siteOrdinal]];
  return `${file}:${sites.line[siteOrdinal]}`;
}

/** The method of an allocation site, or ''. */
export function siteMethodOf(dump: HeapDump, siteOrdinal: number): string {
  if (siteOrdinal === 0) return '';
  return dump.sites.strings[dump.sites.methodIndex[siteOrdinal]];
}

const prefixDecoder = new TextDecoder('utf-8');

/** The stored first bytes of a STRING/SYMBOL value, decoded; null when the line had no `value`. */
export function stringPrefixOf(dump: HeapDump, ordinal: number): string | null {
  const values = dump.stringValues;
  const row = rowOfOwner(values, ordinal);
  if (row === -1) return null;
  const start = prefixStartOfRow(values, row);
  return prefixDecoder.decode(values.prefixPool.subarray(start, start + values.prefixLength[row]));
}

/** Where row `row`'s prefix starts in `values.prefixPool`: its checkpoint plus the lengths of the rows since (at most 63). */
export function prefixStartOfRow(values: StringValueTable, row: number): number {
  const first = row - (row % VALUE_CHECKPOINT_ROWS);
  let start = values.prefixCheckpoint[first / VALUE_CHECKPOINT_ROWS];
  for (let at = first; at < row; at++) start += values.prefixLength[at];
  return start;
}

/** The full byte length of a STRING/SYMBOL value, or null when the line had no `value`. */
export function stringValueBytesOf(dump: HeapDump, ordinal: number): number | null {
  const row = rowOfOwner(dump.stringValues, ordinal);
  return row === -1 ? null : valueBytesOfRow(dump, row);
}

/** The full byte length of the value in row `row` of the string value table (see StringValueTable.otherLengthRow). */
export function valueBytesOfRow(dump: HeapDump, row: number): number {
  const values = dump.stringValues;
  const other = indexOfSorted(values.otherLengthRow, values.otherLengthRow.length, row);
  return other === -1 ? dump.sizeField[ownerOfRow(values, row)] : values.otherLengthBytes[other];
}

/** The object's `shape_id` (Ruby 3.3+), or null when the dump or its line had none (see HeapDump.shapeId). */
export function shapeIdOf(dump: HeapDump, ordinal: number): number | null {
  const ids = dump.shapeId;
  if (ids === null) return null;
  const id = ids[ordinal];
  return id === (ids instanceof Uint16Array ? NO_SHAPE_ID_16 : NO_SHAPE_ID) ? null : id;
}

export function fileDescriptorOf(dump: HeapDump, ordinal: number): number | null {
  const table = dump.fileDescriptors;
  const row = indexOfSorted(table.owner, table.count, ordinal);
  return row === -1 ? null : table.fd[row];
}

/** The ordinals `ordinal` refers to (a view into the CSR, not a copy). */
export function referencesOf(dump: HeapDump, ordinal: number): Uint32Array {
  return dump.referenceTarget.subarray(dump.firstReferenceOffset[ordinal], dump.firstReferenceOffset[ordinal + 1]);
}
