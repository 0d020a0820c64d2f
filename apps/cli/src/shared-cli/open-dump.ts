/**
 * Opens a dump file for the parser: a byte stream read with large chunks
 * (1 MiB: fewer, bigger reads keep the parser's per-chunk work small), the
 * file size for progress, and whether it is gzip-compressed. A missing path,
 * a directory or an unreadable file becomes a typed `DumpFileError` before
 * any parsing starts; a file the parser refuses becomes a
 * `NotAHeapDumpFileError`, which names the file (with several dumps on one
 * command line, the parser's own message does not say which one it was).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { READ_CHUNK_BYTES, readFileFrom } from './file-range-reader.ts';

export { READ_CHUNK_BYTES };

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

/** The parser's NotAHeapDumpError with the file's path in front of its message. */
export class NotAHeapDumpFileError extends NotAHeapDumpError {
  constructor(
    readonly path: string,
    refused: NotAHeapDumpError,
  ) {
    super(refused.lookedLike, `${path}: ${refused.message}`);
  }
}

export interface DumpFileInfo {
  sizeBytes: number;
  gzip: boolean;
}

export interface OpenedDump extends DumpFileInfo {
  stream: AsyncIterable<Uint8Array>;
}

/** Size and gzip magic of a dump file, or a DumpFileError saying why it cannot be read. */
export async function inspectDumpFile(path: string): Promise<DumpFileInfo> {
  try {
    const file = await open(path);
    try {
      const info = await file.stat();
      if (info.isDirectory()) throw new DumpFileError(path, 'directory', `${path} is a directory, not a heap dump file`);
      const head = new Uint8Array(2);
      const { bytesRead } = await file.read(head, 0, 2, 0);
      return { sizeBytes: info.size, gzip: bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b };
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof DumpFileError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new DumpFileError(path, 'missing', `no such file: ${path}`);
    if (code === 'EISDIR') throw new DumpFileError(path, 'directory', `${path} is a directory, not a heap dump file`);
    throw new DumpFileError(path, 'unreadable', `cannot read ${path} (${String(code)})`);
  }
}

/**
 * A plain file is read into reused buffers (file-range-reader.ts: the parser
 * copies what it keeps of a chunk); a gzip file through an fs stream, whose
 * fresh chunks DecompressionStream may hold on to.
 */
export async function openDumpStream(path: string): Promise<OpenedDump> {
  const info = await inspectDumpFile(path);
  return { ...info, stream: info.gzip ? createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }) : readFileFrom(path, 0) };
}
