/**
 * Reads the owners of a StringValueTable, kept compact: the owner ordinals
 * ascend row by row, so the table stores each row's distance from the row
 * before in a byte (`ownerDelta`), the ordinal itself at every
 * VALUE_CHECKPOINT_ROWS-th row (`ownerCheckpoint`), and, for the rare row
 * more than 254 ordinals past the one before (`OWNER_FAR` in its byte), its
 * ordinal in `ownerFarRow`/`ownerFarOrdinal`. About 1.1 bytes a value
 * instead of a 4-byte ordinal: ~3.7 MB less on the 1 GB bench dump's 1.29 M
 * values (54.5 -> 53.4 bytes an object). A row's owner is its checkpoint
 * plus at most 63 bytes; a value's row is a binary search over the
 * checkpoints plus at most 63 more.
 */
import { VALUE_CHECKPOINT_ROWS, type StringValueTable } from './heap-dump.ts';
import { indexOfSorted, lastIndexAtOrBelow } from './sorted-search.ts';

/** the byte of a row whose owner is listed in ownerFarRow/ownerFarOrdinal */
export const OWNER_FAR = 255;
/** `ownerEntry` of a checkpoint row: its owner goes to ownerCheckpoint (its byte stays 0) */
export const OWNER_CHECKPOINT = -1;

/**
 * What row `row` keeps of its owner `ordinal`, `previous` being the owner of
 * the row before: OWNER_CHECKPOINT, OWNER_FAR (listed with its ordinal), or
 * its distance from `previous`, the byte itself. The one rule both encoders
 * follow: the parser's, row by row (StringValuesBuilder), and `encodeOwners`.
 */
export function ownerEntry(row: number, ordinal: number, previous: number): number {
  if (row % VALUE_CHECKPOINT_ROWS === 0) return OWNER_CHECKPOINT;
  const delta = ordinal - previous;
  return delta >= OWNER_FAR ? OWNER_FAR : delta;
}

type OwnerColumns = Pick<StringValueTable, 'count' | 'ownerDelta' | 'ownerCheckpoint' | 'ownerFarRow' | 'ownerFarOrdinal'>;

function farOrdinal(values: OwnerColumns, row: number): number {
  const at = indexOfSorted(values.ownerFarRow, values.ownerFarRow.length, row);
  if (at === -1) throw new RangeError(`string value row ${row} is marked far but not listed`);
  return values.ownerFarOrdinal[at];
}

/** The owner of the row after one owned by `previous`. */
function nextOwner(values: OwnerColumns, row: number, previous: number): number {
  const delta = values.ownerDelta[row];
  return delta === OWNER_FAR ? farOrdinal(values, row) : previous + delta;
}

/** The ordinal owning row `row`. */
export function ownerOfRow(values: OwnerColumns, row: number): number {
  const first = row - (row % VALUE_CHECKPOINT_ROWS);
  let ordinal = values.ownerCheckpoint[first / VALUE_CHECKPOINT_ROWS];
  for (let at = first + 1; at <= row; at++) ordinal = nextOwner(values, at, ordinal);
  return ordinal;
}

/** The row of the value `ordinal` owns, or -1 when it owns none. */
export function rowOfOwner(values: OwnerColumns, ordinal: number): number {
  const checkpoints = values.ownerCheckpoint;
  if (checkpoints.length === 0 || ordinal < checkpoints[0]) return -1;
  const low = lastIndexAtOrBelow(checkpoints, checkpoints.length, ordinal);
  let row = low * VALUE_CHECKPOINT_ROWS;
  let owner = checkpoints[low];
  const end = Math.min(values.count, row + VALUE_CHECKPOINT_ROWS);
  while (owner < ordinal && row + 1 < end) owner = nextOwner(values, ++row, owner);
  return owner === ordinal ? row : -1;
}

/** Every row's owner, decoded in one pass (for an analysis that visits rows out of order). */
export function ownersOfRows(values: OwnerColumns): Uint32Array {
  const owners = new Uint32Array(values.count);
  let far = 0;
  let owner = 0;
  for (let row = 0; row < values.count; row++) {
    if (row % VALUE_CHECKPOINT_ROWS === 0) owner = values.ownerCheckpoint[row / VALUE_CHECKPOINT_ROWS];
    else {
      const delta = values.ownerDelta[row];
      if (delta === OWNER_FAR) owner = values.ownerFarOrdinal[far++];
      else owner += delta;
    }
    owners[row] = owner;
  }
  return owners;
}

/**
 * The compact owner columns of ascending `owners`, all at once (for tables
 * built outside the parser, as in tests; the parser's StringValuesBuilder
 * writes the same columns row by row as it goes).
 */
export function encodeOwners(owners: ArrayLike<number>): Pick<StringValueTable, 'ownerDelta' | 'ownerCheckpoint' | 'ownerFarRow' | 'ownerFarOrdinal'> {
  const ownerDelta = new Uint8Array(owners.length);
  const checkpoints: number[] = [];
  const farRows: number[] = [];
  const farOrdinals: number[] = [];
  for (let row = 0; row < owners.length; row++) {
    if (row > 0 && owners[row] < owners[row - 1]) throw new RangeError(`owners must ascend: row ${row} has ${owners[row]} after ${owners[row - 1]}`);
    const entry = ownerEntry(row, owners[row], row > 0 ? owners[row - 1] : 0);
    if (entry === OWNER_CHECKPOINT) checkpoints.push(owners[row]);
    else {
      ownerDelta[row] = entry;
      if (entry === OWNER_FAR) {
        farRows.push(row);
        farOrdinals.push(owners[row]);
      }
    }
  }
  return { ownerDelta, ownerCheckpoint: Uint32Array.from(checkpoints), ownerFarRow: Uint32Array.from(farRows), ownerFarOrdinal: Uint32Array.from(farOrdinals) };
}
