import { describe, expect, it } from 'vitest';
import { retainerPathOf, formatPathHops } from '../../src/graph/retainer-path.ts';
import { buildRetainers } from '../../src/graph/retainers.ts';
import { buildShortestPathTree } from '../../src/graph/shortest-paths.ts';
import { buildDump } from './graph-builder.ts';

// global_tbl -> Tracker (CLASS) -> events Array [e0, e1] ; e1 -> props Hash {"page" => str}
// Tracker's ivar shape chain: ROOT(0) -> @events(1) -> @name(2): OBJECT 6 has 2 ivars.
const dump = buildDump({
  objects: [
    { type: 'CLASS', className: 'Class', stringValue: 'Tracker', refs: [1] }, // 0
    { type: 'ARRAY', className: 'Array', size: 2, refs: [2, 3] }, // 1
    { className: 'Event', refs: [] }, // 2 e0
    { className: 'Event', refs: [4] }, // 3 e1
    { type: 'HASH', className: 'Hash', size: 1, refs: [5, 7] }, // 4 props
    { type: 'STRING', stringValue: 'page' }, // 5 key
    { className: 'Holder', refs: [1, 7] }, // 6 an object with two ivars
    { type: 'STRING', stringValue: '/products/1' }, // 7 value
  ],
  roots: { vm: [], global_tbl: [0, 6] },
  shapes: [
    [0, 0, 'ROOT', ''],
    [1, 0, 'IVAR', '@events'],
    [2, 1, 'IVAR', '@name'],
  ],
  shapeIdOf: [0, 0, 0, 0, 0, 0, 2, 0],
});

describe('retainerPathOf', () => {
  const tree = buildShortestPathTree(dump);

  it('names array indexes, hash keys and the ROOT category on a shortest path', () => {
    const hops = retainerPathOf(dump, tree, 4);
    expect(hops.map((hop) => [hop.rootCategory ?? hop.className, hop.holds])).toEqual([
      ['global_tbl', 'root reference'],
      ['Class', 'constant, class variable or class-level ivar'],
      ['Array', 'element [1]'],
      ['Event', 'instance variable'],
      ['Hash', ''],
    ]);
    expect(formatPathHops(hops)[0]).toBe('ROOT global_tbl  --root reference-->');
  });

  it('names an instance variable through the SHAPE chain when the ivar count lines up', () => {
    const hops = retainerPathOf(dump, tree, 7);
    expect(hops.map((hop) => hop.holds)).toEqual(['root reference', '@name', '']);
  });

  it('returns no hops for an object no ROOT line reaches', () => {
    const orphan = buildDump({ objects: [{ refs: [1] }, {}], roots: { vm: [] } });
    expect(retainerPathOf(orphan, buildShortestPathTree(orphan), 1)).toEqual([]);
  });

  it('labels a hash value by its String key', async () => {
    const { describeReference } = await import('../../src/graph/reference-labels.ts');
    expect(describeReference(dump, 4, 7)).toBe('value at "page"');
    expect(describeReference(dump, 4, 5)).toBe('Hash key');
  });
});

describe('buildRetainers', () => {
  it('lists each retaining holder of an object in ordinal order', () => {
    const { firstRetainerOffset, retainerOrdinal } = buildRetainers(dump);
    expect(Array.from(retainerOrdinal.subarray(firstRetainerOffset[7], firstRetainerOffset[8]))).toEqual([4, 6]);
    expect(Array.from(retainerOrdinal.subarray(firstRetainerOffset[1], firstRetainerOffset[2]))).toEqual([0, 6]);
  });
});

describe('the retaining predicate', () => {
  it('does not let an ObjectSpace::WeakMap keep or lead to its entries, in every pass', () => {
    const weak = buildDump({
      objects: [
        { type: 'DATA', className: 'ObjectSpace::WeakMap', refs: [1, 2] }, // 0
        { type: 'STRING', stringValue: 'key' }, // 1
        { className: 'Session' }, // 2
      ],
      roots: { global_tbl: [0] },
    });
    const { firstRetainerOffset } = buildRetainers(weak);
    expect(firstRetainerOffset[3] - firstRetainerOffset[2]).toBe(0);
    expect(retainerPathOf(weak, buildShortestPathTree(weak), 2)).toEqual([]);
  });
});

describe('singleton classes', () => {
  it('reaches what a singleton class holds through the object it belongs to', () => {
    // vm -> config (an object with a singleton class) ; the singleton class holds a Proc
    const dump = buildDump({
      objects: [
        { className: '#<Class:Config>' }, // 0: the object, its class is its singleton class
        { type: 'CLASS', className: 'Class', stringValue: '#<Class:Config>', refs: [2] }, // 1: the singleton class
        { type: 'DATA', className: 'Proc' }, // 2: a closure of `def self.x`
      ],
      roots: { vm: [0] },
    });
    const hops = retainerPathOf(dump, buildShortestPathTree(dump), 2);
    expect(hops.map((hop) => hop.holds)).toEqual(['root reference', 'singleton class', 'constant, class variable or class-level ivar', '']);
    const { firstRetainerOffset, retainerOrdinal } = buildRetainers(dump);
    expect(Array.from(retainerOrdinal.subarray(firstRetainerOffset[1], firstRetainerOffset[2]))).toEqual([0]);
  });
});
