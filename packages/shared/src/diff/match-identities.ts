/**
 * Pairs the rows of two dumps that are the same object (identity-keys.ts), by
 * one merge pass over both digests in address order: O(n + m), no hash
 * table, no Map (V8 Maps stop at 2^24 entries). Addresses are unique within a
 * dump, so each row matches at most one row of the other dump.
 *
 * What comes out is only what the diff uses, to keep its peak memory low on
 * dumps of millions of rows: which rows of each side found no match (1 byte
 * a row) and, when asked, the ordinal map from the first side to the second
 * (4 bytes a row; SeriesDiffBuilder keeps it from `after` to `later`).
 */
import { NO_ORDINAL } from '../store/heap-dump.ts';
import type { DumpDigest } from './dump-digest.ts';

/** What matching reads of a digest. */
export type IdentityKeys = Pick<DumpDigest, 'objectCount' | 'address' | 'tag' | 'ordinalsByAddress'>;

export interface IdentityMatch {
  /** per ordinal of the first dump: 1 when no row of the second is the same object */
  firstUnmatched: Uint8Array;
  /** per ordinal of the second dump: 1 when no row of the first is the same object */
  secondUnmatched: Uint8Array;
  /** per ordinal of the first dump: the matching ordinal in the second, or NO_ORDINAL; null unless asked for */
  firstToSecond: Uint32Array | null;
  /** pairs matched on address + type + generation + allocation site */
  tracedMatches: number;
  /** pairs matched on address + type + class only (untraced rows) */
  weakMatches: number;
  /** same address and not the same object (slot reused or object replaced) */
  addressOnlyMatches: number;
}

export function matchIdentities(first: IdentityKeys, second: IdentityKeys, options: { mapFirstToSecond?: boolean } = {}): IdentityMatch {
  const firstUnmatched = new Uint8Array(first.objectCount).fill(1);
  const secondUnmatched = new Uint8Array(second.objectCount).fill(1);
  const firstToSecond = options.mapFirstToSecond ? new Uint32Array(first.objectCount).fill(NO_ORDINAL) : null;
  const firstOrder = first.ordinalsByAddress;
  const secondOrder = second.ordinalsByAddress;
  let tracedMatches = 0;
  let weakMatches = 0;
  let addressOnlyMatches = 0;
  let i = 0;
  let j = 0;
  while (i < first.objectCount && j < second.objectCount) {
    const a = firstOrder === null ? i : firstOrder[i];
    const b = secondOrder === null ? j : secondOrder[j];
    const addressA = first.address[a];
    const addressB = second.address[b];
    if (addressA < addressB) i++;
    else if (addressA > addressB) j++;
    else {
      const tag = first.tag[a];
      if (tag === second.tag[b]) {
        firstUnmatched[a] = 0;
        secondUnmatched[b] = 0;
        if (firstToSecond !== null) firstToSecond[a] = b;
        if ((tag & 1) === 1) tracedMatches++;
        else weakMatches++;
      } else {
        addressOnlyMatches++;
      }
      i++;
      j++;
    }
  }
  return { firstUnmatched, secondUnmatched, firstToSecond, tracedMatches, weakMatches, addressOnlyMatches };
}
