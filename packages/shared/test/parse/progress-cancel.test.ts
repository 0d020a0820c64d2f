import { describe, expect, it } from 'vitest';
import { ParseCancelledError } from '../../src/parse/errors.ts';
import { parseHeapDump, type ParseProgress } from '../../src/parse/parse-heap-dump.ts';
import { chunksOf, compressedFixtureBytes, fixtureBytes } from './dump-files.ts';

const PATH = 'rails-series-a/heap_dump_signal_24329_1795948963.json.gz';

describe('progress and cancellation', () => {
  it('reports read, resolve and index phases with compressed bytes done, never past the total', async () => {
    const bytes = compressedFixtureBytes(PATH);
    const seen: ParseProgress[] = [];
    const dump = await parseHeapDump(chunksOf(bytes, () => 16384), { totalBytes: bytes.length, onProgress: (progress) => seen.push(progress) });
    const phases = [...new Set(seen.map((progress) => progress.phase))];
    expect(phases).toEqual(['read', 'resolve', 'index']);
    const reads = seen.filter((progress) => progress.phase === 'read');
    for (let i = 1; i < reads.length; i++) expect(reads[i].doneBytes).toBeGreaterThanOrEqual(reads[i - 1].doneBytes);
    expect(reads.at(-1)).toMatchObject({ doneBytes: bytes.length, totalBytes: bytes.length, objectCount: dump.objectCount });
  });

  it('stops with ParseCancelledError when the signal aborts mid-read, and closes the input', async () => {
    const bytes = fixtureBytes(PATH);
    const controller = new AbortController();
    let chunksRead = 0;
    let inputClosed = false;
    async function* input(): AsyncGenerator<Uint8Array> {
      try {
        for (let at = 0; at < bytes.length; at += 4096) {
          chunksRead++;
          if (chunksRead === 50) controller.abort();
          yield bytes.subarray(at, at + 4096);
        }
      } finally {
        inputClosed = true;
      }
    }
    await expect(parseHeapDump(input(), { signal: controller.signal })).rejects.toBeInstanceOf(ParseCancelledError);
    expect(chunksRead).toBeLessThan(60);
    expect(inputClosed).toBe(true);
  });

  it('stops a gzip parse too and closes its input', async () => {
    const bytes = compressedFixtureBytes(PATH);
    const controller = new AbortController();
    let inputClosed = false;
    async function* input(): AsyncGenerator<Uint8Array> {
      try {
        for (let at = 0; at < bytes.length; at += 4096) yield bytes.subarray(at, at + 4096);
      } finally {
        inputClosed = true;
      }
    }
    const parsing = parseHeapDump(input(), { signal: controller.signal, onProgress: (progress) => progress.objectCount > 1000 && controller.abort() });
    await expect(parsing).rejects.toBeInstanceOf(ParseCancelledError);
    expect(inputClosed).toBe(true);
  });

  it('refuses to start with an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(parseHeapDump(chunksOf(compressedFixtureBytes(PATH), () => 4096), { signal: controller.signal })).rejects.toBeInstanceOf(ParseCancelledError);
  });
});
