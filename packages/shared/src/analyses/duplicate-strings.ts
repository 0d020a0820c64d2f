/**
 * Strings whose value appears on more than one STRING object: grouped by
 * the (FNV-1a hash, byte length, stored prefix) of the value, so no value is
 * ever held whole. Rows are ordered for grouping with a radix sort of the
 * hashes (no Map keyed per string: a dump can hold millions of values).
 * `wastedBytes` is the memsize of every copy but the largest.
 */
import { TypeCode } from '../store/object-types.ts';
import type { HeapDump, StringValueTable } from '../store/heap-dump.ts';
import { stringValueColumns } from '../store/string-value-columns.ts';
import type { SummaryDuplicateStringRow } from './summary-types.ts';

const prefixDecoder = new TextDecoder('utf-8');

function rowsSortedByHash(hashes: Uint32Array, count: number): Uint32Array {
  let order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  let scratch = new Uint32Array(count);
  const buckets = new Uint32Array(65536);
  for (let shift = 0; shift < 32; shift += 16) {
    buckets.fill(0);
    for (let i = 0; i < count; i++) buckets[(hashes[order[i]] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let bucket = 0; bucket < 65536; bucket++) {
      const size = buckets[bucket];
      buckets[bucket] = sum;
      sum += size;
    }
    for (let i = 0; i < count; i++) {
      const row = order[i];
      scratch[buckets[(hashes[row] >>> shift) & 0xffff]++] = row;
    }
    [order, scratch] = [scratch, order];
  }
  return order;
}

/** Whether rows `a` and `b` have the same stored prefix: four bytes per step through `words`, a DataView over the pool. */
function samePrefix(values: StringValueTable, prefixStart: Uint32Array, words: DataView, a: number, b: number): boolean {
  const length = values.prefixLength[a];
  if (values.prefixLength[b] !== length) return false;
  const pool = values.prefixPool;
  const fromA = prefixStart[a];
  const fromB = prefixStart[b];
  let i = 0;
  for (; i + 4 <= length; i += 4) if (words.getInt32(fromA + i, true) !== words.getInt32(fromB + i, true)) return false;
  for (; i < length; i++) if (pool[fromA + i] !== pool[fromB + i]) return false;
  return true;
}

export function duplicateStrings(dump: HeapDump, top: number): SummaryDuplicateStringRow[] {
  const values = dump.stringValues;
  const pool = values.prefixPool;
  const words = new DataView(pool.buffer, pool.byteOffset, pool.byteLength);
  const order = rowsSortedByHash(values.valueHash, values.count);
  const { owner, valueBytes, prefixStart } = stringValueColumns(dump);
  const groups: SummaryDuplicateStringRow[] = [];
  /** the STRING rows of one hash not yet grouped, in sort order */
  const pending: number[] = [];
  for (let runStart = 0; runStart < order.length; ) {
    let runEnd = runStart + 1;
    while (runEnd < order.length && values.valueHash[order[runEnd]] === values.valueHash[order[runStart]]) runEnd++;
    // a value met once (most of them) has no duplicate
    if (runEnd - runStart < 2) {
      runStart = runEnd;
      continue;
    }
    // Within one hash, group by length and prefix (collisions stay apart).
    let pendingCount = 0;
    for (let at = runStart; at < runEnd; at++) {
      const row = order[at];
      if (dump.typeCode[owner[row]] === TypeCode.STRING) pending[pendingCount++] = row;
    }
    while (pendingCount > 1) {
      // the rows equal to the first form a group; the others stay pending, in order
      const first = pending[0];
      const firstBytes = valueBytes[first];
      let kept = 0;
      let count = 0;
      let total = 0;
      let largest = 0;
      for (let i = 0; i < pendingCount; i++) {
        const row = pending[i];
        if (row === first || (valueBytes[row] === firstBytes && samePrefix(values, prefixStart, words, row, first))) {
          const memsize = dump.memsizeBytes[owner[row]];
          count++;
          total += memsize;
          largest = Math.max(largest, memsize);
        } else pending[kept++] = row;
      }
      pendingCount = kept;
      if (count < 2) continue;
      groups.push({
        value: prefixDecoder.decode(pool.subarray(prefixStart[first], prefixStart[first] + values.prefixLength[first])),
        valueBytes: firstBytes,
        count,
        wastedBytes: total - largest,
      });
    }
    runStart = runEnd;
  }
  groups.sort((a, b) => b.wastedBytes - a.wastedBytes || b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return groups.slice(0, top);
}
