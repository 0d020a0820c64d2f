/**
 * Pairs the rows of two dumps that are the same object (identity-keys.ts), by
 * one merge pass over both address-sorted key lists: O(n + m), no hash table,
 * no Map (V8 Maps stop at 2^24 entries). Addresses are unique within a dump,
 * so each row matches at most one row of the other dump.
 */
import { NO_ORDINAL } from '../store/heap-dump.ts';
import type { IdentityKeys } from './identity-keys.ts';

export interface IdentityMatch {
  /** per ordinal of the first dump: the matching ordinal in the second, or NO_ORDINAL */
  firstToSecond: Uint32Array;
  /** per ordinal of the second dump: the matching ordinal in the first, or NO_ORDINAL */
  secondToFirst: Uint32Array;
  /** pairs matched on address + type + generation + allocation site */
  tracedMatches: number;
  /** pairs matched on address + type + class only (untraced rows) */
  weakMatches: number;
  /** same address and not the same object (slot reused or object replaced) */
  addressOnlyMatches: number;
}

export function matchIdentities(first: IdentityKeys, second: IdentityKeys): IdentityMatch {
  const firstToSecond = new Uint32Array(first.objectCount).fill(NO_ORDINAL);
  const secondToFirst = new Uint32Array(second.objectCount).fill(NO_ORDINAL);
  let tracedMatches = 0;
  let weakMatches = 0;
  let addressOnlyMatches = 0;
  let i = 0;
  let j = 0;
  while (i < first.objectCount && j < second.objectCount) {
    const a = first.sortedAddress[i];
    const b = second.sortedAddress[j];
    if (a < b) i++;
    else if (a > b) j++;
    else {
      if (first.sortedTag[i] === second.sortedTag[j]) {
        firstToSecond[first.sortedOrdinal[i]] = second.sortedOrdinal[j];
        secondToFirst[second.sortedOrdinal[j]] = first.sortedOrdinal[i];
        if ((first.sortedTag[i] & 1) === 1) tracedMatches++;
        else weakMatches++;
      } else {
        addressOnlyMatches++;
      }
      i++;
      j++;
    }
  }
  return { firstToSecond, secondToFirst, tracedMatches, weakMatches, addressOnlyMatches };
}
