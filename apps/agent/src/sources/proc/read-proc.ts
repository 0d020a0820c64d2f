/**
 * Reading small /proc files fast. readFileSync costs an fstat and a fresh
 * buffer per call, and /proc files report size 0 anyway; here one reused
 * 64 KiB buffer takes open + read(s) + close. Text is decoded as latin1
 * (one byte per char): command lines may hold any bytes, and every number
 * and key the parsers look at is ASCII.
 *
 * Files the kernel makes with single_open (status, stat, smaps_rollup,
 * meminfo) are rendered whole into one buffer, and a read copies as much of
 * it as fits, so for them a short read is the end and the extra read that
 * would return 0 is skipped (`singleOpen`). Multi-record seq files (maps,
 * kallsyms) return page-sized short reads long before the end, and cmdline
 * is read page by page from the process's memory: those are always read
 * until a read returns 0. Tests compare both modes with readFileSync.
 *
 * Not re-entrant across awaits by design: it is synchronous (see fds.ts for
 * why /proc reads are synchronous).
 */
import { closeSync, openSync, readSync } from 'node:fs';

const buffer = Buffer.allocUnsafe(64 * 1024);

/** The file's text, or null when it cannot be read (process gone, no permission). */
export function readProcText(path: string, singleOpen = false): string | null {
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
      const wanted = buffer.length - length;
      const n = readSync(fd, buffer, length, wanted, null);
      if (n === 0) break;
      length += n;
      if (singleOpen && n < wanted) break;
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
