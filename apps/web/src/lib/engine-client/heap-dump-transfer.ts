/**
 * Lists the ArrayBuffers behind a HeapDump's typed-array columns so the dump
 * can be moved between workers with postMessage transfer (zero copy) instead
 * of a structured-clone copy of hundreds of MB. The HeapDump contract keeps
 * every field plain data (typed arrays, strings, numbers), which is what makes
 * this walk complete. Each buffer is listed once: transfer lists must not
 * repeat a buffer.
 */
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';

export function transferablesOfDump(dump: HeapDump): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const pending: unknown[] = [dump];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof ArrayBuffer && value.buffer.byteLength > 0) buffers.add(value.buffer);
      continue;
    }
    // Iterative on purpose: the walk is shallow, but a stack of plain objects needs no recursion.
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child !== null && typeof child === 'object') pending.push(child);
    }
  }
  return [...buffers];
}
