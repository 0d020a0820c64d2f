/**
 * Turns an open dump file into a response body: a byte range of the file,
 * optionally gzipped on the fly. The route returns it as a web ReadableStream,
 * which is what Hono and `app.request()` understand; the stream is lazy and
 * also offered here under its request, so that the Node server can claim it
 * (`claimFileBody`) and send the file straight to the socket instead
 * (send-file-body.ts), without the web stream adapter's cost per chunk.
 *
 * Ownership: whoever consumes the body owns the file handle and the slot.
 * Either the web stream is read (or cancelled), or the body is claimed and
 * never read as a stream; never both, which is why nothing is read before
 * the first pull. The file handle is closed, and `onClose` called, when the
 * body ends, fails or the client goes away.
 *
 * Chunks of the web stream are 1 MiB: the default 64 KiB chunk costs a
 * promise round trip per chunk through the web stream adapter, which halves
 * loopback throughput.
 */
import type { FileHandle } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { constants as zlibConstants, createGzip } from 'node:zlib';

const STREAM_CHUNK_BYTES = 1 << 20;

export interface FileBodyOptions {
  start: number;
  endInclusive: number;
  gzip: boolean;
  onClose: () => void;
}

/** Everything needed to send a file body: its open handle, its range and encoding. */
export interface FileBodySource extends FileBodyOptions {
  handle: FileHandle;
}

/** A body offered to the server, keyed by the request it answers. */
interface Offer {
  body: ReadableStream<Uint8Array>;
  source: FileBodySource;
  state: 'offered' | 'claimed' | 'streamed';
}

const offers = new WeakMap<Request, Offer>();

/**
 * The file range as a Node stream, gzipped when asked; the handle closes
 * (and `onClose` runs) when the file stream closes, and an error or a destroy
 * anywhere in the gzip pipeline destroys the file stream too.
 */
export function fileReadable(source: FileBodySource): Readable {
  const file = source.handle.createReadStream({
    start: source.start,
    end: source.endInclusive,
    highWaterMark: STREAM_CHUNK_BYTES,
    autoClose: true,
  });
  file.once('close', source.onClose);
  if (!source.gzip) return file;
  const gzip = createGzip({ level: zlibConstants.Z_BEST_SPEED, chunkSize: STREAM_CHUNK_BYTES });
  return pipeline(file, gzip, () => {
    // An error or a destroy has destroyed both streams; the file's close released the slot.
  });
}

/** The body answering `request`: a lazy web stream, also offered to the server (`claimFileBody`). */
export function fileBody(request: Request, handle: FileHandle, options: FileBodyOptions): ReadableStream<Uint8Array> {
  const source: FileBodySource = { handle, ...options };
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (reader === null) {
          if (offer.state === 'claimed') throw new Error('the file body was claimed by the server and cannot be read as a stream');
          offer.state = 'streamed';
          reader = (Readable.toWeb(fileReadable(source)) as ReadableStream<Uint8Array>).getReader();
        }
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel(reason) {
        if (reader !== null) {
          await reader.cancel(reason);
          return;
        }
        // Claimed: the claimant owns the handle and the slot.
        if (offer.state === 'claimed') return;
        offer.state = 'streamed';
        await handle.close();
        options.onClose();
      },
    },
    // No pull before the first read: the body may yet be claimed by the server.
    { highWaterMark: 0 },
  );
  const offer: Offer = { body, source, state: 'offered' };
  offers.set(request, offer);
  return body;
}

/**
 * The file behind `response` when it is the file body offered for `request`,
 * once and only if nothing has read it: the caller then owns its handle and
 * slot, and must send it (send-file-body.ts). An offered body that is not
 * the response's, and that nothing reads, is cancelled here. Looked up by request rather
 * than by response, so that other responses are never inspected (reading
 * `body` of @hono/node-server's lightweight Response makes it heavyweight).
 */
export function claimFileBody(request: Request, response: Response): FileBodySource | null {
  const offer = offers.get(request);
  if (offer === undefined) return null;
  offers.delete(request);
  if (offer.state !== 'offered') return null;
  if (response.body !== offer.body) {
    // The response was replaced after the route (an error, say) and nothing reads
    // the body: cancel it, or its slot would be held until the process exits.
    if (!offer.body.locked) void offer.body.cancel();
    return null;
  }
  offer.state = 'claimed';
  return offer.source;
}

/** True when Accept-Encoding allows gzip (a q=0 refuses it). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
