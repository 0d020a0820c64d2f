import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileFrom, readFileFromOnThisThread } from '../src/shared-cli/file-range-reader.ts';
import { READ_CHUNK_BYTES } from '../src/shared-cli/open-dump.ts';

describe.each([
  ['readFileFrom', readFileFrom],
  ['readFileFromOnThisThread', readFileFromOnThisThread],
])('%s', (_name, readFrom) => {
  const folder = mkdtempSync(join(tmpdir(), 'leakpilot-reader-'));
  const path = join(folder, 'bytes.bin');
  const bytes = Uint8Array.from({ length: READ_CHUNK_BYTES * 3 + 1234 }, (_, at) => (at * 31 + (at >> 11)) & 0xff);
  writeFileSync(path, bytes);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each([0, 1, READ_CHUNK_BYTES - 1, READ_CHUNK_BYTES * 3 + 1000])('reads the file from byte %i to its end', async (start) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of readFrom(path, start)) chunks.push(chunk.slice());
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes.subarray(start)))).toBe(true);
  });

  it('keeps a chunk intact until the one after next is requested', async () => {
    const reader = readFrom(path, 0);
    const first = (await reader.next()).value as Uint8Array;
    const firstCopy = first.slice();
    await reader.next();
    expect(Buffer.from(first).equals(Buffer.from(firstCopy))).toBe(true);
    await reader.return(undefined);
  });

  it('gives nothing from the end of the file', async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of readFrom(path, bytes.length)) chunks.push(chunk);
    expect(chunks).toEqual([]);
  });
});
