/**
 * Reading small /proc files fast. readFileSync costs an fstat and a fresh
 * buffer per call, and /proc files report size 0 anyway; here one reused
 * 64 KiB buffer takes open + read(s) + close. Text is decoded as latin1
 * (one byte per char): command lines may hold any bytes, and every number
 * and key the parsers look at is ASCII.
 *
 * Not re-entrant across awaits by design: it is synchronous (see fds.ts for
 * why /proc reads are synchronous).
 */
import { closeSync, openSync, readSync } from 'node:fs';

const buffer = Buffer.allocUnsafe(64 * 1024);

/** The file's text, or null when it cannot be read (process gone, no permission). */
export function readProcText(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    let length = 0;
    let chunks: string[] | null = null;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) {
        (chunks ??= []).push(buffer.toString('latin1', 0, length));
        length = 0;
      }
    }
    const tail = buffer.toString('latin1', 0, length);
    return chunks === null ? tail : chunks.join('') + tail;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
