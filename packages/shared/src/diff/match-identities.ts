/**
 * Pairs the rows of two dumps that are the same object (identity-keys.ts), by
 * one merge pass over both digests in address order: O(n + m), no hash
 * table, no Map (V8 Maps stop at 2^24 entries). Addresses are unique within a
 * dump, so each row matches at most one row of the other dump.
 */
import { NO_ORDINAL } from '../store/heap-dump.ts';
import type { DumpDigest } from './dump-digest.ts';

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

export function matchIdentities(first: DumpDigest, second: DumpDigest): IdentityMatch {
  const firstToSecond = new Uint32Array(first.objectCount).fill(NO_ORDINAL);
  const secondToFirst = new Uint32Array(second.objectCount).fill(NO_ORDINAL);
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
        firstToSecond[a] = b;
        secondToFirst[b] = a;
        if ((tag & 1) === 1) tracedMatches++;
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
