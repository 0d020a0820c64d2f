/**
 * Orders object ordinals by address, for `HeapDump.ordinalsByAddress` and
 * binary search. `ordinalsSortedByAddress` returns null when the address
 * column is already ascending (then the column itself is searched).
 * Otherwise an LSD radix sort over three 16-bit digits of the 48-bit address
 * (Ruby heap addresses fit in 48 bits; larger ones fall back to a comparison
 * sort) that carries the keys along, so every pass reads sequentially and
 * the sorted addresses come out too (`sortAddresses`), for the parser's
 * reference resolution. Stable: equal addresses keep file order.
 */
const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
const TWO_POW_32 = 4294967296;
const MAX_RADIX_ADDRESS = 2 ** 48;

export function isAscending(address: Float64Array): boolean {
  for (let i = 1; i < address.length; i++) if (address[i] < address[i - 1]) return false;
  return true;
}

function digitOf(address: number, pass: number): number {
  if (pass === 0) return address & 0xffff;
  if (pass === 1) return (address >>> 16) & 0xffff;
  return (address / TWO_POW_32) & 0xffff;
}

export interface SortedAddresses {
  /** ordinals in address order, or null when `address` is already ascending */
  order: Uint32Array | null;
  /** the addresses in ascending order (the column itself when already ascending) */
  sorted: Float64Array;
}

function radixSort(address: Float64Array): SortedAddresses {
  const count = address.length;
  let order = new Uint32Array(count);
  let keys = new Float64Array(address);
  for (let i = 0; i < count; i++) order[i] = i;
  let scratchOrder = new Uint32Array(count);
  let scratchKeys = new Float64Array(count);
  const counts = new Uint32Array(BUCKETS);
  for (let pass = 0; pass < 3; pass++) {
    counts.fill(0);
    for (let i = 0; i < count; i++) counts[digitOf(keys[i], pass)]++;
    let sum = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const bucketCount = counts[bucket];
      counts[bucket] = sum;
      sum += bucketCount;
    }
    for (let i = 0; i < count; i++) {
      const key = keys[i];
      const at = counts[digitOf(key, pass)]++;
      scratchKeys[at] = key;
      scratchOrder[at] = order[i];
    }
    [order, scratchOrder] = [scratchOrder, order];
    [keys, scratchKeys] = [scratchKeys, keys];
  }
  return { order, sorted: keys };
}

export function sortAddresses(address: Float64Array): SortedAddresses {
  if (isAscending(address)) return { order: null, sorted: address };
  for (let i = 0; i < address.length; i++) {
    if (!(address[i] >= 0 && address[i] < MAX_RADIX_ADDRESS)) {
      const order = new Uint32Array(address.length);
      for (let j = 0; j < order.length; j++) order[j] = j;
      order.sort((a, b) => address[a] - address[b] || a - b);
      return { order, sorted: Float64Array.from(order, (ordinal) => address[ordinal]) };
    }
  }
  return radixSort(address);
}

export function ordinalsSortedByAddress(address: Float64Array): Uint32Array | null {
  return sortAddresses(address).order;
}
