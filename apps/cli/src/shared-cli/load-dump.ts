/**
 * Opens and parses one dump file the way every CLI command should: read
 * ahead (and gunzipped) on a worker thread by default, progress on a
 * terminal, typed errors for a missing file (`DumpFileError`) or a file
 * that is not a dump (`NotAHeapDumpError`). `readAhead: false` reads on the
 * parser's thread instead (the bench compares both).
 */
import { parseHeapDump, type ParseOptions } from '@leakpilot/shared/parse/parse-heap-dump.ts';
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';
import { inspectDumpFile, openDumpStream, type DumpFileInfo } from './open-dump.ts';
import { readAheadStream } from './read-ahead.ts';
import { progressLine } from './progress.ts';

export interface LoadOptions extends Omit<ParseOptions, 'totalBytes' | 'onProgress'> {
  /** default true */
  readAhead?: boolean;
}

export async function loadDumpFile(path: string, options: LoadOptions = {}): Promise<HeapDump> {
  const { readAhead = true, ...parseOptions } = options;
  let stream: AsyncIterable<Uint8Array>;
  let file: DumpFileInfo;
  if (readAhead) {
    file = await inspectDumpFile(path);
    stream = readAheadStream(path);
  } else {
    const opened = await openDumpStream(path);
    file = opened;
    stream = opened.stream;
  }
  const progress = progressLine(process.stderr, path, file.sizeBytes);
  // The read-ahead worker gunzips, so the parser then counts plain bytes:
  // the compressed size would make a wrong progress total and column estimate.
  const totalBytes = readAhead && file.gzip ? undefined : file.sizeBytes;
  try {
    return await parseHeapDump(stream, { ...parseOptions, totalBytes, onProgress: progress.onProgress });
  } finally {
    progress.done();
  }
}
