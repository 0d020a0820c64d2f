/**
 * Test helper: asserts two parsed dumps are identical, column by column
 * (typed arrays compared byte for byte), table by table and in their stats
 * and problem reports.
 */
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import type { HeapDump } from '../../src/store/heap-dump.ts';

function isTypedArray(value: unknown): value is ArrayBufferView {
  return ArrayBuffer.isView(value);
}

function bytesOf(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

function compare(path: string, left: unknown, right: unknown, differences: string[]): void {
  if (isTypedArray(left) && isTypedArray(right)) {
    if (left.constructor !== right.constructor || !bytesOf(left).equals(bytesOf(right))) differences.push(path);
    return;
  }
  if (left !== null && right !== null && typeof left === 'object' && typeof right === 'object' && !Array.isArray(left)) {
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys) compare(`${path}.${key}`, (left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key], differences);
    return;
  }
  if (!isDeepStrictEqual(left, right)) differences.push(`${path}: ${JSON.stringify(left)?.slice(0, 200)} != ${JSON.stringify(right)?.slice(0, 200)}`);
}

export function expectSameDump(actual: HeapDump, expected: HeapDump, ignore: string[] = []): void {
  const differences: string[] = [];
  compare('dump', expected, actual, differences);
  expect(differences.filter((difference) => !ignore.some((path) => difference === path || difference.startsWith(`${path}:`)))).toEqual([]);
}
