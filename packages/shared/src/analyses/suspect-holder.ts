/**
 * Describes the holder of a suspect cluster for people: what it is, and how
 * it is itself held (the hop before it on its shortest path from a ROOT
 * line), e.g. "Array @events of Ahoy::Tracker" when the dump names the ivar
 * (Ruby 3.2+ shapes), "Array held by class Ahoy::Event" when it is one of a
 * class's constants, class variables or class-level ivars (the 3.1 dump does
 * not say which), "Hash referenced by ROOT global_tbl" for a global.
 */
import { NO_ORDINAL, type HeapDump } from '../store/heap-dump.ts';
import { DOMINATED_BY_SYNTHETIC_ROOT } from '../graph/dominators.ts';
import { objectHop, retainerPathOf } from '../graph/retainer-path.ts';
import { ROOT_PARENT_BASE, type ShortestPathTree } from '../graph/shortest-paths.ts';

export interface SuspectHolder {
  kind: 'object' | 'root' | 'several-roots' | 'unreachable';
  /** `0x…` of the holder object, null for roots */
  address: string | null;
  type: string;
  className: string;
  /** how the holder's own holder holds it ('' when unknown or a root) */
  heldAs: string;
  /** type of the holder's own holder: 'CLASS', 'MODULE', 'ROOT', 'OBJECT', ... ('' when none) */
  parentType: string;
  parentClassName: string;
  description: string;
}

function describeObjectHolder(type: string, className: string, heldAs: string, parentType: string, parentName: string): string {
  if (parentType === 'ROOT') return `${className} referenced by ROOT ${parentName}`;
  if (parentType === 'CLASS' || parentType === 'MODULE') {
    return `${className} held by ${parentType === 'CLASS' ? 'class' : 'module'} ${parentName} (a constant, class variable or class-level ivar)`;
  }
  if (heldAs.startsWith('@')) return `${className} ${heldAs} of ${parentName}`;
  if (parentType === '') return `${className} (${type}, no path from a ROOT line)`;
  return `${className} (${heldAs} of ${parentName} ${parentType})`;
}

/** `representative`: a member of the cluster, to tell "several roots" from "no root at all". */
export function describeHolder(dump: HeapDump, paths: ShortestPathTree, holderCode: number, representative: number): SuspectHolder {
  if (holderCode === DOMINATED_BY_SYNTHETIC_ROOT) {
    const unreachable = paths.parentOf[representative] === NO_ORDINAL;
    return {
      kind: unreachable ? 'unreachable' : 'several-roots', address: null, type: 'ROOT', className: '', heldAs: '', parentType: '', parentClassName: '',
      description: unreachable
        ? 'Objects no ROOT line reaches (garbage the GC had not swept, or held from outside the dump)'
        : 'Objects reachable from several ROOT lines',
    };
  }
  if (holderCode >= ROOT_PARENT_BASE) {
    const category = dump.roots.categories[holderCode - ROOT_PARENT_BASE];
    return {
      kind: 'root', address: null, type: 'ROOT', className: category, heldAs: '', parentType: '', parentClassName: '',
      description: `ROOT ${category}`,
    };
  }
  const hops = retainerPathOf(dump, paths, holderCode);
  const self = hops.length > 0 ? hops[hops.length - 1] : objectHop(dump, holderCode, '');
  const parent = hops.length >= 2 ? hops[hops.length - 2] : null;
  const parentType = parent?.type ?? '';
  const parentName = parent ? (parent.rootCategory ?? parent.className) : '';
  const heldAs = parent?.holds ?? '';
  return {
    kind: 'object',
    address: self.address,
    type: self.type,
    className: self.className,
    heldAs,
    parentType,
    parentClassName: parentName,
    description: describeObjectHolder(self.type, self.className, heldAs, parentType, parentName),
  };
}
