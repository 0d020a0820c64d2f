/**
 * Checks every dump file named on a command line before the first long
 * parse: each must exist, be a readable file, and start like a heap dump
 * (the parser's own sniffHeapDump on its first bytes, gunzipped when the
 * file is gzip). A typo in the third path of a 3-dump diff then fails in
 * milliseconds with status 2, not after two 1 GB dumps were parsed, and the
 * outcome does not depend on the order the command reads its dumps in.
 *
 * Only the head is read (64 KiB of a gzip file at most); the parse still
 * reports anything wrong further down the file.
 */
import { open } from 'node:fs/promises';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { sniffHeapDump } from '@leakpilot/shared/parse/sniff.ts';
import { DumpFileError, inspectDumpFile, NotAHeapDumpFileError } from './open-dump.ts';

/** As much as the parser sniffs before it starts (SNIFF_BYTES in parse-parts.ts). */
const SNIFF_BYTES = 512;
const GZIP_HEAD_BYTES = 64 * 1024;

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const file = await open(path);
  try {
    const head = new Uint8Array(bytes);
    const { bytesRead } = await file.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** The first plain bytes of a gzip file: a partial gunzip (Z_SYNC_FLUSH accepts a cut stream). */
function gunzipHead(path: string, compressed: Uint8Array): Uint8Array {
  try {
    return gunzipSync(compressed, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).subarray(0, SNIFF_BYTES);
  } catch (error) {
    throw new DumpFileError(path, 'unreadable', `cannot decompress ${path}: it starts like a gzip file but is not one (${(error as Error).message})`);
  }
}

export async function checkDumpFile(path: string): Promise<void> {
  const info = await inspectDumpFile(path);
  const head = info.gzip ? gunzipHead(path, await readHead(path, GZIP_HEAD_BYTES)) : await readHead(path, SNIFF_BYTES);
  try {
    sniffHeapDump(head);
  } catch (error) {
    if (error instanceof NotAHeapDumpError) throw new NotAHeapDumpFileError(path, error);
    throw error;
  }
}

/** Checks the files in command-line order; the first bad one is the error. */
export async function checkDumpFiles(paths: readonly string[]): Promise<void> {
  for (const path of paths) await checkDumpFile(path);
}
