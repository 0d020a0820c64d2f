/**
 * Immediate dominators of every object, by the Lengauer-Tarjan algorithm
 * (T. Lengauer and R. E. Tarjan, "A fast algorithm for finding dominators in
 * a flowgraph", ACM TOPLAS 1(1), 1979), the "simple" variant with path
 * compression, O(m log n). The names `semi`, `vertex`, `label`, `ancestor`,
 * `parent`, `bucket` and `dom` are the paper's. Both the depth-first search
 * and `compress` are iterative with typed-array stacks: heap graphs have
 * paths millions of nodes deep, which would overflow the JS call stack.
 *
 * The flowgraph: node 0 is a synthetic root; nodes 1..R are the ROOT
 * categories (the dump's ROOT lines, each an edge from the synthetic root);
 * nodes R+1..R+N are the objects. Object edges are the retaining graph's
 * (retaining-graph.ts). Objects that no ROOT line reaches are not dropped:
 * after the search from the root, each still-unvisited object that nothing
 * retains, then each still-unvisited one at all (cycles), in ordinal order,
 * gets an edge from the synthetic root and the search continues from it, so
 * garbage keeps its own structure below the root and is counted in
 * `unreachableCount`.
 *
 * Invariant of the output: `dominatorOf[o]` is an object ordinal, or
 * ROOT_PARENT_BASE + category (dominated by one ROOT line), or
 * DOMINATED_BY_SYNTHETIC_ROOT (several ROOT lines, or unreachable).
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { buildRetainers, type Retainers } from './retainers.ts';
import { retainingGraphOf } from './retaining-graph.ts';
import { ROOT_PARENT_BASE } from './shortest-paths.ts';

export const DOMINATED_BY_SYNTHETIC_ROOT = 0xfffffffe;

export interface DominatorTree {
  dominatorOf: Uint32Array;
  /** 1 where the object was unreachable from ROOT lines and attached to the synthetic root */
  attachedToRoot: Uint8Array;
  /** objects no ROOT line reaches */
  unreachableCount: number;
  /** DFS preorder of the flowgraph's nodes (node ids, see header); index 0 is the synthetic root */
  vertex: Uint32Array;
  /** immediate dominator per DFS number (1-based numbers; dom[1] = 1) */
  dom: Uint32Array;
}

/** Reverse of the ROOT CSR: for each object, which categories reference it. */
function buildRootRetainers(dump: HeapDump): Retainers {
  const n = dump.objectCount;
  const { categories, firstReferenceOffset, referenceTarget } = dump.roots;
  const firstRetainerOffset = new Uint32Array(n + 1);
  for (let offset = 0; offset < referenceTarget.length; offset++) firstRetainerOffset[referenceTarget[offset] + 1]++;
  for (let ordinal = 0; ordinal < n; ordinal++) firstRetainerOffset[ordinal + 1] += firstRetainerOffset[ordinal];
  const retainerOrdinal = new Uint32Array(referenceTarget.length);
  const nextSlot = firstRetainerOffset.slice(0, n);
  for (let category = 0; category < categories.length; category++) {
    for (let offset = firstReferenceOffset[category]; offset < firstReferenceOffset[category + 1]; offset++) {
      retainerOrdinal[nextSlot[referenceTarget[offset]]++] = category;
    }
  }
  return { firstRetainerOffset, retainerOrdinal };
}

