import { describe, expect, it } from 'vitest';
import { digestDump } from '../../src/diff/dump-digest.ts';
import { parseDumpDigest } from '../../src/diff/parse-dump-digest.ts';
import { diffDumps, SeriesDiffBuilder } from '../../src/diff/series-diff.ts';
import { parseBytes, compressedFixtureBytes, chunksOf, textLines } from '../parse/dump-files.ts';
import { NotAHeapDumpError } from '../../src/parse/errors.ts';
import { loadFixtureDump, RAILS_SERIES } from './fixture-dumps.ts';

/** Every digest field, typed arrays as plain arrays. */
function plain(digest: Awaited<ReturnType<typeof parseDumpDigest>>['digest']): Record<string, unknown> {
  return {
    ...digest,
    address: Array.from(digest.address),
    tag: Array.from(digest.tag),
    slot: Array.from(digest.slot),
    memsizeBytes: Array.from(digest.memsizeBytes),
    ordinalsByAddress: digest.ordinalsByAddress === null ? null : Array.from(digest.ordinalsByAddress),
  };
}

const FIXTURES = [
  'rails-series-a/heap_dump_signal_24329_1795949061.json.gz',
  'ruby-3.1.2/07-special.json.gz',
  'ruby-3.3.8/06-full.json.gz',
  'ruby-3.3.8/05-since-gen14.json.gz',
  'tiny/edge-cases-full.json.gz',
];

describe('parseDumpDigest', () => {
  it.each(FIXTURES)('reads %s into the digest digestDump takes of its identity-only parse, problems included', async (path) => {
    const bytes = compressedFixtureBytes(path);
    const dump = await parseBytes(bytes, { references: false });
    const { digest, problems } = await parseDumpDigest(chunksOf(bytes, () => 65536));
    expect(plain(digest)).toEqual(plain(digestDump(dump)));
    expect(problems).toEqual(dump.problems);
  });

  it('gives the 3-dump diff of the dumps themselves, column reserve or not', async () => {
    const dumps = await Promise.all(RAILS_SERIES.map((file) => loadFixtureDump(file, false)));
    const expected = diffDumps(dumps[0], dumps[1], dumps[2]);
    const digests = await Promise.all(
      RAILS_SERIES.map(async (file, index) => (await parseDumpDigest(chunksOf(compressedFixtureBytes(file), () => 100_003), { totalBytes: 100_000_000, minColumnBytes: index === 1 ? 33 << 20 : 0 })).digest),
    );
    const builder = new SeriesDiffBuilder(digests[1]);
    builder.addBefore(digests[0]);
    builder.addLater(digests[2], { mapToLater: false });
    expect(builder.result()).toEqual(expected);
    expect(digests[1].address.buffer.byteLength).toBeGreaterThanOrEqual(33 << 20);
  });

  it('keeps the complete lines of a cut-off dump and reports the cut line, as parseHeapDump does', async () => {
    const lines = textLines(
      '{"address":"0x7f0000000028", "type":"OBJECT", "class":"0x7f0000000050", "memsize":40, "flags":{"wb_protected":true}}',
      '{"address":"0x7f0000000050", "type":"CLASS", "class":"0x7f0000000078", "name":"Foo", "memsize":400}',
      '{"address":"0x7f0000000078", "type":"OBJE',
    );
    const { digest, problems } = await parseDumpDigest(chunksOf(lines, () => 7));
    expect(digest.objectCount).toBe(2);
    expect(digest.labels.map((label) => label.className)).toEqual(['Foo', expect.stringContaining('0x7f0000000078')]);
    expect(problems.count).toBe(1);
  });

  it('refuses a file that is not a heap dump', async () => {
    await expect(parseDumpDigest(chunksOf(new TextEncoder().encode('<!doctype html><html></html>'), () => 64))).rejects.toBeInstanceOf(NotAHeapDumpError);
  });
});
