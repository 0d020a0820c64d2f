/**
 * Counts and memsize totals of objects grouped by a small integer key taken
 * from a column (type code, class ordinal, site ordinal), in typed arrays
 * sized by the number of keys, plus the helper that keeps the top rows.
 */
import type { HeapDump } from '../store/heap-dump.ts';

export interface GroupTotals {
  count: Float64Array;
  memsizeBytes: Float64Array;
}

export function totalsBy(dump: HeapDump, keyOf: ArrayLike<number>, keyCount: number): GroupTotals {
  const count = new Float64Array(keyCount);
  const memsizeBytes = new Float64Array(keyCount);
  for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) {
    const key = keyOf[ordinal];
    count[key] += 1;
    memsizeBytes[key] += dump.memsizeBytes[ordinal];
  }
  return { count, memsizeBytes };
}

/** The `top` rows with the largest `weight`, ties broken by the smaller key. */
export function topKeys(keyCount: number, weight: (key: number) => number, include: (key: number) => boolean, top: number): number[] {
  const keys: number[] = [];
  for (let key = 0; key < keyCount; key++) if (include(key)) keys.push(key);
  keys.sort((a, b) => weight(b) - weight(a) || a - b);
  return keys.slice(0, top);
}
