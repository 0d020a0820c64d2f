/**
 * The 2- and 3-dump diff. `diffDumps(before, after[, later])` for dumps in
 * memory; `SeriesDiffBuilder` for the memory-lean order used on large files:
 * the `after` dump first (its rows are the ones grouped as new and retained;
 * the builder keeps its DumpDigest, 20-24 bytes per object, not the dump),
 * then `before` (matched, its freed rows grouped, then released; of `after`
 * the builder then keeps only the identity keys, 12-16 bytes per object, and
 * the slot and memsize of the new rows, the only ones `later` can still
 * count as retained), then `later` (matched, then released unless the
 * caller keeps it). Each step
 * takes a HeapDump or the DumpDigest of one (dump-digest.ts): the CLI parses
 * each dump in a worker that posts back only the digest, so the main thread
 * never holds a parsed dump, and `before` and `after` can be parsed at once.
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { digestDump, type DumpDigest, type SlotLabels } from './dump-digest.ts';
import { countGroupsOf, type GroupCounts, type GroupedRows, type GroupTotals, type Grouping } from './group-counts.ts';
import { matchIdentities, type IdentityKeys } from './match-identities.ts';
import { IDENTITY_DESCRIPTION, type DiffIdentity, type DiffObjectSet, type DiffResult, type DiffRowTotals } from './diff-types.ts';

/** Typed-array view of a diff, for analyses that need the objects themselves. */
export interface DiffSelection {
  /** 1 per `after` ordinal that is new since `before` */
  newInAfter: Uint8Array;
  /** 1 per `after` ordinal that is new and still alive in `later`; null without `later` */
  retainedInAfter: Uint8Array | null;
  /** per `after` ordinal: its ordinal in `later`, or NO_ORDINAL; null without `later` or when addLater was told not to map */
  afterToLater: Uint32Array | null;
}

function byCountThenBytes(a: DiffRowTotals, b: DiffRowTotals): number {
  return b.count - a.count || b.memsizeBytes - a.memsizeBytes;
}

/**
 * The rows of one grouping of a set, sorted by count then bytes, each with
 * its live count in every dump (`countsOf`: one pass over each dump's slots
 * for all the rows, instead of a Map of each dump's every group).
 */
function rowsOf<K extends string, T extends GroupTotals>(
  groups: Map<string, T>,
  live: GroupCounts[],
  grouping: Grouping,
  labelOf: (key: string, totals: T) => Record<K, string>,
): Array<Record<K, string> & DiffRowTotals> {
  const entries = [...groups];
  const labels = entries.map(([key, totals]) => labelOf(key, totals));
  const liveColumns = live.map((counts) => counts.countsOf(grouping, labels));
  const keyed = entries.map(([key, totals], at) => ({
    key,
    row: { ...labels[at], count: totals.count, memsizeBytes: totals.memsizeBytes, liveCounts: liveColumns.map((column) => column[at]) },
  }));
  keyed.sort((a, b) => byCountThenBytes(a.row, b.row) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ row }) => row);
}

function objectSetOf(groups: GroupCounts, live: GroupCounts[]): DiffObjectSet {
  return {
    count: groups.count,
    memsizeBytes: groups.memsizeBytes,
    byClass: rowsOf(groups.byClass, live, 'byClass', (key) => ({ className: key })),
    byLocation: rowsOf(groups.byLocation, live, 'byLocation', (key) => ({ location: key })),
    byType: rowsOf(groups.byType, live, 'byType', (key) => ({ type: key })),
    byAllocation: rowsOf(groups.byAllocation, live, 'byAllocation', (_key, t) => ({ type: t.type, className: t.className, location: t.location })),
  };
}

/** Thrown when a SeriesDiffBuilder is read before its `before` dump was added. */
export class DiffOrderError extends Error {
  override readonly name = 'DiffOrderError';
  constructor() {
    super('SeriesDiffBuilder: addBefore() must be called before the result is read');
  }
}

/** A digest as given, or the (non-destructive) digest of a dump. */
function digestOf(dumpOrDigest: HeapDump | DumpDigest): DumpDigest {
  return 'tag' in dumpOrDigest ? dumpOrDigest : digestDump(dumpOrDigest);
}

/** The rows of `grouped` whose `selected` flag is 1, with their ordinals in `grouped`. */
function selectRows(grouped: GroupedRows, selected: Uint8Array): { rows: GroupedRows; ordinals: Uint32Array } {
  let count = 0;
  for (let ordinal = 0; ordinal < grouped.objectCount; ordinal++) count += selected[ordinal];
  const ordinals = new Uint32Array(count);
  const slot = new Uint32Array(count);
  const memsizeBytes = new Uint32Array(count);
  let row = 0;
  for (let ordinal = 0; ordinal < grouped.objectCount; ordinal++) {
    if (selected[ordinal] === 0) continue;
    ordinals[row] = ordinal;
    slot[row] = grouped.slot[ordinal];
    memsizeBytes[row] = grouped.memsizeBytes[ordinal];
    row++;
  }
  return { rows: { objectCount: count, slot, memsizeBytes, labels: grouped.labels }, ordinals };
}

export class SeriesDiffBuilder {
  /** what `after` is matched with: its identity keys */
  private readonly afterKeys: IdentityKeys;
  /** what `after` is grouped with: every row until `before` is added, then its new rows only */
  private afterRows: GroupedRows;
  /** per row of `afterRows` once `before` is added: its ordinal in `after` */
  private newRowOrdinal: Uint32Array | null = null;
  private readonly afterObjectCount: number;
  private readonly afterLive: GroupCounts;
  private beforeLive: GroupCounts | null = null;
  private laterLive: GroupCounts | null = null;
  private freedGroups: GroupCounts | null = null;
  private newGroups: GroupCounts | null = null;
  private newInAfter: Uint8Array | null = null;
  /** per `after` ordinal: 1 when no row of `later` is the same object */
  private goneInLater: Uint8Array | null = null;
  private afterToLater: Uint32Array | null = null;
  private beforeObjectCount = 0;
  private laterObjectCount = 0;
  private traced = 0;
  private weak = 0;
  private addressReused = 0;

