/**
 * Progress on stderr, only when stderr is a terminal: one line rewritten in
 * place (`\r`) and cleared when done, so pipes and test output never see it.
 * `progressLine` follows a parse (only for files big enough to take a
 * moment); `showStatus` names a phase after parsing (matching identities,
 * dominators) that can take seconds on a 1 GB dump.
 */
import type { ParseProgress } from '@leakpilot/shared/parse/parse-heap-dump.ts';

const MIN_BYTES_FOR_PROGRESS = 20 * 1024 * 1024;

/** What is used of process.stderr (tests pass a stand-in terminal). */
export type StatusStream = Pick<NodeJS.WriteStream, 'isTTY' | 'write'>;

export interface ProgressLine {
  onProgress: ((progress: ParseProgress) => void) | undefined;
  done(): void;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/**
 * Share of the input read; without a total (a gzip file gunzipped by the
 * read-ahead worker: the parser counts plain bytes, the file size is the
 * compressed one) only the bytes read, never a percentage of the wrong total.
 */
function readText(progress: ParseProgress): string {
  const total = progress.totalBytes;
  if (total === null || total <= 0) return `${megabytes(progress.doneBytes)} read`;
  return `${Math.min(100, Math.floor((progress.doneBytes / total) * 100))}% of ${megabytes(total)}`;
}

export function progressLine(stream: StatusStream, label: string, sizeBytes: number): ProgressLine {
  if (!stream.isTTY || sizeBytes < MIN_BYTES_FOR_PROGRESS) return { onProgress: undefined, done: () => {} };
  let shown = false;
  return {
    onProgress: (progress) => {
      const phase = progress.phase === 'read' ? readText(progress) : `${progress.phase}…`;
      stream.write(`\r${label}: ${phase}, ${progress.objectCount.toLocaleString('en-US')} objects\u001b[K`);
      shown = true;
    },
    done: () => {
      if (shown) clearStatus(stream);
    },
  };
}

/** Shows one phase on the status line of a terminal; writes nothing to a pipe. */
export function showStatus(stream: StatusStream, text: string): void {
  if (stream.isTTY) stream.write(`\r${text}\u001b[K`);
}

/** Clears the status line of a terminal (before a result or an error is printed). */
export function clearStatus(stream: StatusStream): void {
  if (stream.isTTY) stream.write('\r\u001b[K');
}
