/**
 * Reverse references ("retainers") in CSR form, built by counting sort over
 * the retaining graph (retaining-graph.ts: retaining references plus the
 * implicit singleton-class edges).
 * The retainers of object `o` are
 * `retainerOrdinal[firstRetainerOffset[o] .. firstRetainerOffset[o + 1])`,
 * in ascending holder ordinal (the counting sort is stable). A holder that
 * references the same target twice appears twice, as in the forward CSR.
 * ROOT categories are not objects and are not listed here; see
 * `rootCategoriesReferencing`.
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { retainingGraphOf } from './retaining-graph.ts';

export interface Retainers {
  /** length objectCount + 1 */
  firstRetainerOffset: Uint32Array;
  retainerOrdinal: Uint32Array;
}

export function buildRetainers(dump: HeapDump): Retainers {
  const n = dump.objectCount;
  const { firstEdgeOffset, edgeTarget } = retainingGraphOf(dump);
  const firstRetainerOffset = new Uint32Array(n + 1);
  for (let offset = 0; offset < edgeTarget.length; offset++) firstRetainerOffset[edgeTarget[offset] + 1]++;
  for (let ordinal = 0; ordinal < n; ordinal++) firstRetainerOffset[ordinal + 1] += firstRetainerOffset[ordinal];
  const retainerOrdinal = new Uint32Array(firstRetainerOffset[n]);
  const nextSlot = firstRetainerOffset.slice(0, n);
  for (let holder = 0; holder < n; holder++) {
    for (let offset = firstEdgeOffset[holder]; offset < firstEdgeOffset[holder + 1]; offset++) {
      retainerOrdinal[nextSlot[edgeTarget[offset]]++] = holder;
    }
  }
  return { firstRetainerOffset, retainerOrdinal };
}

/** Indexes of the ROOT categories that reference `ordinal` (few; a linear scan of the root CSR). */
export function rootCategoriesReferencing(dump: HeapDump, ordinal: number): number[] {
  const { firstReferenceOffset, referenceTarget, categories } = dump.roots;
  const found: number[] = [];
  for (let category = 0; category < categories.length; category++) {
    for (let offset = firstReferenceOffset[category]; offset < firstReferenceOffset[category + 1]; offset++) {
      if (referenceTarget[offset] === ordinal) {
        found.push(category);
        break;
      }
    }
  }
  return found;
}
