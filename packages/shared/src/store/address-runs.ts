/**
 * The address order of an object column made of ascending runs that do not
 * overlap, which is how Ruby writes a dump: heap page by heap page (64 KiB,
 * aligned), each page's objects in slot order, the pages in no particular
 * order. A run also ends where the 64 KiB page changes, so two pages
 * written one after another, in any order, are two runs. Found in one pass
 * and a sort of the runs, with no table per object.
 *
 * Two uses:
 * - `ascendingRunsOf`: the runs themselves, listed in address order, which
 *   is how a HeapDump keeps its address order (`HeapDump.addressRuns`): a
 *   Rails dump has ~300 objects a run, so 8 bytes a run instead of a 4-byte
 *   ordinal per object; lookups by address search the runs, then one run.
 * - `ordinalsOfRuns`: the runs concatenated into ordinals in address
 *   order, for the diff's digests (parse/finish-dump.ts addressOrderOfColumn,
 *   diff/identity-keys.ts), whose merge walks both dumps in address order;
 *   at the 3-dump diff's memory peak a slot table's cells were 4-6 bytes an
 *   object more.
 */
/** a Ruby heap page: 64 KiB, aligned (the slot table and the sorted index use it too) */
export const PAGE_BYTES = 65536;
/**
 * ordinals per call of the scan for run starts: one call over millions ran
 * in V8's on-stack-replacement code, ~50 ms on the 3.3 M objects of the 1 GB
 * bench dump against ~10 ms in blocks (as in parse/address-slot-table.ts)
 */
const SCAN_BLOCK = 16384;

/** Ascending runs of an address column, in address order: run k holds ordinals `[start[k], end[k])`. */
export interface AddressRuns {
  start: Uint32Array;
  end: Uint32Array;
}

/**
 * The column's runs in ascending address order; null when the column
 * already ascends; undefined when its runs overlap or repeat an address (the
 * caller then sorts, and reports duplicates).
 */
export function ascendingRunsOf(address: Float64Array): AddressRuns | null | undefined {
  const count = address.length;
  const runStarts: number[] = [0];
  let ascending = true;
  for (let from = 1; from < count; from += SCAN_BLOCK) ascending = pushRunStarts(address, from, Math.min(count, from + SCAN_BLOCK), runStarts) && ascending;
  if (ascending) return null;
  const runEnd = (run: number): number => (run + 1 < runStarts.length ? runStarts[run + 1] : count);
  const runs = Array.from(runStarts.keys()).sort((a, b) => address[runStarts[a]] - address[runStarts[b]]);
  const start = new Uint32Array(runs.length);
  const end = new Uint32Array(runs.length);
  let previousHigh = -Infinity;
  for (let at = 0; at < runs.length; at++) {
    const first = runStarts[runs[at]];
    const last = runEnd(runs[at]) - 1;
    // NaN addresses fail this test too
    if (!(address[first] > previousHigh)) return undefined;
    start[at] = first;
    end[at] = last + 1;
    previousHigh = address[last];
  }
  return { start, end };
}

/** Pushes the ordinals in [from, to) that start a run; false when one of them descends. */
function pushRunStarts(address: Float64Array, from: number, to: number, runStarts: number[]): boolean {
  let ascending = true;
  for (let ordinal = from; ordinal < to; ordinal++) {
    const current = address[ordinal];
    const previous = address[ordinal - 1];
    if (current > previous) {
      if (Math.floor(current / PAGE_BYTES) !== Math.floor(previous / PAGE_BYTES)) runStarts.push(ordinal);
    } else {
      ascending = false;
      runStarts.push(ordinal);
    }
  }
  return ascending;
}

/** The ordinals of `runs`, in address order; `minBytes` reserves a larger buffer (see COLUMN_RESERVE_BYTES in the CLI). */
export function ordinalsOfRuns(runs: AddressRuns, count: number, minBytes = 0): Uint32Array {
  const order = new Uint32Array(new ArrayBuffer(Math.max(count * 4, minBytes)), 0, count);
  let at = 0;
  for (let run = 0; run < runs.start.length; run++) {
    for (let ordinal = runs.start[run]; ordinal < runs.end[run]; ordinal++) order[at++] = ordinal;
  }
  return order;
}

/**
 * The ordinal at `address` through `runs` (see AddressRuns), or -1: the
 * last run starting at or below it, then a binary search in that run.
 */
export function ordinalInRuns(runs: AddressRuns, column: Float64Array, address: number): number {
  let low = 0;
  let high = runs.start.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (column[runs.start[middle]] <= address) low = middle;
    else high = middle - 1;
  }
  if (runs.start.length === 0 || column[runs.start[low]] > address) return -1;
  let first = runs.start[low];
  let last = runs.end[low] - 1;
  while (first <= last) {
    const middle = (first + last) >>> 1;
    const found = column[middle];
    if (found === address) return middle;
    if (found < address) first = middle + 1;
    else last = middle - 1;
  }
  return -1;
}
