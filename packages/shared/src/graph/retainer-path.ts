/**
 * A retainer path as plain data: the hops from a ROOT line down to one
 * object along the breadth-first shortest-path tree, each saying what the
 * holder is (class and type) and how it holds the next hop.
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { formatAddress } from '../store/lookup.ts';
import { typeNameOf } from '../store/object-types.ts';
import { displayClassName } from './class-objects.ts';
import { describeReference } from './reference-labels.ts';
import { pathStepsTo, type ShortestPathTree } from './shortest-paths.ts';

export interface PathHop {
  /** the ROOT category (`vm`, `global_tbl`...) on the first hop, else null */
  rootCategory: string | null;
  /** `0x…`, null on the ROOT hop */
  address: string | null;
  type: string;
  /** for CLASS/MODULE hops the class's own name (`Ahoy::Event`), else the object's class */
  className: string;
  /** how this hop holds the next one; '' on the last hop */
  holds: string;
}

export function objectHop(dump: HeapDump, ordinal: number, holds: string): PathHop {
  return {
    rootCategory: null,
    address: formatAddress(dump.address[ordinal]),
    type: typeNameOf(dump.typeCode[ordinal]),
    className: displayClassName(dump, ordinal),
    holds,
  };
}

/** Hops root first; empty when no ROOT line reaches the object. */
export function retainerPathOf(dump: HeapDump, tree: ShortestPathTree, ordinal: number): PathHop[] {
  const steps = pathStepsTo(dump, tree, ordinal);
  const hops: PathHop[] = [];
  for (const step of steps) {
    if (step.holderOrdinal === null) {
      hops.push({ rootCategory: step.rootCategory, address: null, type: 'ROOT', className: '', holds: 'root reference' });
    } else {
      hops.push(objectHop(dump, step.holderOrdinal, describeReference(dump, step.holderOrdinal, step.heldOrdinal)));
    }
  }
  if (steps.length > 0) hops.push(objectHop(dump, ordinal, ''));
  return hops;
}

/** One line per hop, for terminals: `ROOT vm -> Ahoy::Event (CLASS) 0x… -[constant…]-> Array 0x…`. */
export function formatPathHops(hops: PathHop[]): string[] {
  return hops.map((hop) => {
    const what = hop.rootCategory !== null ? `ROOT ${hop.rootCategory}` : `${hop.className || '(no class)'} (${hop.type}) ${hop.address}`;
    return hop.holds === '' ? what : `${what}  --${hop.holds}-->`;
  });
}
