/**
 * Parse progress on stderr, only when stderr is a terminal and the file is
 * big enough to take a moment: one line rewritten in place (`\r`), cleared
 * when done, so pipes and test output never see it.
 */
import type { ParseProgress } from '@leakpilot/shared/parse/parse-heap-dump.ts';

const MIN_BYTES_FOR_PROGRESS = 20 * 1024 * 1024;

export interface ProgressLine {
  onProgress: ((progress: ParseProgress) => void) | undefined;
  done(): void;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function progressLine(stream: NodeJS.WriteStream, label: string, sizeBytes: number): ProgressLine {
  if (!stream.isTTY || sizeBytes < MIN_BYTES_FOR_PROGRESS) return { onProgress: undefined, done: () => {} };
  let shown = false;
  return {
    onProgress: (progress) => {
      const total = progress.totalBytes ?? sizeBytes;
      const percent = total > 0 ? Math.min(100, Math.floor((progress.doneBytes / total) * 100)) : 0;
      const phase = progress.phase === 'read' ? `${percent}% of ${megabytes(total)}` : `${progress.phase}…`;
      stream.write(`\r${label}: ${phase}, ${progress.objectCount.toLocaleString('en-US')} objects\u001b[K`);
      shown = true;
    },
    done: () => {
      if (shown) stream.write('\r\u001b[K');
    },
  };
}
