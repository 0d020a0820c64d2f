/**
 * Counts and memsize bytes of a selection of one dump's objects, grouped by
 * class name, by allocation site (`file:line`), by type, and by the tuple
 * (type, class, site). Counting runs over ordinals into typed arrays indexed
 * by class, site and type ordinals (and a TripleKeyTable for tuples); only the
 * few thousand resulting groups become Map entries keyed by their label, so
 * groups with one label but several ordinals (two methods on one line, two
 * anonymous classes) merge, and labels from different dumps compare equal.
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

export function allocationKey(type: string, className: string, location: string): string {
  return `${type}\u0000${className}\u0000${location}`;
}

/** `file:line` of a site ordinal, or NO_SITE_LABEL for 0. */
export function siteLocationOf(dump: HeapDump, siteOrdinal: number): string {
  return siteOrdinal === 0 ? NO_SITE_LABEL : siteLabelOf(dump, siteOrdinal);
}

function addTo<T extends GroupTotals>(map: Map<string, T>, key: string, count: number, bytes: number, make: () => T): void {
  const totals = map.get(key) ?? make();
  totals.count += count;
  totals.memsizeBytes += bytes;
  map.set(key, totals);
}

/** Groups the objects whose `selected[ordinal]` is 1 (every object when `selected` is null). */
export function countGroups(dump: HeapDump, selected: Uint8Array | null): GroupCounts {
  const classCount = dump.classes.names.length;
  const classTally = new Uint32Array(classCount);
  const classBytes = new Float64Array(classCount);
  const siteTally = new Uint32Array(dump.sites.count);
  const siteBytes = new Float64Array(dump.sites.count);
  const typeTally = new Uint32Array(256);
  const typeBytes = new Float64Array(256);
  const tuples = new TripleKeyTable();
  let tupleTally = new Uint32Array(1024);
  let tupleBytes = new Float64Array(1024);
  let count = 0;
  let memsizeBytes = 0;
  for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) {
    if (selected !== null && selected[ordinal] === 0) continue;
    const bytes = dump.memsizeBytes[ordinal];
    const classOrdinal = dump.classOrdinal[ordinal];
    const siteOrdinal = dump.siteOrdinal[ordinal];
    const typeCode = dump.typeCode[ordinal];
    count++;
    memsizeBytes += bytes;
    classTally[classOrdinal]++;
    classBytes[classOrdinal] += bytes;
    siteTally[siteOrdinal]++;
    siteBytes[siteOrdinal] += bytes;
    typeTally[typeCode]++;
    typeBytes[typeCode] += bytes;
    const slot = tuples.slotOf(typeCode, classOrdinal, siteOrdinal);
    if (slot >= tupleTally.length) {
      const grownTally = new Uint32Array(tupleTally.length * 2);
      grownTally.set(tupleTally);
      tupleTally = grownTally;
      const grownBytes = new Float64Array(tupleBytes.length * 2);
      grownBytes.set(tupleBytes);
      tupleBytes = grownBytes;
    }
    tupleTally[slot]++;
    tupleBytes[slot] += bytes;
  }

  const result: GroupCounts = { count, memsizeBytes, byClass: new Map(), byLocation: new Map(), byType: new Map(), byAllocation: new Map() };
  const zero = (): GroupTotals => ({ count: 0, memsizeBytes: 0 });
  const names = dump.classes.names;
  for (let classOrdinal = 0; classOrdinal < classCount; classOrdinal++) {
    if (classTally[classOrdinal] > 0) addTo(result.byClass, names[classOrdinal], classTally[classOrdinal], classBytes[classOrdinal], zero);
  }
  for (let siteOrdinal = 0; siteOrdinal < dump.sites.count; siteOrdinal++) {
    if (siteTally[siteOrdinal] > 0) addTo(result.byLocation, siteLocationOf(dump, siteOrdinal), siteTally[siteOrdinal], siteBytes[siteOrdinal], zero);
  }
  for (let typeCode = 0; typeCode < 256; typeCode++) {
    if (typeTally[typeCode] > 0) addTo(result.byType, typeNameOf(typeCode), typeTally[typeCode], typeBytes[typeCode], zero);
  }
  for (let slot = 0; slot < tuples.size; slot++) {
    const [typeCode, classOrdinal, siteOrdinal] = tuples.keysOf(slot);
    const type = typeNameOf(typeCode);
    const className = names[classOrdinal];
    const location = siteLocationOf(dump, siteOrdinal);
    addTo(result.byAllocation, allocationKey(type, className, location), tupleTally[slot], tupleBytes[slot], () => ({ type, className, location, count: 0, memsizeBytes: 0 }));
  }
  return result;
}
