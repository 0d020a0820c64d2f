/**
 * The read-ahead worker behind `readAheadStream`: reads the dump file (and
 * gunzips it with node:zlib when it starts with the gzip magic bytes) on its
 * own thread, and posts the plain bytes to the parser's thread in fresh,
 * already-written buffers that are transferred, not copied. At most
 * `maxChunksInFlight` chunks wait unacknowledged, so memory stays bounded
 * when the parser is the slower side.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';

export interface ReadAheadWorkerData {
  path: string;
  chunkBytes: number;
  maxChunksInFlight: number;
}

export type ReadAheadMessage =
  | { kind: 'chunk'; bytes: Uint8Array }
  | { kind: 'done'; gzip: boolean; fileBytes: number }
  /** the gzip data stopped part way after some bytes were sent: those are kept */
  | { kind: 'truncated'; message: string }
  | { kind: 'error'; message: string };

const { path, chunkBytes, maxChunksInFlight } = workerData as ReadAheadWorkerData;
const port = parentPort;
if (port === null) throw new Error('read-ahead.worker.ts must run as a worker thread');

let chunksInFlight = 0;
let bytesSent = 0;
let wakeSender: (() => void) | null = null;
port.on('message', () => {
  chunksInFlight--;
  wakeSender?.();
});

async function send(bytes: Uint8Array): Promise<void> {
  while (chunksInFlight >= maxChunksInFlight) await new Promise<void>((resolve) => (wakeSender = resolve));
  chunksInFlight++;
  bytesSent += bytes.length;
  const message: ReadAheadMessage = { kind: 'chunk', bytes };
  port?.postMessage(message, [bytes.buffer as ArrayBuffer]);
}

async function readPlain(): Promise<number> {
  const file = await open(path);
  let fileBytes = 0;
  try {
    for (;;) {
      const bytes = new Uint8Array(chunkBytes);
      const { bytesRead } = await file.read(bytes, 0, chunkBytes, null);
      if (bytesRead === 0) return fileBytes;
      fileBytes += bytesRead;
      await send(bytesRead === chunkBytes ? bytes : bytes.slice(0, bytesRead));
    }
  } finally {
    await file.close();
  }
}

async function readGzip(): Promise<void> {
  const gunzip = createReadStream(path, { highWaterMark: chunkBytes }).pipe(createGunzip({ chunkSize: chunkBytes }));
  for await (const piece of gunzip as AsyncIterable<Buffer>) {
    // zlib's buffers may share a pool: copy into a buffer this thread owns and can transfer.
    await send(new Uint8Array(piece));
  }
}

/** zlib's "unexpected end of file" said in terms of what usually happened. */
function describeFailure(error: unknown): string {
  if ((error as { code?: unknown }).code === 'Z_BUF_ERROR') return 'the gzip data ends early (the file was cut off: copied or downloaded before it was complete?)';
  return error instanceof Error ? error.message : String(error);
}

async function isGzipFile(): Promise<boolean> {
  const file = await open(path);
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await file.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await file.close();
  }
}

try {
  const gzip = await isGzipFile();
  let fileBytes = 0;
  if (gzip) await readGzip();
  else fileBytes = await readPlain();
  const done: ReadAheadMessage = { kind: 'done', gzip, fileBytes };
  port.postMessage(done);
} catch (error) {
  const zlibFailure = typeof (error as { code?: unknown }).code === 'string' && String((error as { code: string }).code).startsWith('Z_');
  const failed: ReadAheadMessage =
    zlibFailure && bytesSent > 0
      ? { kind: 'truncated', message: `${describeFailure(error)}; ${bytesSent} decompressed bytes were read before it` }
      : { kind: 'error', message: describeFailure(error) };
  port.postMessage(failed);
}
