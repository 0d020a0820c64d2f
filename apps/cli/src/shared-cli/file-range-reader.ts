/**
 * Reads a file from a byte offset to its end in 1 MiB chunks into a ring of
 * buffers used in turn, in one of two ways:
 * - `readFileFrom`: through `FileHandle.read`, with the next reads already in
 *   flight on libuv's threads while the caller works on a chunk. For a parse
 *   on one thread: the copies from the page cache run on the other core.
 * - `readFileFromOnThisThread`: `readSync` on the calling thread when the
 *   caller asks for the next chunk. For the threads of a parallel parse,
 *   which keep every core busy already: the reads in flight then only
 *   competed with the parsing threads, and each chunk was copied on one core
 *   and parsed on another. Measured on the 1.1 GB bench dump with two
 *   parsing threads (4 interleaved runs each): the threads' scans met at
 *   1.81-1.87 s instead of 2.07-2.22 s, the parse took 2.16-2.23 s instead of
 *   2.44-2.58 s, and used 4.1-4.3 s of CPU instead of 4.6-4.9 s. On one
 *   thread the reads in flight stay better: 2.42-2.66 s against 2.69-2.77 s.
 *
 * Why a ring of buffers: an fs read stream allocates a fresh Buffer per
 * chunk, which on a 1.1 GB dump was ~29,000 first-touch page faults (~115 MB
 * of fresh memory) and external memory the GC had to account for; these
 * buffers are touched once.
 *
 * Invariant the caller must keep: chunk k stays valid until chunk k + 2 is
 * requested (one chunk may be held back, e.g. by a peek that needs a few
 * more bytes; the other buffers are reads in flight). Only for callers that
 * are done with a chunk by then: the parser's line splitter copies what it
 * keeps of a chunk; a gzip stream would not, so this is for plain files.
 * Stopping early (`return()` on the generator, as a range's last line is
 * reached) closes the file.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** 1 MiB: fewer, bigger reads keep the parser's per-chunk work small */
export const READ_CHUNK_BYTES = 1 << 20;
/**
 * Buffers in the ring: two for the chunk being handled and one held back,
 * the rest reads in flight. One read ahead was not enough on a busy machine:
 * the libuv thread doing it was not always scheduled in time, and the
 * parsing thread sat idle waiting (~350 ms of a 4.5 s parse on the loaded
 * 2-core bench box).
 */
const BUFFER_COUNT = 6;
const READS_IN_FLIGHT = BUFFER_COUNT - 2;

/** Buffers in the ring read on this thread: the chunk handed out, the one before it and the one being read. */
const ON_THREAD_BUFFER_COUNT = 3;

export async function* readFileFromOnThisThread(path: string, startByte: number): AsyncGenerator<Uint8Array> {
  const fd = openSync(path, 'r');
  const buffers = Array.from({ length: ON_THREAD_BUFFER_COUNT }, () => new Uint8Array(READ_CHUNK_BYTES));
  let position = startByte;
  try {
    for (let chunk = 0; ; chunk++) {
      // chunk k is read into the buffer of chunk k - 3: chunks k - 1 and k - 2 stay valid
      const buffer = buffers[chunk % ON_THREAD_BUFFER_COUNT];
      const bytesRead = readSync(fd, buffer, 0, READ_CHUNK_BYTES, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
      if (bytesRead < READ_CHUNK_BYTES) return;
    }
  } finally {
    closeSync(fd);
  }
}

export async function* readFileFrom(path: string, startByte: number): AsyncGenerator<Uint8Array> {
  const file = await open(path);
  const buffers = Array.from({ length: BUFFER_COUNT }, () => new Uint8Array(READ_CHUNK_BYTES));
  /** reads in flight, oldest first; chunk k is read into buffers[k % BUFFER_COUNT] */
  const inFlight: Promise<{ bytesRead: number }>[] = [];
  let nextPosition = startByte;
  const requestNext = (chunk: number): void => {
    inFlight.push(file.read(buffers[chunk % BUFFER_COUNT], 0, READ_CHUNK_BYTES, nextPosition));
    nextPosition += READ_CHUNK_BYTES;
  };
  try {
    for (let ahead = 0; ahead < READS_IN_FLIGHT; ahead++) requestNext(ahead);
    // reads past the end come back empty; the first short or empty one ends the file
    for (let chunk = 0; ; chunk++) {
      const { bytesRead } = await (inFlight.shift() as Promise<{ bytesRead: number }>);
      if (bytesRead === 0) return;
      // chunk + READS_IN_FLIGHT reuses the buffer of chunk - 2: this chunk and the one before stay valid
      requestNext(chunk + READS_IN_FLIGHT);
      yield buffers[chunk % BUFFER_COUNT].subarray(0, bytesRead);
      if (bytesRead < READ_CHUNK_BYTES) return;
    }
  } finally {
    // the reads in flight must end before the handle closes
    await Promise.allSettled(inFlight);
    await file.close();
  }
}
