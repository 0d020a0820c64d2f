import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { digestDump, digestDumpInPlace, transferablesOfDigest } from '../../src/diff/dump-digest.ts';
import { diffDumps, SeriesDiffBuilder } from '../../src/diff/series-diff.ts';
import { parseHeapDump } from '../../src/parse/parse-heap-dump.ts';
import type { HeapDump } from '../../src/store/heap-dump.ts';
import { fixturesDir, loadFixtureDump, RAILS_SERIES } from './fixture-dumps.ts';

/** A private parse: the in-place digest consumes it, so it must not be the shared cached one. */
function parseOwnCopy(relativePath: string): Promise<HeapDump> {
  return parseHeapDump(createReadStream(`${fixturesDir}${relativePath}`), { references: false });
}

describe('DumpDigest', () => {
  it('gives the same 3-dump diff from in-place digests of consumed dumps as from the dumps themselves', async () => {
    const dumps = await Promise.all(RAILS_SERIES.map((file) => loadFixtureDump(file, false)));
    const expected = diffDumps(dumps[0], dumps[1], dumps[2]);
    const [before, after, later] = (await Promise.all(RAILS_SERIES.map(parseOwnCopy))).map(digestDumpInPlace);
    const builder = new SeriesDiffBuilder(after);
    builder.addBefore(before);
    builder.addLater(later);
    expect(builder.result()).toEqual(expected);
    expect(expected.retained?.count).toBe(2609);
  });

  it('gives the same diff and retained rows when addLater keeps no ordinal map into later (what `leakpilot diff` asks for)', async () => {
    const [before, after, later] = await Promise.all(RAILS_SERIES.map((file) => loadFixtureDump(file, false)));
    const mapped = new SeriesDiffBuilder(after);
    mapped.addBefore(before);
    mapped.addLater(later);
    const unmapped = new SeriesDiffBuilder(after);
    unmapped.addBefore(before);
    unmapped.addLater(later, { mapToLater: false });
    expect(unmapped.result()).toEqual(mapped.result());
    const { retainedInAfter, afterToLater } = unmapped.selection();
    expect(afterToLater).toBeNull();
    expect(Array.from(retainedInAfter ?? [])).toEqual(Array.from(mapped.selection().retainedInAfter ?? []));
    expect(unmapped.result().retained?.count).toBe(2609);
  });

  it('writes tags and slots over the consumed dump and shares its address column, while digestDump leaves the dump intact', async () => {
    const intact = await loadFixtureDump(RAILS_SERIES[0], false);
    const generationBefore = intact.generation.slice();
    const copied = digestDump(intact);
    expect(intact.generation).toEqual(generationBefore);
    const consumed = await parseOwnCopy(RAILS_SERIES[0]);
    const inPlace = digestDumpInPlace(consumed);
    expect(inPlace.tag.buffer).toBe(consumed.generation.buffer);
    expect(inPlace.slot.buffer).toBe(consumed.siteOrdinal.buffer);
    expect(inPlace.address.buffer).toBe(consumed.address.buffer);
    expect(Array.from(inPlace.tag)).toEqual(Array.from(copied.tag));
    expect(inPlace.labels).toEqual(copied.labels);
    expect(inPlace.tracedCount).toBe(intact.stats.tracedObjectCount);
  });

  it('survives a structured clone with its buffers transferred', async () => {
    const digest = digestDumpInPlace(await parseOwnCopy(RAILS_SERIES[1]));
    const expectedTags = Array.from(digest.tag);
    const cloned = structuredClone(digest, { transfer: transferablesOfDigest(digest) });
    expect(digest.tag.length).toBe(0);
    expect(Array.from(cloned.tag)).toEqual(expectedTags);
    expect(cloned.labels.length).toBeGreaterThan(0);
  });
});
