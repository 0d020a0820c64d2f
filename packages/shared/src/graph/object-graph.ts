/**
 * The graph analyses of one dump, computed on first use and kept: retainers
 * (reverse CSR), the breadth-first shortest-path tree from the ROOT lines,
 * the dominator tree and retained sizes. All of them use the one retaining
 * predicate (retaining-edge.ts). Holds typed arrays only.
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { buildDominatorTree, type DominatorTree } from './dominators.ts';
import { computeRetainedSizes, type RetainedSizes } from './retained-sizes.ts';
import { buildRetainers, type Retainers } from './retainers.ts';
import { buildShortestPathTree, type ShortestPathTree } from './shortest-paths.ts';

export class ObjectGraph {
  private retainersCache: Retainers | null = null;
  private pathsCache: ShortestPathTree | null = null;
  private dominatorsCache: DominatorTree | null = null;
  private sizesCache: RetainedSizes | null = null;

  constructor(readonly dump: HeapDump) {}

  get retainers(): Retainers {
    return (this.retainersCache ??= buildRetainers(this.dump));
  }

  get paths(): ShortestPathTree {
    return (this.pathsCache ??= buildShortestPathTree(this.dump));
  }

  get dominators(): DominatorTree {
    return (this.dominatorsCache ??= buildDominatorTree(this.dump, this.retainers));
  }

  get retainedSizes(): RetainedSizes {
    return (this.sizesCache ??= computeRetainedSizes(this.dump, this.dominators));
  }
}

const graphs = new WeakMap<HeapDump, ObjectGraph>();

/** The one ObjectGraph of a dump (so every caller shares the computed arrays). */
export function objectGraphOf(dump: HeapDump): ObjectGraph {
  let graph = graphs.get(dump);
  if (!graph) {
    graph = new ObjectGraph(dump);
    graphs.set(dump, graph);
  }
  return graph;
}
