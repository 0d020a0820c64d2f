import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildDominatorTree, DOMINATED_BY_SYNTHETIC_ROOT } from '../../src/graph/dominators.ts';
import { computeRetainedSizes } from '../../src/graph/retained-sizes.ts';
import { ROOT_PARENT_BASE } from '../../src/graph/shortest-paths.ts';
import { buildDump, type BuilderInput } from './graph-builder.ts';

const WEAK_CLASS = '(IMEMO callcache)';
const SINGLETON_CLASS = '#<Class:Thing>';
/** the row that is the singleton class in random graphs (a CLASS row named SINGLETON_CLASS) */
const SINGLETON_ROW = 0;

/**
 * Naive reference: node d dominates v when v cannot be reached from the
 * synthetic root once d is removed. Same flowgraph as the fast version:
 * unreachable objects are attached to the root, those nothing retains
 * first, each in ordinal order.
 */
function naiveDominators(input: BuilderInput): number[] {
  const objects = input.objects;
  const categories = Object.values(input.roots ?? {});
  const objectBase = 1 + categories.length;
  const nodeCount = objectBase + objects.length;
  const successors: number[][] = Array.from({ length: nodeCount }, () => []);
  categories.forEach((refs, category) => {
    successors[0].push(1 + category);
    for (const target of refs) successors[1 + category].push(objectBase + target);
  });
  objects.forEach((object, ordinal) => {
    if (object.className !== WEAK_CLASS) for (const target of object.refs ?? []) successors[objectBase + ordinal].push(objectBase + target);
    // the implicit edge to a singleton class (row SINGLETON_ROW when the builder made it one)
    if (object.className === SINGLETON_CLASS && ordinal !== SINGLETON_ROW) successors[objectBase + ordinal].push(objectBase + SINGLETON_ROW);
  });
  const reachable = (removed: number): boolean[] => {
    const seen = new Array<boolean>(nodeCount).fill(false);
    if (removed === 0) return seen;
    const stack = [0];
    seen[0] = true;
    while (stack.length > 0) {
      const node = stack.pop() as number;
      for (const next of successors[node]) {
        if (next === removed || seen[next]) continue;
        seen[next] = true;
        stack.push(next);
      }
    }
    return seen;
  };
  const retained = new Array<boolean>(nodeCount).fill(false);
  for (let node = objectBase; node < nodeCount; node++) for (const next of successors[node]) retained[next] = true;
  let seen = reachable(-1);
  for (const topsOnly of [true, false]) {
    for (let ordinal = 0; ordinal < objects.length; ordinal++) {
      if (seen[objectBase + ordinal] || (topsOnly && retained[objectBase + ordinal])) continue;
      successors[0].push(objectBase + ordinal);
      seen = reachable(-1);
    }
  }
  const dominatorsOf: Set<number>[] = Array.from({ length: nodeCount }, (_, v) => new Set<number>(v === 0 ? [] : [0]));
  for (let d = 1; d < nodeCount; d++) {
    const without = reachable(d);
    for (let v = 1; v < nodeCount; v++) if (v !== d && !without[v]) dominatorsOf[v].add(d);
  }
  return objects.map((_, ordinal) => {
    const strict = [...dominatorsOf[objectBase + ordinal]];
    const idom = strict.reduce((best, d) => (dominatorsOf[d].size > dominatorsOf[best].size ? d : best), 0);
    if (idom === 0) return DOMINATED_BY_SYNTHETIC_ROOT;
    if (idom < objectBase) return ROOT_PARENT_BASE + idom - 1;
    return idom - objectBase;
  });
}

const randomGraph = fc.integer({ min: 1, max: 24 }).chain((n) =>
  fc.record({
    objects: fc.array(
      fc.record({
        refs: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 }),
        weak: fc.boolean(),
        singleton: fc.boolean(),
      }),
      { minLength: n, maxLength: n },
    ),
    roots: fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), { maxLength: 3 }),
  }),
);

