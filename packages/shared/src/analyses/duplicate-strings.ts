/**
 * Strings whose value appears on more than one STRING object: grouped by
 * the (FNV-1a hash, byte length, stored prefix) of the value, so no value is
 * ever held whole. Rows are ordered for grouping with a radix sort of the
 * hashes (no Map keyed per string: a dump can hold millions of values).
 * `wastedBytes` is the memsize of every copy but the largest.
 */
import { TypeCode } from '../store/object-types.ts';
import type { HeapDump } from '../store/heap-dump.ts';
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

function samePrefix(pool: Uint8Array, offsets: Uint32Array, a: number, b: number): boolean {
  const length = offsets[a + 1] - offsets[a];
  if (offsets[b + 1] - offsets[b] !== length) return false;
  for (let i = 0; i < length; i++) if (pool[offsets[a] + i] !== pool[offsets[b] + i]) return false;
  return true;
}

export function duplicateStrings(dump: HeapDump, top: number): SummaryDuplicateStringRow[] {
  const values = dump.stringValues;
  const order = rowsSortedByHash(values.valueHash, values.count);
  const groups: SummaryDuplicateStringRow[] = [];
  const members: number[] = [];
  for (let runStart = 0; runStart < order.length; ) {
    let runEnd = runStart + 1;
    while (runEnd < order.length && values.valueHash[order[runEnd]] === values.valueHash[order[runStart]]) runEnd++;
    // Within one hash, group by length and prefix (collisions stay apart).
    const pending = Array.from(order.subarray(runStart, runEnd)).filter((row) => dump.typeCode[values.owner[row]] === TypeCode.STRING);
    while (pending.length > 1) {
      const first = pending[0];
      members.length = 0;
      for (let i = pending.length - 1; i >= 0; i--) {
        const row = pending[i];
        if (values.valueBytes[row] === values.valueBytes[first] && samePrefix(values.prefixPool, values.prefixOffset, row, first)) {
          members.push(row);
          pending.splice(i, 1);
        }
      }
      if (members.length < 2) continue;
      let total = 0;
      let largest = 0;
      for (const row of members) {
        const memsize = dump.memsizeBytes[values.owner[row]];
        total += memsize;
        largest = Math.max(largest, memsize);
      }
      groups.push({
        value: prefixDecoder.decode(values.prefixPool.subarray(values.prefixOffset[first], values.prefixOffset[first + 1])),
        valueBytes: values.valueBytes[first],
        count: members.length,
        wastedBytes: total - largest,
      });
    }
    runStart = runEnd;
  }
  groups.sort((a, b) => b.wastedBytes - a.wastedBytes || b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return groups.slice(0, top);
}
