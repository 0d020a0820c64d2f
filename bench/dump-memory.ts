/**
 * Resident bytes of a parsed HeapDump: the sum of every typed array it holds
 * (columns, CSR, tables), split into per-object columns, references and
 * string prefixes, so the bench can check the budget of 40 bytes per
 * object + 4 per reference + string prefixes.
 */
import type { HeapDump } from '../packages/shared/src/store/heap-dump.ts';

export interface DumpMemory {
  totalBytes: number;
  referenceBytes: number;
  prefixBytes: number;
  /** everything else: per-object columns and small tables */
  columnBytes: number;
}

function typedArrayBytes(value: unknown, seen: Set<ArrayBufferView>): number {
  if (ArrayBuffer.isView(value)) {
    if (seen.has(value)) return 0;
    seen.add(value);
    return value.byteLength;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.values(value).reduce((sum: number, child) => sum + typedArrayBytes(child, seen), 0);
  }
  return 0;
}

export function measureDumpMemory(dump: HeapDump): DumpMemory {
  const totalBytes = typedArrayBytes(dump, new Set());
  const referenceBytes = dump.referenceTarget.byteLength;
  const prefixBytes = dump.stringValues.prefixPool.byteLength;
  return { totalBytes, referenceBytes, prefixBytes, columnBytes: totalBytes - referenceBytes - prefixBytes };
}
