/**
 * Binary searches over an ascending Uint32 column (owner ordinals, CSR
 * offsets, checkpoints): the one place the store and the parser's finish
 * look up a key in sorted typed data.
 */

/** The index of `key` among the first `count` entries of the ascending `sorted`, or -1. */
export function indexOfSorted(sorted: Uint32Array, count: number, key: number): number {
  let low = 0;
  let high = count - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] === key) return middle;
    if (sorted[middle] < key) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/**
 * The last index among the first `count` entries of the ascending `sorted`
 * (repeats allowed) whose entry is at most `key`; 0 when none is, so a
 * caller for whom that matters checks `sorted[0] <= key` first.
 */
export function lastIndexAtOrBelow(sorted: Uint32Array, count: number, key: number): number {
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (sorted[middle] <= key) low = middle;
    else high = middle - 1;
  }
  return low;
}
