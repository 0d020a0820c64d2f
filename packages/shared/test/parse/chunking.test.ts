import { describe, expect, it } from 'vitest';
import { parseHeapDump } from '../../src/parse/parse-heap-dump.ts';
import { chunksOf, compressedFixtureBytes, fixtureBytes, parseBytes } from './dump-files.ts';
import { expectSameDump } from './same-dump.ts';

/** A small deterministic generator (LCG) so a failing random cut can be replayed. */
function randomSizes(seed: number, maxBytes: number): (index: number) => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return 1 + (state % maxBytes);
  };
}

const cases: [string, string, (index: number) => number][] = [
  ['tiny/invalid-lines-since.json.gz', '1-byte', () => 1],
  ['tiny/edge-cases-since.json.gz', '1-byte', () => 1],
  ['tiny/huge-strings-since.json.gz', '7-byte', () => 7],
  ['ruby-3.1.2/07-special.json.gz', '7-byte', () => 7],
  ['rails-series-a/heap_dump_signal_24329_1795948963.json.gz', '4093-byte', () => 4093],
  ['ruby-3.3.8/07-special.json.gz', 'random (seed 7)', randomSizes(7, 70_000)],
  ['tiny/invalid-lines-since.json.gz', 'random (seed 11)', randomSizes(11, 300)],
  ['tiny/minimal-fullheap.json.gz', 'random (seed 13)', randomSizes(13, 5_000)],
];

describe('chunk boundaries', () => {
  it.each(cases)('%s cut into %s chunks gives the same dump as one piece', async (path, _label, sizes) => {
    const bytes = fixtureBytes(path);
    const whole = await parseBytes(bytes, {}, bytes.length);
    const cut = await parseHeapDump(chunksOf(bytes, sizes));
    expectSameDump(cut, whole);
  });

  it('gives the same dump from gzip bytes cut into 1-byte chunks as from the plain file', async () => {
    const path = 'tiny/invalid-lines-since.json.gz';
    const plain = await parseBytes(fixtureBytes(path));
    const gzip = await parseHeapDump(chunksOf(compressedFixtureBytes(path), () => 1));
    expect(gzip.stats.gzip).toBe(true);
    expect(plain.stats.gzip).toBe(false);
    expectSameDump(gzip, plain, ['dump.stats.gzip', 'dump.stats.compressedByteCount']);
  });

  it('reads a WHATWG ReadableStream the same as an async iterable', async () => {
    const bytes = compressedFixtureBytes('ruby-3.3.8/01-baseline.json.gz');
    const fromIterable = await parseBytes(bytes);
    const fromStream = await parseHeapDump(new Blob([Buffer.from(bytes)]).stream());
    expectSameDump(fromStream, fromIterable);
  });
});
