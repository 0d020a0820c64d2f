/**
 * Clusters likely-retained objects by what holds them. The holder of a
 * retained object is its nearest dominator that is not itself retained:
 * climbing the dominator tree from an `Ahoy::Event`'s `@properties` Hash
 * passes the event (retained, allocated in the same window) and stops at the
 * long-lived Array that holds every event. Everything the holder dominates
 * would be freed with it, so one cluster is one thing to fix, even when its
 * objects were allocated at several sites (Rack, Puma and app code).
 * Objects whose nearest non-retained dominator is a ROOT line or the
 * synthetic root have no single holder; they are clustered by allocation site.
 *
 * Typed arrays throughout; cluster keys go through a TripleKeyTable (holder,
 * site, 0), never a Map keyed per object.
 */
import { NO_ORDINAL, type HeapDump } from '../store/heap-dump.ts';
import { TripleKeyTable } from '../diff/triple-key-table.ts';
import type { DominatorTree } from '../graph/dominators.ts';
import { ROOT_PARENT_BASE } from '../graph/shortest-paths.ts';

export interface SuspectClusters {
  clusterCount: number;
  /** per cluster: holder ordinal, or a value >= ROOT_PARENT_BASE (a ROOT category or the synthetic root) */
  holderOf: Uint32Array;
  /** per cluster: the allocation site when the holder is not an object, else 0 */
  siteOf: Uint32Array;
  /** per cluster: retained objects in it */
  count: Uint32Array;
  /** per cluster: sum of the members' own memsize */
  memsizeBytes: Float64Array;
  /** per cluster: sum of retained sizes of members the holder dominates directly (what fixing it frees) */
  retainedBytes: Float64Array;
  /** per cluster: the member directly below the holder that retains the most (for the path and the title) */
  representative: Uint32Array;
  /** per object ordinal: its cluster, or NO_ORDINAL when the object is not retained */
  clusterOfObject: Uint32Array;
}

/** Nearest dominator of `ordinal` outside the retained set, memoized in `holderMemo` (NO_ORDINAL = unknown). */
function nearestOutsideDominator(tree: DominatorTree, retained: Uint8Array, holderMemo: Uint32Array, chain: Uint32Array, ordinal: number): number {
  let length = 0;
  let current = ordinal;
  let holder: number;
  while (true) {
    if (holderMemo[current] !== NO_ORDINAL) {
      holder = holderMemo[current];
      break;
    }
    chain[length++] = current;
    const dominator = tree.dominatorOf[current];
    if (dominator >= ROOT_PARENT_BASE || retained[dominator] === 0) {
      holder = dominator;
      break;
    }
    current = dominator;
  }
  for (let i = 0; i < length; i++) holderMemo[chain[i]] = holder;
  return holder;
}

export function clusterRetained(dump: HeapDump, tree: DominatorTree, retainedBytesOf: Float64Array, retained: Uint8Array): SuspectClusters {
  const n = dump.objectCount;
  const holderMemo = new Uint32Array(n).fill(NO_ORDINAL);
  const chain = new Uint32Array(n);
  const clusterOfObject = new Uint32Array(n).fill(NO_ORDINAL);
  const table = new TripleKeyTable();
  for (let ordinal = 0; ordinal < n; ordinal++) {
    if (retained[ordinal] === 0) continue;
    const holder = nearestOutsideDominator(tree, retained, holderMemo, chain, ordinal);
    const site = holder >= ROOT_PARENT_BASE ? dump.siteOrdinal[ordinal] : 0;
    clusterOfObject[ordinal] = table.slotOf(holder, site, 0);
  }
  const clusterCount = table.size;
  const holderOf = new Uint32Array(clusterCount);
  const siteOf = new Uint32Array(clusterCount);
  for (let cluster = 0; cluster < clusterCount; cluster++) {
    const [holder, site] = table.keysOf(cluster);
    holderOf[cluster] = holder;
    siteOf[cluster] = site;
  }
  const count = new Uint32Array(clusterCount);
  const memsizeBytes = new Float64Array(clusterCount);
  const retainedBytes = new Float64Array(clusterCount);
  const representative = new Uint32Array(clusterCount).fill(NO_ORDINAL);
  for (let ordinal = 0; ordinal < n; ordinal++) {
    const cluster = clusterOfObject[ordinal];
    if (cluster === NO_ORDINAL) continue;
    count[cluster]++;
    memsizeBytes[cluster] += dump.memsizeBytes[ordinal];
    const direct = tree.dominatorOf[ordinal] === holderOf[cluster];
    if (direct) retainedBytes[cluster] += retainedBytesOf[ordinal];
    // the representative: the direct member retaining the most; any member when none is direct
    const current = representative[cluster];
    if (
      current === NO_ORDINAL ||
      (direct && (tree.dominatorOf[current] !== holderOf[cluster] || retainedBytesOf[ordinal] > retainedBytesOf[current]))
    ) {
      representative[cluster] = ordinal;
    }
  }
  return { clusterCount, holderOf, siteOf, count, memsizeBytes, retainedBytes, representative, clusterOfObject };
}
