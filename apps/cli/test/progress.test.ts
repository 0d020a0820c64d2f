/**
 * The progress line of the CLI (shared-cli/progress.ts), fed with the
 * parser's real progress reports on a stand-in terminal: what a person sees
 * on stderr while a dump loads, and that a pipe sees nothing.
 */
import { describe, expect, it } from 'vitest';
import { parseHeapDump, type ParseProgress } from '@leakpilot/shared/parse/parse-heap-dump.ts';
import { clearStatus, progressLine, showStatus, type StatusStream } from '../src/shared-cli/progress.ts';
import { readAheadStream } from '../src/shared-cli/read-ahead.ts';
import { railsSeries } from './diff-output-capture.ts';

function terminal(isTTY: boolean): StatusStream & { written: string } {
  const stream = {
    isTTY,
    written: '',
    write: (chunk: string | Uint8Array): boolean => {
      stream.written += String(chunk);
      return true;
    },
  };
  return stream;
}

const BIG_FILE_BYTES = 64 * 1024 * 1024;

describe('the progress line', () => {
  it('shows a percentage of a known total, then the phases, and clears the line when done', () => {
    const tty = terminal(true);
    const line = progressLine(tty, 'after (2 of 3) heap-2.json', BIG_FILE_BYTES);
    line.onProgress?.({ phase: 'read', doneBytes: BIG_FILE_BYTES / 4, totalBytes: BIG_FILE_BYTES, objectCount: 123_456 });
    line.onProgress?.({ phase: 'resolve', doneBytes: BIG_FILE_BYTES, totalBytes: BIG_FILE_BYTES, objectCount: 500_000 });
    line.done();
    expect(tty.written).toBe('\rafter (2 of 3) heap-2.json: 25% of 64 MB, 123,456 objects\u001b[K\rafter (2 of 3) heap-2.json: resolve…, 500,000 objects\u001b[K\r\u001b[K');
  });

  it('shows megabytes read, not a percentage of the compressed size, when the parser has no total (gunzipped by the read-ahead worker)', async () => {
    const tty = terminal(true);
    const line = progressLine(tty, 'heap.json.gz', BIG_FILE_BYTES);
    const reports: ParseProgress[] = [];
    await parseHeapDump(readAheadStream(railsSeries[0]), {
      onProgress: (progress) => {
        reports.push(progress);
        line.onProgress?.(progress);
      },
    });
    expect(reports.some((progress) => progress.phase === 'read' && progress.totalBytes === null)).toBe(true);
    expect(tty.written).toMatch(/\rheap\.json\.gz: \d+ MB read, [\d,]+ objects\u001b\[K/);
    expect(tty.written).not.toContain('%');
  });

  it('stays silent on a pipe and for small files', () => {
    const pipe = terminal(false);
    expect(progressLine(pipe, 'heap.json', BIG_FILE_BYTES).onProgress).toBeUndefined();
    showStatus(pipe, 'grouping the objects…');
    clearStatus(pipe);
    expect(pipe.written).toBe('');
    expect(progressLine(terminal(true), 'heap.json', 1024).onProgress).toBeUndefined();
  });
});
