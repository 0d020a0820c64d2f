/**
 * Expands the compact parts of a StringValueTable into one column per row,
 * for an analysis that visits the rows out of order (duplicate strings,
 * grouping in hash order): each row's owner (see string-value-owners.ts),
 * each value's full length (its owner's sizeField
 * or its listed length, see StringValueTable.otherLengthRow) and where its
 * prefix starts in the pool (the checkpoints plus the lengths between).
 * Computed in one pass in row order; read per row in hash order instead, as
 * `valueBytesOfRow` and `prefixStartOfRow` do, each read missed the cache:
 * duplicateStrings on the 1 GB bench dump took 870-910 ms that way, and
 * takes 470-560 ms with these columns, against 420-530 ms when the table
 * held them itself. They live only as long as the analysis: 12 bytes a
 * value, never part of the HeapDump.
 */
import type { HeapDump } from './heap-dump.ts';
import { ownersOfRows } from './string-value-owners.ts';

export interface StringValueColumns {
  /** the ordinal owning each row (see StringValueTable.ownerDelta) */
  owner: Uint32Array;
  /** full length in bytes of each row's value (escapes decoded) */
  valueBytes: Uint32Array;
  /** `prefixStart[i]..prefixStart[i] + prefixLength[i]` in the pool: row i's prefix */
  prefixStart: Uint32Array;
}

export function stringValueColumns(dump: HeapDump): StringValueColumns {
  const values = dump.stringValues;
  const count = values.count;
  const valueBytes = new Uint32Array(count);
  const prefixStart = new Uint32Array(count);
  const owner = ownersOfRows(values);
  const { prefixLength, otherLengthRow, otherLengthBytes } = values;
  const sizeField = dump.sizeField;
  let nextOther = 0;
  let start = 0;
  for (let row = 0; row < count; row++) {
    if (nextOther < otherLengthRow.length && otherLengthRow[nextOther] === row) valueBytes[row] = otherLengthBytes[nextOther++];
    else valueBytes[row] = sizeField[owner[row]];
    prefixStart[row] = start;
    start += prefixLength[row];
  }
  return { owner, valueBytes, prefixStart };
}
