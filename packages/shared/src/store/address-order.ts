/**
 * Orders object ordinals by address, for `HeapDump.ordinalsByAddress` and
 * binary search. Returns null when the address column is already ascending
 * (then the column itself is searched). Otherwise an LSD radix sort over
 * three 16-bit digits of the 48-bit address (Ruby heap addresses fit in 48
 * bits; larger ones fall back to a comparison sort), which is linear and
 * avoids a comparator call per comparison on millions of rows.
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

export function ordinalsSortedByAddress(address: Float64Array): Uint32Array | null {
  if (isAscending(address)) return null;
  const count = address.length;
  let fitsRadix = true;
  for (let i = 0; i < count; i++) {
    if (!(address[i] >= 0 && address[i] < MAX_RADIX_ADDRESS)) {
      fitsRadix = false;
      break;
    }
  }
  let order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (!fitsRadix) return order.sort((a, b) => address[a] - address[b] || a - b);
  let scratch = new Uint32Array(count);
  const counts = new Uint32Array(BUCKETS);
  for (let pass = 0; pass < 3; pass++) {
    counts.fill(0);
    for (let i = 0; i < count; i++) counts[digitOf(address[order[i]], pass)]++;
    let sum = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const bucketCount = counts[bucket];
      counts[bucket] = sum;
      sum += bucketCount;
    }
    for (let i = 0; i < count; i++) {
      const ordinal = order[i];
      scratch[counts[digitOf(address[ordinal], pass)]++] = ordinal;
    }
    [order, scratch] = [scratch, order];
  }
  return order;
}
