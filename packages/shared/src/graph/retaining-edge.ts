/**
 * The one predicate that decides which references keep their target alive.
 * Every graph pass (retainers, shortest retainer paths, dominators and
 * retained sizes, suspects) asks this module and nothing else: memlab's
 * TraceFinder tells of a hang caused by two passes that disagreed about it.
 *
 * The decision is per holder, made from the holder's class row:
 * - IMEMO call caches and call infos (`callcache`, `callinfo`) do not retain.
 *   They are inline caches: Ruby clears or drops them when their class or
 *   method entry goes away (the class pointer of a call cache is weak since
 *   3.0). Counting them as holders would make every class and method entry
 *   look "retained by a cache" and would put thousands of caches on paths.
 * - `ObjectSpace::WeakMap` and `ObjectSpace::WeakKeyMap` do not retain: their
 *   entries are weak by definition, yet the dump lists them as references.
 * Everything else retains, including constant caches (`constcache`), whose
 * entry holds the constant's value strongly.
 *
 * One edge is added that the dump does not list: an object whose class is a
 * singleton class (`#<Class:Foo>`, made by `def self.x`, `class << self` or
 * `obj.define_singleton_method`) holds that singleton class, as Ruby's GC
 * marks every object's class. Without it the singleton classes of a Rails
 * app, their method entries, iseqs and the closures of their methods (about
 * 11 % of a Rails dump) looked unreachable. Ordinary classes are not added:
 * they are reachable as constants, and an edge from each instance would put
 * a million retainers on `String`.
 * Rejected alternative: a per-edge rule on the target's type. It cannot tell a
 * weak table from a strong one, and it would need a second lookup per edge.
 */
import { ClassKind, NO_ORDINAL, type HeapDump } from '../store/heap-dump.ts';
import { TypeCode } from '../store/object-types.ts';

const WEAK_CLASS_NAMES = new Set(['ObjectSpace::WeakMap', 'ObjectSpace::WeakKeyMap']);
const WEAK_IMEMO_PATTERN = /\b(callcache|callinfo)\b/;

/** Values of `RetainingEdges.weakHolderClass`. */
const STRONG = 0;
const WEAK_IF_IMEMO = 1;
const WEAK_MAP = 2;

export interface RetainingEdges {
  /** per class ordinal: STRONG, WEAK_IF_IMEMO (an IMEMO subtype name) or WEAK_MAP */
  readonly weakHolderClass: Uint8Array;
  /** number of objects whose references are all non-retaining (for reports) */
  weakHolderCount: number;
}

const cache = new WeakMap<HeapDump, RetainingEdges>();

/** Builds (once per dump) the table behind `holderRetains`. */
export function retainingEdgesOf(dump: HeapDump): RetainingEdges {
  const cached = cache.get(dump);
  if (cached) return cached;
  const names = dump.classes.names;
  const weakHolderClass = new Uint8Array(names.length);
  for (let classOrdinal = 0; classOrdinal < names.length; classOrdinal++) {
    const name = names[classOrdinal];
    if (WEAK_CLASS_NAMES.has(name)) weakHolderClass[classOrdinal] = WEAK_MAP;
    else if (WEAK_IMEMO_PATTERN.test(name)) weakHolderClass[classOrdinal] = WEAK_IF_IMEMO;
  }
  const edges = { weakHolderClass, weakHolderCount: 0 };
  for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) {
    if (!holderRetains(dump, edges, ordinal)) edges.weakHolderCount++;
  }
  cache.set(dump, edges);
  return edges;
}

/**
 * Whether the references of `holderOrdinal` keep their targets alive. An
 * IMEMO with a weak name is weak; a non-IMEMO row is weak only when its class
 * is a weak map (an ordinary object whose class happens to be named like an
 * IMEMO subtype is not affected, hence the type check).
 */
export function holderRetains(dump: HeapDump, edges: RetainingEdges, holderOrdinal: number): boolean {
  const weakness = edges.weakHolderClass[dump.classOrdinal[holderOrdinal]];
  if (weakness === STRONG) return true;
  if (weakness === WEAK_MAP) return false;
  return dump.typeCode[holderOrdinal] !== TypeCode.IMEMO;
}

/**
 * The singleton class `ordinal` holds through its class pointer, or
 * NO_ORDINAL when its class is not a singleton class or has no row.
 */
export function singletonClassEdgeOf(dump: HeapDump, ordinal: number): number {
  const classOrdinal = dump.classOrdinal[ordinal];
  if (dump.classes.kind[classOrdinal] !== ClassKind.singleton) return NO_ORDINAL;
  const target = dump.classes.objectOrdinal[classOrdinal];
  return target === ordinal ? NO_ORDINAL : target;
}
