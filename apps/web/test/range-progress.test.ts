// The parallel parse's bookkeeping outside the workers (workers/range-progress.ts,
// workers/dump-part-protocol.ts): byte and line counts of a real dump stream,
// progress summed over ranges that only grows and never passes the file size,
// and part errors that keep their type and message across structured clone.
// The parse itself runs in real Chromium workers: tests/web-parallel-parse.test.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { rangeCut, splitIntoRanges } from '@leakpilot/shared/parse/parse-parts.ts';
import { errorOfPart, partErrorInfo } from '../src/workers/dump-part-protocol.ts';
import { countingStream, RangeProgress, type RangeReadCount } from '../src/workers/range-progress.ts';

const RAILS_DUMP = fileURLToPath(new URL('../../../fixtures/rails-series-a/heap_dump_signal_24329_1795949061.json.gz', import.meta.url));
const dumpBytes = gunzipSync(readFileSync(RAILS_DUMP));

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** `bytes` as a stream of odd-sized chunks (Node's Blob streams a small file in one chunk) */
function chunkedStream(bytes: Uint8Array, chunkBytes: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

describe('countingStream', () => {
  it('passes a real dump through unchanged and counts its bytes and lines', async () => {
    const counts: RangeReadCount[] = [];
    const passed = await readAll(countingStream(chunkedStream(dumpBytes, 65_537), (count) => counts.push({ ...count })));
    expect(passed.equals(dumpBytes)).toBe(true);
    const newlines = dumpBytes.toString('latin1').split('\n').length - 1;
    expect(counts.at(-1)).toEqual({ bytesRead: dumpBytes.length, linesRead: newlines });
    expect(counts.length).toBe(Math.ceil(dumpBytes.length / 65_537));
  });
});

describe('RangeProgress', () => {
  it('counts each range at most its own bytes, so the sum of the real ranges ends at the file size', async () => {
    const ranges = splitIntoRanges(dumpBytes.length, 3);
    const rangeBytes = ranges.map((range) => (range.end ?? dumpBytes.length) - range.start);
    const reported: number[] = [];
    const progress = new RangeProgress(rangeBytes, (doneBytes) => reported.push(doneBytes));
    const blob = new Blob([dumpBytes]);
    for (const [rangeIndex, range] of ranges.entries()) {
      // each range's stream reads on to the end of the file here: far past its own bytes
      await readAll(countingStream(blob.slice(rangeCut(range.start, range.end).streamStart).stream(), (count) => progress.update(rangeIndex, count)));
      expect(progress.doneBytes).toBeLessThanOrEqual(rangeBytes.slice(0, rangeIndex + 1).reduce((total, bytes) => total + bytes, 0));
      progress.finish(rangeIndex);
    }
    expect(progress.doneBytes).toBe(dumpBytes.length);
    expect(reported.at(-1)).toBe(dumpBytes.length);
  });

  it('never reports less than before when a range reports fewer bytes or lines than it did', () => {
    const reported: [number, number][] = [];
    const progress = new RangeProgress([1000, 1000], (doneBytes, linesRead) => reported.push([doneBytes, linesRead]));
    progress.update(0, { bytesRead: 600, linesRead: 6 });
    progress.update(1, { bytesRead: 300, linesRead: 3 });
    progress.update(0, { bytesRead: 200, linesRead: 2 });
    expect([progress.doneBytes, progress.linesRead]).toEqual([900, 9]);
    progress.finish(1);
    expect(reported.at(-1)).toEqual([1600, 9]);
    for (let index = 1; index < reported.length; index++) expect(reported[index][0]).toBeGreaterThanOrEqual(reported[index - 1][0]);
  });
});

describe('part errors', () => {
  it('comes back from a part worker as the same NotAHeapDumpError, message and description', () => {
    const thrown = new NotAHeapDumpError('an HTML page', 'This file looks like an HTML page. LeakPilot expected a Ruby heap dump.');
    const rebuilt = errorOfPart(structuredClone(partErrorInfo(thrown)));
    expect(rebuilt).toBeInstanceOf(NotAHeapDumpError);
    expect({ name: rebuilt.name, message: rebuilt.message, lookedLike: (rebuilt as NotAHeapDumpError).lookedLike }).toEqual({ name: thrown.name, message: thrown.message, lookedLike: 'an HTML page' });
  });

  it('keeps the name and message of a read error, which structured clone alone would lose', () => {
    const thrown = new DOMException('The requested file could not be read', 'NotReadableError');
    const rebuilt = errorOfPart(structuredClone(partErrorInfo(thrown)));
    expect({ name: rebuilt.name, message: rebuilt.message }).toEqual({ name: 'NotReadableError', message: 'The requested file could not be read' });
  });
});
