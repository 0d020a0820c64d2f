/**
 * Worker thread of series-digests.ts: for each job (a plain dump file's
 * path) posted to it, reads the file straight into its DumpDigest on this
 * thread (parseDumpDigest) and posts the digest back with its buffers
 * transferred. The parse's tables and finish-phase scratch never reach the
 * main thread. Progress goes back as ParseProgress messages; a
 * failure as plain data (an Error subclass does not survive the structured
 * clone).
 *
 * One worker parses the dumps given to it one after another rather than one
 * worker per dump: the memory a parse frees stays in this thread's malloc
 * arena and the next parse reuses it (with a fresh thread per dump, glibc
 * gave each a new arena and kept the old one's freed pages). After each job
 * the worker collects its garbage (collect-garbage.ts): an idle worker
 * allocates nothing, so the parse's garbage would otherwise stay through
 * the next one.
 *
 * Plain files only: gzip dumps are read ahead by a worker of their own
 * (shared-cli/read-ahead.ts), which the main thread starts.
 */
import { parentPort } from 'node:worker_threads';
import { transferablesOfDigest, type DumpDigest } from '@leakpilot/shared/diff/dump-digest.ts';
import { parseDumpDigest } from '@leakpilot/shared/diff/parse-dump-digest.ts';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import type { ParseProgress } from '@leakpilot/shared/parse/parse-heap-dump.ts';
import { COLUMN_RESERVE_BYTES } from '../shared-cli/column-reserve.ts';
import { openDumpStream } from '../shared-cli/open-dump.ts';
import { collectGarbage } from './collect-garbage.ts';

export interface DigestJob {
  path: string;
}

export type DigestWorkerMessage =
  | { progress: ParseProgress }
  | { digest: DumpDigest }
  | { error: { name: string; message: string; lookedLike?: string } };

const post = (message: DigestWorkerMessage, transfer: ArrayBuffer[] = []): void => parentPort?.postMessage(message, transfer);

async function digestFile(path: string): Promise<void> {
  const { stream, sizeBytes } = await openDumpStream(path);
  const { digest } = await parseDumpDigest(stream, { totalBytes: sizeBytes, onProgress: (progress) => post({ progress }), minColumnBytes: COLUMN_RESERVE_BYTES });
  post({ digest }, transferablesOfDigest(digest));
}

async function runJob(path: string): Promise<void> {
  try {
    await digestFile(path);
  } catch (error) {
    const lookedLike = error instanceof NotAHeapDumpError ? error.lookedLike : undefined;
    post({ error: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error), lookedLike } });
  }
  // the rest of the dump is garbage now; without a collection this idle thread would keep it through the next parse
  collectGarbage();
}

// the main thread posts one job at a time and waits for its digest or error
parentPort?.on('message', (job: DigestJob) => void runJob(job.path));