export function buildDominatorTree(dump: HeapDump, retainers: Retainers = buildRetainers(dump)): DominatorTree {
  const n = dump.objectCount;
  const categoryCount = dump.roots.categories.length;
  const objectBase = 1 + categoryCount;
  const nodeCount = objectBase + n;
  const { firstEdgeOffset, edgeTarget } = retainingGraphOf(dump);
  const { roots } = dump;

  // ---- depth-first search, numbering nodes 1..nodeCount in preorder ----
  const dfsNumber = new Uint32Array(nodeCount);
  const vertex = new Uint32Array(nodeCount + 1);
  const parent = new Uint32Array(nodeCount + 1);
  const stackNode = new Uint32Array(nodeCount);
  const stackCursor = new Uint32Array(nodeCount);
  const attachedToRoot = new Uint8Array(n);
  let count = 0;
  const visit = (node: number, parentNumber: number): void => {
    count++;
    dfsNumber[node] = count;
    vertex[count] = node;
    parent[count] = parentNumber;
  };
  const search = (start: number, parentNumber: number): void => {
    visit(start, parentNumber);
    let top = 0;
    stackNode[0] = start;
    stackCursor[0] = 0;
    while (top >= 0) {
      const node = stackNode[top];
      const cursor = stackCursor[top]++;
      let next = -1;
      if (node === 0) {
        if (cursor < categoryCount) next = 1 + cursor;
      } else if (node < objectBase) {
        const category = node - 1;
        const offset = roots.firstReferenceOffset[category] + cursor;
        if (offset < roots.firstReferenceOffset[category + 1]) next = objectBase + roots.referenceTarget[offset];
      } else {
        const holder = node - objectBase;
        const offset = firstEdgeOffset[holder] + cursor;
        if (offset < firstEdgeOffset[holder + 1]) next = objectBase + edgeTarget[offset];
      }
      if (next < 0) {
        top--;
      } else if (dfsNumber[next] === 0) {
        visit(next, dfsNumber[node]);
        top++;
        stackNode[top] = next;
        stackCursor[top] = 0;
      }
    }
  };
  search(0, 0);
  const reachableNodeCount = count;
  // Unreachable objects: first those nothing retains (the tops of garbage
  // trees), then whatever is left (pure cycles), each in ordinal order. Taking
  // plain ordinal order instead made a String listed before its Hash a root of
  // its own, so the Hash did not dominate it.
  for (const topsOnly of [true, false]) {
    for (let ordinal = 0; ordinal < n; ordinal++) {
      if (dfsNumber[objectBase + ordinal] !== 0) continue;
      if (topsOnly && retainers.firstRetainerOffset[ordinal + 1] !== retainers.firstRetainerOffset[ordinal]) continue;
      attachedToRoot[ordinal] = 1;
      search(objectBase + ordinal, 1);
    }
  }
  const unreachableCount = count - reachableNodeCount;

  // ---- semidominators and implicit immediate dominators ----
  const semi = new Uint32Array(count + 1);
  const label = new Uint32Array(count + 1);
  const ancestor = new Uint32Array(count + 1);
  const dom = new Uint32Array(count + 1);
  const bucketHead = new Uint32Array(count + 1);
  const bucketNext = new Uint32Array(count + 1);
  const compressStack = new Uint32Array(count + 1);
  for (let number = 1; number <= count; number++) {
    semi[number] = number;
    label[number] = number;
  }
  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    // compress(v), iteratively: collect the chain, then fold labels top-down.
    let depth = 0;
    let u = v;
    while (ancestor[ancestor[u]] !== 0) {
      compressStack[depth++] = u;
      u = ancestor[u];
    }
    while (depth > 0) {
      const w = compressStack[--depth];
      const a = ancestor[w];
      if (semi[label[a]] < semi[label[w]]) label[w] = label[a];
      ancestor[w] = ancestor[a];
    }
    return label[v];
  };
  const considerPredecessor = (w: number, predecessorNode: number): void => {
    const predecessorNumber = dfsNumber[predecessorNode];
    if (predecessorNumber === 0) return;
    const u = evaluate(predecessorNumber);
    if (semi[u] < semi[w]) semi[w] = semi[u];
  };
  const rootRetainers = buildRootRetainers(dump);
  for (let w = count; w >= 2; w--) {
    const node = vertex[w];
    if (node < objectBase) {
      considerPredecessor(w, 0);
    } else {
      const ordinal = node - objectBase;
      if (attachedToRoot[ordinal] === 1) considerPredecessor(w, 0);
      for (let offset = rootRetainers.firstRetainerOffset[ordinal]; offset < rootRetainers.firstRetainerOffset[ordinal + 1]; offset++) {
        considerPredecessor(w, 1 + rootRetainers.retainerOrdinal[offset]);
      }
      for (let offset = retainers.firstRetainerOffset[ordinal]; offset < retainers.firstRetainerOffset[ordinal + 1]; offset++) {
        considerPredecessor(w, objectBase + retainers.retainerOrdinal[offset]);
      }
    }
    bucketNext[w] = bucketHead[semi[w]];
    bucketHead[semi[w]] = w;
    const p = parent[w];
    ancestor[w] = p; // link(parent[w], w)
    for (let v = bucketHead[p]; v !== 0; v = bucketNext[v]) {
      const u = evaluate(v);
      dom[v] = semi[u] < semi[v] ? u : p;
    }
    bucketHead[p] = 0;
  }
  dom[1] = 1;
  for (let w = 2; w <= count; w++) {
    if (dom[w] !== semi[w]) dom[w] = dom[dom[w]];
  }

  // ---- immediate dominators per object ordinal ----
  const dominatorOf = new Uint32Array(n);
  for (let ordinal = 0; ordinal < n; ordinal++) {
    const dominatorNode = vertex[dom[dfsNumber[objectBase + ordinal]]];
    if (dominatorNode === 0) dominatorOf[ordinal] = DOMINATED_BY_SYNTHETIC_ROOT;
    else if (dominatorNode < objectBase) dominatorOf[ordinal] = ROOT_PARENT_BASE + dominatorNode - 1;
    else dominatorOf[ordinal] = dominatorNode - objectBase;
  }
  return { dominatorOf, attachedToRoot, unreachableCount, vertex: vertex.subarray(0, count + 1), dom };
}
