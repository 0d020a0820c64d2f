/**
 * Turns the parser's input (a WHATWG `ReadableStream<Uint8Array>` as from
 * `File.stream()` or `fetch`, or any `AsyncIterable<Uint8Array>` such as a
 * Node fs stream) into one pull-based chunk reader, counts the bytes read,
 * and decompresses gzip (magic bytes 1f 8b) with `DecompressionStream`, which
 * Node 20 and browsers provide. Nothing here is Node-specific.
 */
import { TruncatedInputError } from './errors.ts';
export interface ChunkSource {
  next(): Promise<Uint8Array | null>;
  /** stops the underlying input early (cancel the reader, return the iterator) */
  close(): Promise<void>;
}

/** Reads a ReadableStream without relying on its async iteration (Safari lacks it). */
function readerSource(stream: ReadableStream<Uint8Array>): ChunkSource {
  const reader = stream.getReader();
  return {
    async next() {
      const { done, value } = await reader.read();
      return done ? null : value;
    },
    async close() {
      await reader.cancel().catch(() => undefined);
    },
  };
}

function iteratorSource(iterable: AsyncIterable<Uint8Array>): ChunkSource {
  const iterator = iterable[Symbol.asyncIterator]();
  return {
    async next() {
      const { done, value } = await iterator.next();
      if (done) return null;
      return value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBufferLike);
    },
    async close() {
      await iterator.return?.();
    },
  };
}

export function toChunkSource(input: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): ChunkSource {
  if (typeof (input as ReadableStream<Uint8Array>).getReader === 'function') return readerSource(input as ReadableStream<Uint8Array>);
  return iteratorSource(input as AsyncIterable<Uint8Array>);
}

/** A source that counts bytes and lets the caller put read chunks back in front. */
export class CountingSource implements ChunkSource {
  byteCount = 0;
  private readonly pushedBack: Uint8Array[] = [];

  constructor(private readonly inner: ChunkSource) {}

  async next(): Promise<Uint8Array | null> {
    const pushed = this.pushedBack.pop();
    if (pushed !== undefined) return pushed;
    const chunk = await this.inner.next();
    if (chunk !== null) this.byteCount += chunk.length;
    return chunk;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Drops the next `byteCount` bytes (a UTF-8 byte order mark, for one). */
  async skip(byteCount: number): Promise<void> {
    let left = byteCount;
    while (left > 0) {
      const chunk = await this.next();
      if (chunk === null) return;
      if (chunk.length > left) this.unshift(chunk.subarray(left));
      left -= chunk.length;
    }
  }

  unshift(chunk: Uint8Array): void {
    if (chunk.length > 0) this.pushedBack.push(chunk);
  }

  /**
   * Reads until at least `minBytes` are buffered or the input ends, returns
   * them as one array, and puts them back so the next reads see them again.
   */
  async peek(minBytes: number): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (total < minBytes) {
      const chunk = await this.next();
      if (chunk === null) break;
      chunks.push(chunk);
      total += chunk.length;
    }
    const head = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
      head.set(chunk, at);
      at += chunk.length;
    }
    this.unshift(head);
    return head;
  }
}

/** A ChunkSource as an async iterable (no early close: the owner closes the source). */
export async function* iterateSource(source: ChunkSource): AsyncGenerator<Uint8Array> {
  for (;;) {
    const chunk = await source.next();
    if (chunk === null) return;
    yield chunk;
  }
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Pipes a source through DecompressionStream('gzip'), pulling input only as output is read. */
export function gunzipSource(source: ChunkSource): ChunkSource {
  const compressed = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await source.next();
      if (chunk === null) controller.close();
      else controller.enqueue(chunk);
    },
    cancel: () => source.close(),
  });
  // DecompressionStream's writable side is typed BufferSource; Uint8Array is one.
  const gunzip = new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
  const plain = readerSource(compressed.pipeThrough(gunzip));
  let plainBytes = 0;
  return {
    async next() {
      try {
        const chunk = await plain.next();
        if (chunk !== null) plainBytes += chunk.length;
        return chunk;
      } catch (error) {
        // Once bytes came out, what they hold is kept: the parse goes on to a
        // normal finish with a problem saying where the gzip data stopped.
        if (plainBytes === 0) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new TruncatedInputError(
          `the gzip data ends early or is damaged after ${plainBytes} decompressed bytes (${reason}): the file was probably copied or downloaded before it was complete`,
        );
      }
    },
    close: () => plain.close(),
  };
}
