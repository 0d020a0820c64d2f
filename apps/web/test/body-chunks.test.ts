// forEachBodyChunk: every byte arrives in order from byte streams (read with
// one reused buffer) and from plain streams (read as they come), from a real
// dump fixture cut into odd-sized pieces.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BODY_CHUNK_BYTES, forEachBodyChunk } from '../src/lib/downloads/body-chunks.ts';

const bytes = new Uint8Array(readFileSync(new URL('../../../fixtures/ruby-3.3.8/02-after-leak1.json.gz', import.meta.url)));

function pieces(size: number): Uint8Array<ArrayBuffer>[] {
  const out: Uint8Array<ArrayBuffer>[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += size) out.push(bytes.slice(offset, offset + size));
  return out;
}

function byteStream(chunks: Uint8Array<ArrayBuffer>[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++]);
      else {
        controller.close();
        controller.byobRequest?.respond(0);
      }
    },
  }) as ReadableStream<Uint8Array>;
}

function plainStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++]);
      else controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<{ joined: Uint8Array; buffers: Set<number> }> {
  const joined = new Uint8Array(bytes.byteLength);
  const buffers = new Set<number>();
  let offset = 0;
  await forEachBodyChunk(stream, async (chunk) => {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
    buffers.add(chunk.buffer.byteLength);
  });
  expect(offset).toBe(bytes.byteLength);
  return { joined, buffers };
}

describe('forEachBodyChunk', () => {
  it('reads a byte stream through one reusable buffer of BODY_CHUNK_BYTES, every byte in order', async () => {
    const { joined, buffers } = await collect(byteStream(pieces(70_001)));
    expect(Buffer.compare(Buffer.from(joined), Buffer.from(bytes))).toBe(0);
    expect([...buffers]).toEqual([BODY_CHUNK_BYTES]);
  });

  it('reads a plain stream chunk by chunk, every byte in order', async () => {
    const { joined } = await collect(plainStream(pieces(4093)));
    expect(Buffer.compare(Buffer.from(joined), Buffer.from(bytes))).toBe(0);
  });
});
