/**
 * Counts and memsize bytes of a selection of one dump's objects, grouped by
 * class name, by allocation site (`file:line`), by type, and by the tuple
 * (type, class, site). The objects come as rows of a DumpDigest
 * (dump-digest.ts), whose per-object group slot already stands for the tuple: any selection is
 * folded into per-slot totals and those into Maps keyed by label, so groups
 * with one label but several ordinals (two methods on one line, two
 * anonymous classes) merge, and labels from different dumps compare equal.
 *
 * The Maps are built when first read. A diff groups each dump's rows as soon
 * as that dump is matched, while the next may still be parsed, and reads the
 * groups only for its result; until then a grouping is two numbers per slot.
 * Built at once, the Maps' tens of thousands of small objects survived into
 * the old generation during the parse of `later` and made V8 grow its young
 * generation to the maximum, at the diff's memory peak.
 */
import type { DumpDigest, SlotLabels } from './dump-digest.ts';

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
  readonly byClass: Map<string, GroupTotals>;
  readonly byLocation: Map<string, GroupTotals>;
  readonly byType: Map<string, GroupTotals>;
  /** keyed by `allocationKey(type, className, location)` */
  readonly byAllocation: Map<string, AllocationTotals>;
  /**
   * The object counts of the groups named by `labels` under `grouping`
   * (0 for a group with no object here), in one pass over the slots and
   * without building the Map of every group: how a diff (and suspects) give
   * their rows their live count in each dump, all rows in one call.
   */
  countsOf(grouping: Grouping, labels: readonly GroupLabel[]): Float64Array;
}

export type Grouping = 'byClass' | 'byLocation' | 'byType' | 'byAllocation';

/** A row's label: the fields its grouping uses (className for byClass, all three for byAllocation). */
export type GroupLabel = Partial<SlotLabels>;

export function allocationKey(type: string, className: string, location: string): string {
  return `${type}\u0000${className}\u0000${location}`;
}

/** The Map key of a group under each grouping: one label, or the three joined. */
const GROUP_KEY: Record<Grouping, (type: string, className: string, location: string) => string> = {
  byClass: (_type, className) => className,
  byLocation: (_type, _className, location) => location,
  byType: (type) => type,
  byAllocation: allocationKey,
};

function addTo<T extends GroupTotals>(map: Map<string, T>, key: string, count: number, bytes: number, make: () => T): void {
  const totals = map.get(key) ?? make();
  totals.count += count;
  totals.memsizeBytes += bytes;
  map.set(key, totals);
}

interface LabelMaps {
  byClass: Map<string, GroupTotals>;
  byLocation: Map<string, GroupTotals>;
  byType: Map<string, GroupTotals>;
  byAllocation: Map<string, AllocationTotals>;
}

/** Per-slot totals of a selection; the label Maps are folded from them on first read. */
class SlotGroupCounts implements GroupCounts {
  readonly count: number;
  readonly memsizeBytes: number;
  private maps: LabelMaps | null = null;

  constructor(
    private readonly labels: readonly SlotLabels[],
    private readonly tally: Float64Array,
    private readonly bytes: Float64Array,
  ) {
    let count = 0;
    let memsizeBytes = 0;
    for (let slot = 0; slot < tally.length; slot++) {
      count += tally[slot];
      memsizeBytes += bytes[slot];
    }
    this.count = count;
    this.memsizeBytes = memsizeBytes;
  }

  get byClass(): Map<string, GroupTotals> {
    return this.folded().byClass;
  }

  get byLocation(): Map<string, GroupTotals> {
    return this.folded().byLocation;
  }

  get byType(): Map<string, GroupTotals> {
    return this.folded().byType;
  }

  get byAllocation(): Map<string, AllocationTotals> {
    return this.folded().byAllocation;
  }

  countsOf(grouping: Grouping, labels: readonly GroupLabel[]): Float64Array {
    const keyOf = GROUP_KEY[grouping];
    const labelKeys = labels.map((label) => keyOf(label.type ?? '', label.className ?? '', label.location ?? ''));
    // a label given more than once is counted at its first place, then copied
    const firstAt = new Map<string, number>();
    labelKeys.forEach((key, at) => {
      if (!firstAt.has(key)) firstAt.set(key, at);
    });
    const counts = new Float64Array(labels.length);
    const { tally } = this;
    for (let slot = 0; slot < tally.length; slot++) {
      if (tally[slot] === 0) continue;
      const { type, className, location } = this.labels[slot];
      const at = firstAt.get(keyOf(type, className, location));
      if (at !== undefined) counts[at] += tally[slot];
    }
    labelKeys.forEach((key, at) => {
      counts[at] = counts[firstAt.get(key) ?? at];
    });
    return counts;
  }

  private folded(): LabelMaps {
    if (this.maps !== null) return this.maps;
    const maps: LabelMaps = { byClass: new Map(), byLocation: new Map(), byType: new Map(), byAllocation: new Map() };
    const zero = (): GroupTotals => ({ count: 0, memsizeBytes: 0 });
    const { tally, bytes } = this;
    for (let slot = 0; slot < tally.length; slot++) {
      if (tally[slot] === 0) continue;
      const { type, className, location } = this.labels[slot];
      addTo(maps.byClass, GROUP_KEY.byClass(type, className, location), tally[slot], bytes[slot], zero);
      addTo(maps.byLocation, GROUP_KEY.byLocation(type, className, location), tally[slot], bytes[slot], zero);
      addTo(maps.byType, GROUP_KEY.byType(type, className, location), tally[slot], bytes[slot], zero);
      addTo(maps.byAllocation, GROUP_KEY.byAllocation(type, className, location), tally[slot], bytes[slot], () => ({ type, className, location, count: 0, memsizeBytes: 0 }));
    }
    this.maps = maps;
    return maps;
  }
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
  return new SlotGroupCounts(digest.labels, tally, bytes);
}