describe('buildDominatorTree', () => {
  it('agrees with a naive remove-and-search reference on random graphs', () => {
    fc.assert(
      fc.property(randomGraph, (graph) => {
        const input: BuilderInput = {
          objects: graph.objects.map((o, ordinal) =>
            ordinal === SINGLETON_ROW
              ? { refs: o.refs, type: 'CLASS', className: 'Class', stringValue: SINGLETON_CLASS }
              : { refs: o.refs, type: o.weak ? 'IMEMO' : 'OBJECT', className: o.weak ? WEAK_CLASS : o.singleton ? SINGLETON_CLASS : 'Object' },
          ),
          roots: Object.fromEntries(graph.roots.map((refs, i) => [`root${i}`, refs])),
        };
        const tree = buildDominatorTree(buildDump(input));
        expect(Array.from(tree.dominatorOf)).toEqual(naiveDominators(input));
      }),
      { numRuns: 400 },
    );
  });

  it('handles a chain deeper than the JS call stack without recursion', () => {
    const n = 200_000;
    const objects = Array.from({ length: n }, (_, ordinal) => ({ refs: ordinal + 1 < n ? [ordinal + 1] : [] }));
    const tree = buildDominatorTree(buildDump({ objects, roots: { vm: [0] } }));
    expect(tree.dominatorOf[n - 1]).toBe(n - 2);
    expect(tree.dominatorOf[0]).toBe(ROOT_PARENT_BASE);
  });
});

describe('computeRetainedSizes', () => {
  // vm -> A; A -> B, C; B -> D; C -> D; D -> E; global -> H (a call cache) -> B;
  // F <-> G is a garbage cycle no ROOT line reaches.
  const input: BuilderInput = {
    objects: [
      { memsize: 10, refs: [1, 2] }, // 0 A
      { memsize: 20, refs: [3] }, // 1 B
      { memsize: 30, refs: [3] }, // 2 C
      { memsize: 40, refs: [4] }, // 3 D
      { memsize: 50 }, // 4 E
      { memsize: 5, refs: [6] }, // 5 F
      { memsize: 7, refs: [5] }, // 6 G
      { memsize: 40, refs: [1], type: 'IMEMO', className: WEAK_CLASS }, // 7 H
    ],
    roots: { vm: [0], global_tbl: [7] },
  };

  it('sums what each object alone keeps alive, ignoring references from call caches', () => {
    const dump = buildDump(input);
    const tree = buildDominatorTree(dump);
    const sizes = computeRetainedSizes(dump, tree);
    expect(Array.from(sizes.retainedBytes)).toEqual([150, 20, 30, 90, 50, 12, 7, 40]);
    expect(Array.from(sizes.rootRetainedBytes)).toEqual([150, 40]);
    expect(sizes.totalBytes).toBe(202);
    expect(sizes.syntheticRootOnlyBytes).toBe(12);
  });

  it('hangs an unreachable object listed before its holder below that holder', () => {
    // 0: a String, 1: the Hash holding it; no ROOT line reaches either
    const tree = buildDominatorTree(buildDump({ objects: [{ type: 'STRING' }, { type: 'HASH', refs: [0] }], roots: { vm: [] } }));
    expect(tree.dominatorOf[0]).toBe(1);
    expect(Array.from(tree.attachedToRoot)).toEqual([0, 1]);
  });

  it('attaches unreachable objects to the synthetic root and counts them', () => {
    const tree = buildDominatorTree(buildDump(input));
    expect(tree.unreachableCount).toBe(2);
    expect(Array.from(tree.attachedToRoot)).toEqual([0, 0, 0, 0, 0, 1, 0, 0]);
    expect(tree.dominatorOf[5]).toBe(DOMINATED_BY_SYNTHETIC_ROOT);
    expect(tree.dominatorOf[6]).toBe(5);
  });

  it('lets a strong second holder move the dominator up to the synthetic root', () => {
    const strong = { ...input, objects: input.objects.map((o, i) => (i === 7 ? { memsize: 40, refs: [1] } : o)) };
    const dump = buildDump(strong);
    const sizes = computeRetainedSizes(dump, buildDominatorTree(dump));
    expect(sizes.retainedBytes[0]).toBe(40);
    expect(sizes.retainedBytes[7]).toBe(40);
    expect(sizes.syntheticRootOnlyBytes).toBe(122);
  });
});
