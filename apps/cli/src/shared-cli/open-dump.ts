/**
 * Opens a dump file for the parser: a byte stream read with large chunks
 * (1 MiB: fewer, bigger reads keep the parser's per-chunk work small) and
 * the file size for progress. A missing path, a directory or an unreadable
 * file becomes a typed `DumpFileError` before any parsing starts.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export const READ_CHUNK_BYTES = 1 << 20;

export class DumpFileError extends Error {
  override readonly name = 'DumpFileError';
  constructor(
    readonly path: string,
    readonly reason: 'missing' | 'directory' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

export interface OpenedDump {
  stream: AsyncIterable<Uint8Array>;
  sizeBytes: number;
}

export async function openDumpStream(path: string): Promise<OpenedDump> {
  let sizeBytes: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new DumpFileError(path, 'directory', `${path} is a directory, not a heap dump file`);
    sizeBytes = info.size;
  } catch (error) {
    if (error instanceof DumpFileError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new DumpFileError(path, 'missing', `no such file: ${path}`);
    throw new DumpFileError(path, 'unreadable', `cannot read ${path} (${String(code)})`);
  }
  return { stream: createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }), sizeBytes };
}
