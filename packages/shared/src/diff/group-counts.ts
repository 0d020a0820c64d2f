/**
 * Counts and memsize bytes of a selection of one dump's objects, grouped by
 * class name, by allocation site (`file:line`), by type, and by the tuple
 * (type, class, site). The objects come as rows of a DumpDigest
 * (dump-digest.ts), whose per-object group slot already stands for the tuple: any selection is
 * folded into per-slot totals and those into Maps keyed by label, so groups
 * with one label but several ordinals (two methods on one line, two
 * anonymous classes) merge, and labels from different dumps compare equal.
 */
import type { DumpDigest } from './dump-digest.ts';

export { NO_SITE_LABEL, siteLocationOf } from './dump-digest.ts';

/** What grouping reads of a digest: each row's slot and memsize, and the slots' labels. */
export type GroupedRows = Pick<DumpDigest, 'objectCount' | 'slot' | 'memsizeBytes' | 'labels'>;

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

function addTo<T extends GroupTotals>(map: Map<string, T>, key: string, count: number, bytes: number, make: () => T): void {
  const totals = map.get(key) ?? make();
  totals.count += count;
  totals.memsizeBytes += bytes;
  map.set(key, totals);
}

/** Groups the objects whose `selected[ordinal]` is 1 (every object when `selected` is null). */
export function countGroupsOf(digest: GroupedRows, selected: Uint8Array | null): GroupCounts {
  const slotCount = digest.labels.length;
  const tally = new Float64Array(slotCount);
  const bytes = new Float64Array(slotCount);
  const { slot: slotOf, memsizeBytes } = digest;
  for (let ordinal = 0; ordinal < digest.objectCount; ordinal++) {
    if (selected !== null && selected[ordinal] === 0) continue;
    tally[slotOf[ordinal]]++;
    bytes[slotOf[ordinal]] += memsizeBytes[ordinal];
  }
  const result: GroupCounts = { count: 0, memsizeBytes: 0, byClass: new Map(), byLocation: new Map(), byType: new Map(), byAllocation: new Map() };
  const zero = (): GroupTotals => ({ count: 0, memsizeBytes: 0 });
  for (let slot = 0; slot < slotCount; slot++) {
    if (tally[slot] === 0) continue;
    const { type, className, location } = digest.labels[slot];
    result.count += tally[slot];
    result.memsizeBytes += bytes[slot];
    addTo(result.byClass, className, tally[slot], bytes[slot], zero);
    addTo(result.byLocation, location, tally[slot], bytes[slot], zero);
    addTo(result.byType, type, tally[slot], bytes[slot], zero);
    addTo(result.byAllocation, allocationKey(type, className, location), tally[slot], bytes[slot], () => ({ type, className, location, count: 0, memsizeBytes: 0 }));
  }
  return result;
}
