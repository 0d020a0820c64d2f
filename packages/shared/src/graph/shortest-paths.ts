/**
 * Breadth-first search from the ROOT lines over retaining edges (retaining-graph.ts): for every
 * object, the holder one step closer to a root on a shortest path. Ties are
 * broken by order (ROOT categories in file order, references in line order),
 * so the result is deterministic.
 *
 * `parentOf[o]` is an object ordinal, or `ROOT_PARENT_BASE + category` when a
 * ROOT line references `o` directly, or NO_ORDINAL when `o` cannot be reached
 * from any root (garbage the GC had not swept yet, or a `since:` dump, which
 * has no ROOT lines at all). Iterative with a typed-array queue: depth is
 * unbounded (a linked list of a million nodes is a million hops).
 */
import { NO_ORDINAL, type HeapDump } from '../store/heap-dump.ts';
import { retainingGraphOf } from './retaining-graph.ts';

/** Parent values at or above this are ROOT categories (category = value - base). */
export const ROOT_PARENT_BASE = 0xffffff00;

export interface ShortestPathTree {
  parentOf: Uint32Array;
  /** hops from a ROOT line (1 = referenced by a ROOT line); 0 when unreachable */
  depthOf: Uint32Array;
  reachableCount: number;
}

export function buildShortestPathTree(dump: HeapDump): ShortestPathTree {
  const n = dump.objectCount;
  const { firstEdgeOffset, edgeTarget } = retainingGraphOf(dump);
  const parentOf = new Uint32Array(n).fill(NO_ORDINAL);
  const depthOf = new Uint32Array(n);
  const queue = new Uint32Array(n);
  let tail = 0;
  const { roots } = dump;
  for (let category = 0; category < roots.categories.length; category++) {
    for (let offset = roots.firstReferenceOffset[category]; offset < roots.firstReferenceOffset[category + 1]; offset++) {
      const target = roots.referenceTarget[offset];
      if (parentOf[target] !== NO_ORDINAL) continue;
      parentOf[target] = ROOT_PARENT_BASE + category;
      depthOf[target] = 1;
      queue[tail++] = target;
    }
  }
  for (let head = 0; head < tail; head++) {
    const holder = queue[head];
    for (let offset = firstEdgeOffset[holder]; offset < firstEdgeOffset[holder + 1]; offset++) {
      const target = edgeTarget[offset];
      if (parentOf[target] !== NO_ORDINAL) continue;
      parentOf[target] = holder;
      depthOf[target] = depthOf[holder] + 1;
      queue[tail++] = target;
    }
  }
  return { parentOf, depthOf, reachableCount: tail };
}

export interface PathStep {
  /** the holder: an object ordinal, or null for the ROOT line that starts the path */
  holderOrdinal: number | null;
  /** set on the first step only */
  rootCategory: string | null;
  /** the object held at this step */
  heldOrdinal: number;
}

/**
 * The steps from a ROOT line down to `ordinal`, root first; empty when the
 * object is unreachable.
 */
export function pathStepsTo(dump: HeapDump, tree: ShortestPathTree, ordinal: number): PathStep[] {
  const steps: PathStep[] = [];
  let held = ordinal;
  while (true) {
    const parent = tree.parentOf[held];
    if (parent === NO_ORDINAL) return [];
    if (parent >= ROOT_PARENT_BASE) {
      steps.push({ holderOrdinal: null, rootCategory: dump.roots.categories[parent - ROOT_PARENT_BASE], heldOrdinal: held });
      return steps.reverse();
    }
    steps.push({ holderOrdinal: parent, rootCategory: null, heldOrdinal: held });
    held = parent;
  }
}
