/**
 * Resident bytes of a parsed HeapDump: the sum of every typed array it holds,
 * split the way the issue states its budget (40 bytes per object + 4 per
 * reference + string prefixes): per-object columns (including the address
 * order, `addressRuns` or `ordinalsByAddress`, and `shapeId` when present),
 * references, the STRING value table (owner distance, hash, prefix length
 * and checkpoints: ~6 bytes per value, and the few far owners and lengths
 * that are not the owner's bytesize) apart from its prefix bytes, the
 * prefix bytes, and the small tables (classes, sites, roots, shapes).
 */
import type { HeapDump } from '../packages/shared/src/store/heap-dump.ts';

export interface DumpMemory {
  totalBytes: number;
  perObjectColumnBytes: number;
  referenceBytes: number;
  stringTableBytes: number;
  prefixBytes: number;
  otherBytes: number;
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
  const columns = [dump.address, dump.typeCode, dump.flagBits, dump.classOrdinal, dump.memsizeBytes, dump.sizeField, dump.generation, dump.siteOrdinal, dump.firstReferenceOffset, dump.addressRuns?.start, dump.addressRuns?.end, dump.ordinalsByAddress, dump.shapeId];
  const perObjectColumnBytes = columns.reduce((sum, column) => sum + (column?.byteLength ?? 0), 0);
  const values = dump.stringValues;
  const prefixBytes = values.prefixPool.byteLength;
  // every array of the table but its prefix pool, whatever columns it has
  const stringTableBytes = typedArrayBytes(values, new Set()) - prefixBytes;
  const referenceBytes = dump.referenceTarget.byteLength;
  return {
    totalBytes,
    perObjectColumnBytes,
    referenceBytes,
    stringTableBytes,
    prefixBytes,
    otherBytes: totalBytes - perObjectColumnBytes - referenceBytes - stringTableBytes - prefixBytes,
  };
}
