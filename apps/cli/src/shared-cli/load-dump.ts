/**
 * Opens and parses one dump file the way every CLI command should: large
 * read chunks, progress on a terminal, typed errors for a missing file
 * (`DumpFileError`) or a file that is not a dump (`NotAHeapDumpError`).
 */
import { parseHeapDump, type ParseOptions } from '@leakpilot/shared/parse/parse-heap-dump.ts';
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';
import { openDumpStream } from './open-dump.ts';
import { progressLine } from './progress.ts';

export async function loadDumpFile(path: string, options: Omit<ParseOptions, 'totalBytes' | 'onProgress'> = {}): Promise<HeapDump> {
  const { stream, sizeBytes } = await openDumpStream(path);
  const progress = progressLine(process.stderr, path, sizeBytes);
  try {
    return await parseHeapDump(stream, { ...options, totalBytes: sizeBytes, onProgress: progress.onProgress });
  } finally {
    progress.done();
  }
}
