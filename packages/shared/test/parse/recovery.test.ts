import { describe, expect, it } from 'vitest';
import { FlagBit } from '../../src/store/flags.ts';
import { NO_ORDINAL } from '../../src/store/heap-dump.ts';
import { ordinalOfAddress, parseAddress, referencesOf, siteLabelOf, siteMethodOf, stringPrefixOf } from '../../src/store/lookup.ts';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { compressedFixtureBytes, countObjectLines, fixtureBytes, joinLines, parseBytes, splitLines, textLines } from './dump-files.ts';

/** Real lines of a fixture by 1-based line number. */
function realLines(path: string, ...lineNumbers: number[]): Uint8Array[] {
  const lines = splitLines(fixtureBytes(path));
  return lineNumbers.map((number) => lines[number - 1]);
}

function ordinalOf(dump: Awaited<ReturnType<typeof parseBytes>>, hex: string): number {
  const ordinal = ordinalOfAddress(dump, parseAddress(hex));
  expect(ordinal, hex).not.toBe(NO_ORDINAL);
  return ordinal;
}

describe('recovery from lines that are not JSON', () => {
  it('keeps objects whose unescaped file path holds a quote, a backslash and a tab (Ruby 3.1.2 eval)', async () => {
    const dump = await parseBytes(joinLines(realLines('ruby-3.1.2/07-special.json.gz', 12653, 12654)));
    expect(dump.objectCount).toBe(2);
    const array = ordinalOf(dump, '0x7fe0d94b9d78');
    expect(siteLabelOf(dump, dump.siteOrdinal[array])).toBe('weird "path" \\ \tü.rb:7');
    expect(dump.generation[array]).toBe(32);
    expect(dump.memsizeBytes[array]).toBe(40);
    expect(Array.from(referencesOf(dump, array))).toEqual([ordinalOf(dump, '0x7fe0d94b9da0')]);
    expect(dump.flagBits[array] & FlagBit.recovered).toBe(FlagBit.recovered);
    expect(dump.flagBits[array] & FlagBit.marked).toBe(FlagBit.marked);
    expect(dump.problems.count).toBe(2);
    expect(dump.problems.samples.map((problem) => [problem.line, problem.reason, problem.recovered])).toEqual([
      [1, 'unescaped-quote', true],
      [2, 'unescaped-quote', true],
    ]);
  });

  it('keeps the same objects in the Ruby 3.3.8 format, with their string value', async () => {
    const dump = await parseBytes(joinLines(realLines('ruby-3.3.8/07-special.json.gz', 7544, 12006)));
    expect(dump.objectCount).toBe(2);
    const string = ordinalOf(dump, '0x7fade26dda70');
    expect(siteLabelOf(dump, dump.siteOrdinal[string])).toBe('weird "path" \\ \tü.rb:7');
    expect(stringPrefixOf(dump, string)).toBe('allocated in eval with odd file name');
    expect(dump.shapeId?.[string]).toBe(1);
    expect(dump.problems.countByReason['unescaped-quote']).toBe(2);
  });

  it('keeps objects whose method name Ruby 3.1 garbled with NULs, stale bytes and quotes, and reads the fields after it', async () => {
    const dump = await parseBytes(joinLines(realLines('ruby-3.1.2/07-special.json.gz', 13134, 13135, 13136)));
    expect(dump.objectCount).toBe(3);
    const string = ordinalOf(dump, '0x7fe0d94b1a88');
    expect(dump.generation[string]).toBe(32);
    expect(dump.memsizeBytes[string]).toBe(110);
    expect(dump.sizeField[string]).toBe(35);
    expect(siteLabelOf(dump, dump.siteOrdinal[string])).toBe('/srv/app/make_dumps.rb:201');
    const method = siteMethodOf(dump, dump.siteOrdinal[string]);
    expect(method.startsWith('gr')).toBe(true);
    expect(method.endsWith('_allocate')).toBe(true);
    expect(method).not.toContain('\u0000');
    expect(dump.problems.count).toBe(3);
    expect(dump.problems.samples.every((problem) => problem.recovered)).toBe(true);
    expect(dump.problems.samples[0].excerpt).toMatch(/^[\x20-\x7e]{120}$/);
  });

  it('reports the five invalid lines of tiny/invalid-lines-since and keeps all 43 objects', async () => {
    const dump = await parseBytes(fixtureBytes('tiny/invalid-lines-since.json.gz'));
    expect(dump.objectCount).toBe(43);
    expect(dump.problems.samples.map((problem) => problem.line)).toEqual([5, 14, 23, 24, 25]);
    let recoveredRows = 0;
    for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) if (dump.flagBits[ordinal] & FlagBit.recovered) recoveredRows++;
    expect(recoveredRows).toBe(5);
  });

  it('keeps an object whose file path is not valid UTF-8, with U+FFFD for the bad bytes', async () => {
    const dump = await parseBytes(joinLines(realLines('tiny/invalid-lines-since.json.gz', 5)));
    expect(dump.objectCount).toBe(1);
    expect(siteLabelOf(dump, dump.siteOrdinal[0])).toBe('/tmp/bin\ufffd\ufffd-path-é.rb:7');
    expect(stringPrefixOf(dump, 0)).toBe('made in eval made in eval ');
    expect(dump.problems.samples[0]).toMatchObject({ line: 1, reason: 'invalid-utf8', recovered: true });
  });

  it('reports a line that is not JSON in the middle and keeps every other object', async () => {
    const lines = splitLines(fixtureBytes('tiny/minimal-since.json.gz'));
    const noise = textLines('this is not a dump line', '<html><body>502 Bad Gateway</body></html>');
    const input = joinLines([...lines.slice(0, 10), ...splitLines(noise), ...lines.slice(10)]);
    const dump = await parseBytes(input);
    expect(dump.objectCount).toBe(lines.length);
    expect(dump.problems.samples.map((problem) => [problem.line, problem.reason, problem.recovered])).toEqual([
      [11, 'invalid-json', false],
      [12, 'invalid-json', false],
    ]);
    expect(dump.problems.samples[1].excerpt).toBe('<html><body>502 Bad Gateway</body></html>');
  });
});

