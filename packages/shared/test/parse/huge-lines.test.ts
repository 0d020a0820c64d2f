import { describe, expect, it } from 'vitest';
import { parseHeapDump } from '../../src/parse/parse-heap-dump.ts';
import { ordinalOfAddress, parseAddress, referencesOf, valueBytesOfRow } from '../../src/store/lookup.ts';
import { fixtureBytes, parseBytes, splitLines } from './dump-files.ts';

const HUGE_FIXTURE = 'tiny/huge-strings-since.json.gz';
const ARRAY_ADDRESS = '0x7f566fcf3538';
const ELEMENT_ADDRESS = '0x7f566fcf3790';

describe('lines of several MB', () => {
  it('reads the 1.8 MB line of 100,000 references and the 1 MiB string value across 64 KiB chunks', async () => {
    const dump = await parseBytes(fixtureBytes(HUGE_FIXTURE), {}, 65536);
    const array = ordinalOfAddress(dump, parseAddress(ARRAY_ADDRESS));
    const element = ordinalOfAddress(dump, parseAddress(ELEMENT_ADDRESS));
    const targets = referencesOf(dump, array);
    expect(targets.length).toBe(100_000);
    expect(targets.every((target) => target === element)).toBe(true);
    expect(dump.sizeField[array]).toBe(100_000);
    expect(dump.memsizeBytes[array]).toBe(800_040);
    const longest = Math.max(...Array.from({ length: dump.stringValues.count }, (_, row) => valueBytesOfRow(dump, row)));
    expect(longest).toBe(1024 * 1024 + 17);
    expect(dump.problems.count).toBe(0);
  });

  it('reads a 200 MB line fed in 1 MiB chunks from a generator, never held as one string', async () => {
    // The real 1.8 MB line, its reference list repeated until the line passes 200 MB.
    const lines = splitLines(fixtureBytes(HUGE_FIXTURE));
    const hugeIndex = lines.findIndex((line) => Buffer.from(line.subarray(0, 40)).toString('latin1').includes(ARRAY_ADDRESS));
    const huge = Buffer.from(lines[hugeIndex]);
    const listStart = huge.indexOf('"references":[') + '"references":['.length;
    const element = Buffer.from(`"${ELEMENT_ADDRESS}", `);
    const perChunk = Math.floor((1 << 20) / element.length);
    const chunk = Buffer.concat(Array.from({ length: perChunk }, () => element));
    const chunkCount = 200;
    const referenceCount = perChunk * chunkCount + 100_000;

    async function* feed(): AsyncGenerator<Uint8Array> {
      for (const line of lines.slice(0, hugeIndex)) yield Buffer.concat([line, Buffer.from('\n')]);
      yield huge.subarray(0, listStart);
      for (let i = 0; i < chunkCount; i++) yield chunk;
      yield Buffer.concat([huge.subarray(listStart), Buffer.from('\n')]);
      for (const line of lines.slice(hugeIndex + 1)) yield Buffer.concat([line, Buffer.from('\n')]);
    }

    const dump = await parseHeapDump(feed());
    expect(dump.objectCount).toBe(lines.length);
    expect(dump.stats.byteCount).toBeGreaterThan(200 * 1024 * 1024);
    const array = ordinalOfAddress(dump, parseAddress(ARRAY_ADDRESS));
    const targets = referencesOf(dump, array);
    expect(targets.length).toBe(referenceCount);
    expect(targets[targets.length - 1]).toBe(ordinalOfAddress(dump, parseAddress(ELEMENT_ADDRESS)));
    expect(dump.memsizeBytes[array]).toBe(800_040);
    expect(dump.problems.count).toBe(0);
  });
});
