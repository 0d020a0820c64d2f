/**
 * Turns a DumpInput into what the engine worker reads inside the worker: a
 * Blob for a File/Blob, a file handle or an OPFS file (`getFile()`), which
 * can be streamed whole or in byte ranges (parallel-parse.ts); or a byte
 * stream with its size when known (a URL via fetch's body, a transferred
 * stream). Nothing here buffers a whole dump.
 */
import type { DumpInput } from '../lib/engine-client/engine-protocol.ts';

export type OpenedDump =
  /** a file: its size is known and any byte range can be read (`blob.slice(start).stream()`) */
  | { kind: 'blob'; blob: Blob }
  /** read once, front to back */
  | {
      kind: 'stream';
      stream: ReadableStream<Uint8Array>;
      /** bytes the stream will deliver before decompression, or null when unknown */
      totalBytes: number | null;
    };

export class DumpInputError extends Error {
  override readonly name = 'DumpInputError';
}

/** Resolves "a/b/c.json.gz" from the OPFS root to a file handle. */
export async function opfsFileHandle(path: string): Promise<FileSystemFileHandle> {
  const parts = path.split('/').filter((part) => part.length > 0);
  const fileName = parts.pop();
  if (!fileName) throw new DumpInputError(`"${path}" is not a file path in this browser's private storage`);
  let folder = await navigator.storage.getDirectory();
  try {
    for (const part of parts) folder = await folder.getDirectoryHandle(part);
    return await folder.getFileHandle(fileName);
  } catch {
    throw new DumpInputError(`the dump "${path}" is no longer in this browser's storage (it may have been cleared); download it again`);
  }
}

function opened(blob: Blob): OpenedDump {
  return { kind: 'blob', blob };
}

export async function openDumpInput(input: DumpInput): Promise<OpenedDump> {
  switch (input.kind) {
    case 'blob':
      return opened(input.blob);
    case 'file-handle':
      try {
        return opened(await input.handle.getFile());
      } catch {
        throw new DumpInputError(`the file "${input.handle.name}" can no longer be read (moved, deleted, or permission not granted); open it again`);
      }
    case 'opfs':
      return opened(await (await opfsFileHandle(input.path)).getFile());
    case 'url': {
      let response: Response;
      try {
        response = await fetch(input.url, { headers: input.headers, cache: 'no-store' });
      } catch {
        throw new DumpInputError(`could not reach ${new URL(input.url).origin} to fetch the dump`);
      }
      if (!response.ok || !response.body) throw new DumpInputError(`fetching the dump failed: HTTP ${response.status} ${response.statusText}`);
      // With Content-Encoding the browser decodes and Content-Length no longer counts what we read.
      const length = response.headers.get('content-encoding') ? null : Number(response.headers.get('content-length'));
      return { kind: 'stream', stream: response.body, totalBytes: length !== null && Number.isFinite(length) && length > 0 ? length : null };
    }
    case 'stream':
      return { kind: 'stream', stream: input.stream, totalBytes: input.totalBytes };
  }
}
