/**
 * Reads a response body chunk by chunk into ONE reusable buffer where the
 * stream allows it (a "bytes" stream read with a BYOB reader, as fetch bodies
 * are in Chromium), else with a default reader. Reusing one buffer keeps a
 * long download from leaving a trail of chunk ArrayBuffers for the garbage
 * collector: measured on a 1.1 GB download into OPFS, the tab's memory then
 * stays flat instead of swinging by hundreds of MB.
 *
 * `onChunk` must be done with the chunk when its promise resolves: the bytes
 * are overwritten by the next read.
 */
export const BODY_CHUNK_BYTES = 1024 * 1024;

export async function forEachBodyChunk(body: ReadableStream<Uint8Array>, onChunk: (chunk: Uint8Array) => Promise<void>): Promise<void> {
  let byobReader: ReadableStreamBYOBReader | null = null;
  try {
    byobReader = body.getReader({ mode: 'byob' });
  } catch {
    // not a byte stream: fall back to the chunks the stream makes
  }
  if (!byobReader) {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      await onChunk(value);
    }
  }
  let buffer = new ArrayBuffer(BODY_CHUNK_BYTES);
  for (;;) {
    const { done, value } = await byobReader.read(new Uint8Array(buffer, 0, BODY_CHUNK_BYTES));
    if (done || !value) return;
    await onChunk(value);
    // the read transferred our buffer into `value`; take it back for the next read
    buffer = value.buffer as ArrayBuffer;
  }
}
