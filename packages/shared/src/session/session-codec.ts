/**
 * Reading and writing `.leakpilot` files: a SessionFile document as UTF-8 JSON,
 * gzip-compressed with the platform's CompressionStream (browsers and Node 20
 * both have it; no `node:` import here).
 *
 * `decodeSessionFile` sniffs the first bytes: gzip (1f 8b) is decompressed, a
 * plain JSON document (someone gunzipped the file) is accepted too, anything
 * else is a foreign file. Every failure is a SessionFileError with a code and a
 * message a person can act on; decoding has no side effects, so a caller that
 * stores only after a successful decode changes nothing on failure.
 */
import { SessionFileError } from './session-errors.ts';
import { SESSION_FORMAT_ID, SESSION_FORMAT_VERSION, type SessionData, type SessionFile } from './session-types.ts';
import { validateSessionFile } from './session-validate.ts';

/** Decompressed size above which a file is refused (a session holds results, not dumps). */
export const MAX_SESSION_JSON_BYTES = 256 * 1024 * 1024;

/** The usual file name extension, with its dot. */
export const SESSION_FILE_EXTENSION = '.leakpilot';
/** A MIME type for downloads and file pickers. */
export const SESSION_FILE_MIME = 'application/x-leakpilot-session';

export interface EncodeSessionOptions {
  /** e.g. "LeakPilot 0.1.0" */
  producer: string;
  exportedAtMs: number;
}

export type SessionFileInput = Blob | Uint8Array | ReadableStream<Uint8Array>;

async function collect(stream: ReadableStream<Uint8Array>, maxBytes: number, onTooLarge: () => never): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let byteCount = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    byteCount += value.byteLength;
    if (byteCount > maxBytes) {
      await reader.cancel();
      onTooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(byteCount);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The DOM lib types (Compression|Decompression)Stream's writable side as
 * WritableStream<BufferSource>, which TypeScript will not pipe a
 * ReadableStream<Uint8Array> into (write-side variance); the runtime accepts
 * Uint8Array chunks, hence the casts at the two pipeThrough calls below.
 */
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Writes a session as the bytes of a `.leakpilot` file. */
export async function encodeSessionFile(session: SessionData, options: EncodeSessionOptions): Promise<Uint8Array<ArrayBuffer>> {
  const document: SessionFile = {
    format: SESSION_FORMAT_ID,
    version: SESSION_FORMAT_VERSION,
    producer: options.producer,
    exportedAtMs: options.exportedAtMs,
    session,
  };
  const json = new TextEncoder().encode(JSON.stringify(document));
  const gzipped = streamOf(json).pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  return collect(gzipped, Number.MAX_SAFE_INTEGER, () => {
    throw new Error('unreachable: no limit when encoding');
  });
}

function tooLarge(): never {
  throw new SessionFileError(
    'too-large',
    `This file is larger than ${MAX_SESSION_JSON_BYTES / (1024 * 1024)} MB once decompressed; a LeakPilot session is much smaller. It is probably a heap dump: open it as a dump instead.`,
  );
}

function describeForeignBytes(head: Uint8Array): string {
  if (head[0] === 0x89 && head[1] === 0x50) return 'a PNG image';
  if (head[0] === 0x50 && head[1] === 0x4b) return 'a ZIP archive';
  if (head[0] === 0x25 && head[1] === 0x50) return 'a PDF document';
  if (head[0] === 0x3c) return 'an HTML or XML document';
  return 'not a LeakPilot session';
}

async function readAllBytes(input: SessionFileInput, maxBytes: number): Promise<Uint8Array> {
  if (input instanceof Uint8Array) {
    if (input.byteLength > maxBytes) tooLarge();
    return input;
  }
  const stream = input instanceof ReadableStream ? input : (input.stream() as ReadableStream<Uint8Array>);
  return collect(stream, maxBytes, tooLarge);
}

async function gunzip(compressed: Uint8Array): Promise<Uint8Array> {
  try {
    return await collect(
      streamOf(compressed).pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>),
      MAX_SESSION_JSON_BYTES,
      tooLarge,
    );
  } catch (error) {
    if (error instanceof SessionFileError) throw error;
    throw new SessionFileError(
      'damaged',
      'This session file is damaged: its compressed data is cut short or corrupt (was the download or copy complete?). Ask for a fresh export.',
    );
  }
}

function firstNonSpace(bytes: Uint8Array): number {
  let offset = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (offset < bytes.byteLength && (bytes[offset] === 0x20 || bytes[offset] === 0x0a || bytes[offset] === 0x0d || bytes[offset] === 0x09)) offset += 1;
  return offset;
}

/** Reads and validates a `.leakpilot` file; throws SessionFileError, never changes anything. */
export async function decodeSessionFile(input: SessionFileInput): Promise<SessionFile> {
  // The compressed file is bounded too: gzip of JSON shrinks it, never grows it much.
  const raw = await readAllBytes(input, MAX_SESSION_JSON_BYTES);
  if (raw.byteLength === 0) throw new SessionFileError('empty', 'This file is empty (0 bytes). Choose a .leakpilot file exported by LeakPilot.');
  const isGzip = raw[0] === 0x1f && raw[1] === 0x8b;
  const jsonBytes = isGzip ? await gunzip(raw) : raw;
  const start = firstNonSpace(jsonBytes);
  if (jsonBytes[start] !== 0x7b) {
    if (isGzip) throw new SessionFileError('not-json', 'This compressed file does not hold a LeakPilot session (its content is not JSON). Choose a .leakpilot file exported by LeakPilot.');
    throw new SessionFileError('foreign', `This file is ${describeForeignBytes(raw)}, not a LeakPilot session. Choose a .leakpilot file exported by LeakPilot.`);
  }
  let text: string;
  let document: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes);
  } catch {
    throw new SessionFileError('not-json', 'This file is not a LeakPilot session: its content is not UTF-8 text. Choose a .leakpilot file exported by LeakPilot.');
  }
  try {
    document = JSON.parse(text);
  } catch {
    if (looksLikeHeapDump(text)) {
      throw new SessionFileError('foreign', 'This is a Ruby heap dump, not a LeakPilot session. Open it as a dump instead (Dumps, Open file).');
    }
    throw new SessionFileError('not-json', 'This session file is damaged: its content is not complete, valid JSON. Ask for a fresh export.');
  }
  return validateSessionFile(document);
}

/** JSON Lines whose first line is an `ObjectSpace.dump_all` record. */
function looksLikeHeapDump(text: string): boolean {
  const newline = text.indexOf('\n');
  if (newline < 0) return false;
  try {
    const first: unknown = JSON.parse(text.slice(0, newline));
    return typeof first === 'object' && first !== null && 'type' in first && ('address' in first || (first as { type: unknown }).type === 'ROOT');
  } catch {
    return false;
  }
}
