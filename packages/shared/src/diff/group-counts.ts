/**
 * Counts and memsize bytes of a selection of one dump's objects, grouped by
 * class name, by allocation site (`file:line`), by type, and by the tuple
 * (type, class, site).
 *
 * Two steps. `groupObjects` gives every object the slot of its (type, class
 * ordinal, site ordinal) tuple, through a TripleKeyTable (no JS Map keyed per
 * object), and resolves each slot's labels once: 8 bytes per object
 * (slot + memsize) that outlive the dump, which SeriesDiffBuilder keeps
 * instead of the whole `after` dump. `countGroupsOf` then folds any selection
 * into per-slot totals and those into Maps keyed by label, so groups with one
 * label but several ordinals (two methods on one line, two anonymous classes)
 * merge, and labels from different dumps compare equal.
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { siteLabelOf } from '../store/lookup.ts';
import { typeNameOf } from '../store/object-types.ts';
import { TripleKeyTable } from './triple-key-table.ts';

export const NO_SITE_LABEL = '(no allocation info)';

export interface GroupTotals {
  count: number;
  memsizeBytes: number;
}

export interface AllocationTotals extends GroupTotals {
  type: string;
  className: string;
  location: string;
}

export interface GroupCounts extends GroupTotals {
  byClass: Map<string, GroupTotals>;
  byLocation: Map<string, GroupTotals>;
  byType: Map<string, GroupTotals>;
  /** keyed by `allocationKey(type, className, location)` */
  byAllocation: Map<string, AllocationTotals>;
}

/** Every object's tuple slot and memsize, with the labels of each slot. */
export interface GroupedObjects {
  objectCount: number;
  slotOf: Uint32Array;
  memsizeBytes: Uint32Array;
  /** per slot */
  labels: Array<{ type: string; className: string; location: string }>;
}

export function allocationKey(type: string, className: string, location: string): string {
  return `${type}\u0000${className}\u0000${location}`;
}

/** `file:line` of a site ordinal, or NO_SITE_LABEL for 0. */
export function siteLocationOf(dump: HeapDump, siteOrdinal: number): string {
  return siteOrdinal === 0 ? NO_SITE_LABEL : siteLabelOf(dump, siteOrdinal);
}

export function groupObjects(dump: HeapDump): GroupedObjects {
  const tuples = new TripleKeyTable();
  const slotOf = new Uint32Array(dump.objectCount);
  for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) {
    slotOf[ordinal] = tuples.slotOf(dump.typeCode[ordinal], dump.classOrdinal[ordinal], dump.siteOrdinal[ordinal]);
  }
  const labels: GroupedObjects['labels'] = [];
  for (let slot = 0; slot < tuples.size; slot++) {
    const [typeCode, classOrdinal, siteOrdinal] = tuples.keysOf(slot);
    labels.push({ type: typeNameOf(typeCode), className: dump.classes.names[classOrdinal], location: siteLocationOf(dump, siteOrdinal) });
  }
  return { objectCount: dump.objectCount, slotOf, memsizeBytes: Uint32Array.from(dump.memsizeBytes), labels };
}

function addTo<T extends GroupTotals>(map: Map<string, T>, key: string, count: number, bytes: number, make: () => T): void {
  const totals = map.get(key) ?? make();
  totals.count += count;
  totals.memsizeBytes += bytes;
  map.set(key, totals);
}

/** Groups the objects whose `selected[ordinal]` is 1 (every object when `selected` is null). */
export function countGroupsOf(grouped: GroupedObjects, selected: Uint8Array | null): GroupCounts {
  const slotCount = grouped.labels.length;
  const tally = new Float64Array(slotCount);
  const bytes = new Float64Array(slotCount);
  const { slotOf, memsizeBytes } = grouped;
  for (let ordinal = 0; ordinal < grouped.objectCount; ordinal++) {
    if (selected !== null && selected[ordinal] === 0) continue;
    tally[slotOf[ordinal]]++;
    bytes[slotOf[ordinal]] += memsizeBytes[ordinal];
  }
  const result: GroupCounts = { count: 0, memsizeBytes: 0, byClass: new Map(), byLocation: new Map(), byType: new Map(), byAllocation: new Map() };
  const zero = (): GroupTotals => ({ count: 0, memsizeBytes: 0 });
  for (let slot = 0; slot < slotCount; slot++) {
    if (tally[slot] === 0) continue;
    const { type, className, location } = grouped.labels[slot];
    result.count += tally[slot];
    result.memsizeBytes += bytes[slot];
    addTo(result.byClass, className, tally[slot], bytes[slot], zero);
    addTo(result.byLocation, location, tally[slot], bytes[slot], zero);
    addTo(result.byType, type, tally[slot], bytes[slot], zero);
    addTo(result.byAllocation, allocationKey(type, className, location), tally[slot], bytes[slot], () => ({ type, className, location, count: 0, memsizeBytes: 0 }));
  }
  return result;
}

export function countGroups(dump: HeapDump, selected: Uint8Array | null): GroupCounts {
  return countGroupsOf(groupObjects(dump), selected);
}
