/**
 * Retained sizes from a dominator tree: the retained bytes of an object are
 * its own `memsize` plus the retained bytes of every object it immediately
 * dominates, i.e. what the GC could free if that one object were gone.
 * Summed in Float64 (a Uint32 sum overflows at 4 GiB). One pass over the DFS
 * preorder backwards: an immediate dominator always has a smaller DFS number
 * than the nodes it dominates, so every subtree is complete before it is added
 * to its dominator.
 */
import type { HeapDump } from '../store/heap-dump.ts';
import type { DominatorTree } from './dominators.ts';

export interface RetainedSizes {
  /** per object ordinal */
  retainedBytes: Float64Array;
  /** per ROOT category: bytes dominated by that ROOT line alone */
  rootRetainedBytes: Float64Array;
  /** bytes dominated by no single ROOT line (shared by several, or unreachable) */
  syntheticRootOnlyBytes: number;
  /** sum of every object's memsize: the synthetic root's retained size */
  totalBytes: number;
}

export function computeRetainedSizes(dump: HeapDump, tree: DominatorTree): RetainedSizes {
  const categoryCount = dump.roots.categories.length;
  const objectBase = 1 + categoryCount;
  const { vertex, dom } = tree;
  const count = vertex.length - 1;
  const retainedByNumber = new Float64Array(count + 1);
  for (let number = count; number >= 2; number--) {
    const node = vertex[number];
    if (node >= objectBase) retainedByNumber[number] += dump.memsizeBytes[node - objectBase];
    retainedByNumber[dom[number]] += retainedByNumber[number];
  }
  const retainedBytes = new Float64Array(dump.objectCount);
  const rootRetainedBytes = new Float64Array(categoryCount);
  let categoriesBytes = 0;
  for (let number = 2; number <= count; number++) {
    const node = vertex[number];
    if (node >= objectBase) retainedBytes[node - objectBase] = retainedByNumber[number];
    else {
      rootRetainedBytes[node - 1] = retainedByNumber[number];
      categoriesBytes += retainedByNumber[number];
    }
  }
  const totalBytes = retainedByNumber[1];
  return { retainedBytes, rootRetainedBytes, syntheticRootOnlyBytes: totalBytes - categoriesBytes, totalBytes };
}