describe('truncated files', () => {
  const bytes = fixtureBytes('rails-series-a/heap_dump_signal_24329_1795948963.json.gz');
  const lines = splitLines(bytes);
  const keptLines = 60_000;
  const lastComplete = joinLines(lines.slice(0, keptLines));
  const nextLine = lines[keptLines];

  it('reports a truncated last line and keeps every complete object', async () => {
    const cut = Buffer.concat([lastComplete, nextLine.subarray(0, 20)]);
    const dump = await parseBytes(cut);
    expect(dump.objectCount).toBe(keptLines - 6);
    expect(dump.problems.samples).toHaveLength(1);
    expect(dump.problems.samples[0]).toMatchObject({ line: keptLines + 1, reason: 'truncated-line', recovered: false, byteOffset: lastComplete.length });
  });

  it('keeps the object of a truncated last line once its address and type were written', async () => {
    const cut = Buffer.concat([lastComplete, nextLine.subarray(0, nextLine.length - 30)]);
    const dump = await parseBytes(cut);
    expect(dump.objectCount).toBe(keptLines - 6 + 1);
    const last = dump.objectCount - 1;
    expect(dump.flagBits[last] & FlagBit.recovered).toBe(FlagBit.recovered);
    expect(dump.problems.samples[0]).toMatchObject({ line: keptLines + 1, reason: 'truncated-line', recovered: true });
  });

  it('keeps every complete object of a gzip dump that was cut off, and reports where the gzip data stopped', async () => {
    const compressed = compressedFixtureBytes('rails-series-a/heap_dump_signal_24329_1795948963.json.gz');
    const cut = compressed.slice(0, Math.floor(compressed.length / 2));
    // What a lenient gunzip gets out of the same bytes, counted without the parser.
    const readable = gunzipSync(cut, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const completeBytes = readable.subarray(0, readable.lastIndexOf(0x0a) + 1);
    const dump = await parseBytes(cut);
    expect(dump.objectCount).toBeGreaterThanOrEqual(countObjectLines(completeBytes));
    expect(dump.objectCount).toBeLessThanOrEqual(countObjectLines(completeBytes) + 1);
    expect(dump.objectCount).toBeLessThan(124_065);
    const cutProblem = dump.problems.samples.find((problem) => problem.reason === 'truncated-input');
    expect(cutProblem?.message).toMatch(/^the gzip data ends early or is damaged after \d+ decompressed bytes .*every complete line before the cut was kept$/);
    expect(cutProblem?.recovered).toBe(false);
  });

  it('still refuses a file with the gzip magic bytes from which nothing decompresses', async () => {
    await expect(parseBytes(Uint8Array.from([0x1f, 0x8b, 0x68, 0x65, 0x6c, 0x6c, 0x6f]))).rejects.toThrow();
  });
});

describe('lines of a kind this parser does not know', () => {
  it('keeps an object of an unknown type as UNKNOWN with its fields, and reports it', async () => {
    const [line] = realLines('tiny/minimal-since.json.gz', 1);
    const text = Buffer.from(line).toString('latin1');
    const renamed = text.replace(/"type":"[A-Z]+"/, '"type":"T_FUTURE"');
    const dump = await parseBytes(textLines(renamed));
    expect(dump.objectCount).toBe(1);
    expect(dump.typeCode[0]).toBe(0);
    expect(dump.memsizeBytes[0]).toBe((JSON.parse(text) as { memsize: number }).memsize);
    expect(dump.problems.samples[0]).toMatchObject({ line: 1, reason: 'unknown-type', recovered: true });
  });
});

describe('text-editor damage', () => {
  it('reads a dump saved with a UTF-8 byte order mark and CRLF line endings like the original', async () => {
    const bytes = fixtureBytes('tiny/minimal-since.json.gz');
    const original = await parseBytes(bytes);
    const crlf = Buffer.from(Buffer.from(bytes).toString('latin1').replaceAll('\n', '\r\n'), 'latin1');
    const edited = await parseBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), crlf]), {}, 7);
    expect(edited.objectCount).toBe(original.objectCount);
    expect(edited.problems.count).toBe(0);
    expect(Array.from(edited.address)).toEqual(Array.from(original.address));
    expect(Array.from(edited.referenceTarget)).toEqual(Array.from(original.referenceTarget));
  });
});
