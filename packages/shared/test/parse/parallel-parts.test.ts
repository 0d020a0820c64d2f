import { describe, expect, it } from 'vitest';
import { mergeHeapDumpParts, rangeCut, scanHeapDumpPart, splitIntoRanges, transferablesOf } from '../../src/parse/parse-parts.ts';
import { chunksOf, fixtureBytes, parseBytes } from './dump-files.ts';
import { expectSameDump } from './same-dump.ts';

async function parseInParts(bytes: Uint8Array, partCount: number, chunkBytes: number) {
  const parts = await Promise.all(
    splitIntoRanges(bytes.length, partCount).map(({ start, end }) => {
      const { streamStart, cut } = rangeCut(start, end);
      return scanHeapDumpPart(chunksOf(bytes.subarray(streamStart), () => chunkBytes), cut, { expectedBytes: (end ?? bytes.length) - start });
    }),
  );
  // the merge takes its array over (empties it); the tests read the parts afterwards
  return { parts, dump: mergeHeapDumpParts([...parts]) };
}

describe('parsing byte ranges in parts and merging them', () => {
  it.each([
    ['rails-series-a/heap_dump_signal_24329_1795948963.json.gz', 2, 65536],
    ['rails-series-a/heap_dump_signal_24329_1795948963.json.gz', 7, 4093],
    ['ruby-3.3.8/07-special.json.gz', 3, 1000],
    ['tiny/invalid-lines-since.json.gz', 5, 7],
    ['tiny/huge-strings-since.json.gz', 4, 65536],
    ['tiny/huge-strings-since.json.gz', 40, 65536],
    ['tiny/minimal-fullheap.json.gz', 3, 65536],
  ])('%s in %i parts (%i-byte chunks) gives the same dump as one parse', async (path, partCount, chunkBytes) => {
    const bytes = fixtureBytes(path);
    const whole = await parseBytes(bytes);
    const { parts, dump } = await parseInParts(bytes, partCount, chunkBytes);
    expect(parts.reduce((sum, part) => sum + part.byteCount, 0)).toBe(bytes.length);
    expectSameDump(dump, whole);
  });

  it('keeps the problem lines at their line numbers in the whole file', async () => {
    const { dump } = await parseInParts(fixtureBytes('tiny/invalid-lines-since.json.gz'), 4, 100);
    expect(dump.problems.samples.map((problem) => problem.line)).toEqual([5, 14, 23, 24, 25]);
  });

  it('lists every typed array of a part for transfer', async () => {
    const { parts } = await parseInParts(fixtureBytes('tiny/minimal-since.json.gz'), 2, 64);
    const buffers = transferablesOf(parts[0]);
    expect(buffers.length).toBeGreaterThan(20);
    expect(buffers).toContain(parts[0].address.buffer);
    expect(buffers).toContain(parts[0].stringValues.prefixPool.buffer);
  });
});