  /** Takes what it needs from `after` (a dump's address and memsize columns are shared, not copied). */
  constructor(after: HeapDump | DumpDigest) {
    const digest = digestOf(after);
    this.afterKeys = { objectCount: digest.objectCount, address: digest.address, tag: digest.tag, ordinalsByAddress: digest.ordinalsByAddress };
    this.afterRows = { objectCount: digest.objectCount, slot: digest.slot, memsizeBytes: digest.memsizeBytes, labels: digest.labels };
    this.afterObjectCount = after.objectCount;
    this.afterLive = countGroupsOf(this.afterRows, null);
  }

  /** Matches `before` against `after` and groups the freed and new rows; `before` can be released afterwards. */
  addBefore(before: HeapDump | DumpDigest): void {
    const beforeDigest = digestOf(before);
    const match = matchIdentities(beforeDigest, this.afterKeys);
    this.countMatch(match);
    this.beforeObjectCount = before.objectCount;
    this.beforeLive = countGroupsOf(beforeDigest, null);
    this.freedGroups = countGroupsOf(beforeDigest, match.firstUnmatched);
    this.newInAfter = match.secondUnmatched;
    this.newGroups = countGroupsOf(this.afterRows, this.newInAfter);
    const selected = selectRows(this.afterRows, this.newInAfter);
    this.afterRows = selected.rows;
    this.newRowOrdinal = selected.ordinals;
  }

  /**
   * Matches `later` against `after`; `later` can be released afterwards.
   * `mapToLater: false` keeps only which `after` rows are alive in `later`
   * (1 byte a row), not their ordinals there (4 bytes a row, allocated at the
   * diff's memory peak): enough for the diff, not for `selection().afterToLater`.
   */
  addLater(later: HeapDump | DumpDigest, options: { mapToLater?: boolean } = {}): void {
    const laterDigest = digestOf(later);
    const match = matchIdentities(this.afterKeys, laterDigest, { mapFirstToSecond: options.mapToLater ?? true });
    this.countMatch(match);
    this.laterObjectCount = later.objectCount;
    this.laterLive = countGroupsOf(laterDigest, null);
    this.goneInLater = match.firstUnmatched;
    this.afterToLater = match.firstToSecond;
  }

  /** Live objects per dump (dump order) of each (type, class, location) group: one pass over each dump's groups for all of them. */
  liveCountsOfAllocations(groups: readonly SlotLabels[]): number[][] {
    const live = [this.beforeLive, this.afterLive, this.laterLive].filter((counts): counts is GroupCounts => counts !== null);
    const columns = live.map((counts) => counts.countsOf('byAllocation', groups));
    return groups.map((_, at) => columns.map((column) => column[at]));
  }

  selection(): DiffSelection {
    const newInAfter = this.required(this.newInAfter);
    let retainedInAfter: Uint8Array | null = null;
    const goneInLater = this.goneInLater;
    if (goneInLater !== null) {
      retainedInAfter = new Uint8Array(newInAfter.length);
      for (let ordinal = 0; ordinal < newInAfter.length; ordinal++) retainedInAfter[ordinal] = newInAfter[ordinal] & (goneInLater[ordinal] ^ 1);
    }
    return { newInAfter, retainedInAfter, afterToLater: this.afterToLater };
  }

  identity(): DiffIdentity {
    return { traced: this.traced, weak: this.weak, addressReused: this.addressReused, description: IDENTITY_DESCRIPTION };
  }

  result(): DiffResult {
    const live = [this.required(this.beforeLive), this.afterLive, ...(this.laterLive ? [this.laterLive] : [])];
    const objectCounts = [this.beforeObjectCount, this.afterObjectCount, ...(this.laterLive ? [this.laterObjectCount] : [])];
    return {
      dumpCount: this.laterLive ? 3 : 2,
      objectCounts,
      identity: this.identity(),
      new: objectSetOf(this.required(this.newGroups), live),
      freed: objectSetOf(this.required(this.freedGroups), live),
      retained: this.goneInLater ? objectSetOf(this.retainedGroups(this.goneInLater), live) : null,
    };
  }

  /** Groups of the new rows still alive in `later`. */
  private retainedGroups(goneInLater: Uint8Array): GroupCounts {
    const newRowOrdinal = this.required(this.newRowOrdinal);
    const alive = new Uint8Array(newRowOrdinal.length);
    for (let row = 0; row < newRowOrdinal.length; row++) alive[row] = goneInLater[newRowOrdinal[row]] ^ 1;
    return countGroupsOf(this.afterRows, alive);
  }

  private countMatch(match: { tracedMatches: number; weakMatches: number; addressOnlyMatches: number }): void {
    this.traced += match.tracedMatches;
    this.weak += match.weakMatches;
    this.addressReused += match.addressOnlyMatches;
  }

  private required<T>(value: T | null): T {
    if (value === null) throw new DiffOrderError();
    return value;
  }
}

export function diffDumps(before: HeapDump, after: HeapDump, later?: HeapDump): DiffResult {
  const builder = new SeriesDiffBuilder(after);
  builder.addBefore(before);
  if (later) builder.addLater(later);
  return builder.result();
}
