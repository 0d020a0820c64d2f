/**
 * The address order of an object column made of ascending runs that do not
 * overlap, which is how Ruby writes a dump: heap page by heap page (64 KiB,
 * aligned), each page's objects in slot order, the pages in no particular
 * order. A run also ends where the 64 KiB page changes, so two pages
 * written one after another, in any order, are two runs. Found in one pass and a sort of the
 * runs, with no table per object: the order is the runs concatenated by
 * their lowest address. For the diff's digests (diff/parse-dump-digest.ts),
 * whose only use of the index is this order; at the 3-dump diff's memory
 * peak a slot table's cells were 4-6 bytes an object more.
 */
const PAGE_BYTES = 65536;

/**
 * Ordinals in ascending address order; null when the column already
 * ascends; undefined when its runs overlap or repeat an address (the
 * caller then sorts, and reports duplicates).
 */
export function orderOfAscendingRuns(address: Float64Array, minBytes = 0): Uint32Array | null | undefined {
  const count = address.length;
  const runStarts: number[] = [0];
  let ascending = true;
  for (let ordinal = 1; ordinal < count; ordinal++) {
    const current = address[ordinal];
    const previous = address[ordinal - 1];
    if (current > previous) {
      if (Math.floor(current / PAGE_BYTES) !== Math.floor(previous / PAGE_BYTES)) runStarts.push(ordinal);
    } else {
      ascending = false;
      runStarts.push(ordinal);
    }
  }
  if (ascending) return null;
  const runEnd = (run: number): number => (run + 1 < runStarts.length ? runStarts[run + 1] : count);
  const runs = Array.from(runStarts.keys()).sort((a, b) => address[runStarts[a]] - address[runStarts[b]]);
  const order = new Uint32Array(new ArrayBuffer(Math.max(count * 4, minBytes)), 0, count);
  let at = 0;
  let previousHigh = -Infinity;
  for (const run of runs) {
    const start = runStarts[run];
    const end = runEnd(run);
    // NaN addresses fail this test too
    if (!(address[start] > previousHigh)) return undefined;
    for (let ordinal = start; ordinal < end; ordinal++) order[at++] = ordinal;
    previousHigh = address[end - 1];
  }
  return order;
}
