/**
 * Reads files once, discarding the bytes, so they are in the page cache
 * before a section times anything: a section's first measured run
 * otherwise pays the disk when the dumps were evicted since they were
 * written (it was a 3-dump diff of 6.9 s against 5.1 s warm, on a host
 * caching 3 GB of the 4 GB of bench dumps). Every variant then reads the
 * same cached bytes, the baselines included.
 */
import { open } from 'node:fs/promises';

const READ_BYTES = 8 * 1024 * 1024;

/** Reads every file through; returns the milliseconds it took (near 0 when already cached). */
export async function warmPageCache(paths: readonly string[]): Promise<number> {
  const startedMs = performance.now();
  const buffer = new Uint8Array(READ_BYTES);
  for (const path of paths) {
    const file = await open(path, 'r');
    try {
      while ((await file.read(buffer, 0, READ_BYTES, null)).bytesRead > 0);
    } finally {
      await file.close();
    }
  }
  return performance.now() - startedMs;
}
