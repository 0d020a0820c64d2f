/**
 * The DumpDigests of a series (before, after, later) for `diff` and
 * `suspects`, parsed at most `concurrency` at a time.
 *
 * One dump at a time is parsed on this thread (loadDumpFile: identity-only,
 * read ahead by a gunzipping worker for gzip), digested in place and
 * dropped, then the garbage is collected (collect-garbage.ts) before the
 * next. Beyond one, concurrent parses run in worker threads
 * (digest.worker.ts, plain files only) that post back only the digest.
 *
 * Why not every parse in a worker: measured on the three ~1 GB bench dumps
 * (3.43 M objects in the largest, before SeriesDiffBuilder dropped the old
 * rows of `after`), all three on this thread peaked at 361 MB
 * (105 B/object); one worker parsing them one after another at ~490 MB, and
 * two workers at once at ~500-540 MB: each thread gets its own malloc arena
 * and V8 isolate, and glibc keeps the pages a parse freed in that arena. Two
 * parses at once cannot fit the 100 B/object target, so `diff` asks for 1
 * unless told otherwise (see its --help). What is left above the live data
 * is mostly glibc's: with MALLOC_MMAP_THRESHOLD_=4194304 in the environment
 * (big buffers always mmapped, so freed at once) the same diff peaked
 * ~45 MB lower for ~0.4 s more system time.
 *
 * Digests are handed out once (`take`), in the order the command feeds
 * SeriesDiffBuilder, and forgotten here, so a digest the builder has used
 * can be collected. `close()` terminates the workers (also after a failure,
 * so the process can exit at once). Progress lines and errors are those of
 * loadDumpFile: a file that is not a dump is a NotAHeapDumpFileError naming
 * it.
 */
import type { Worker } from 'node:worker_threads';
import type { DumpDigest } from '@leakpilot/shared/diff/dump-digest.ts';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { inspectDumpFile, NotAHeapDumpFileError } from '../shared-cli/open-dump.ts';
import { progressLine } from '../shared-cli/progress.ts';
import { startWorker, type WorkerEntry } from '../shared-cli/worker-bundle.ts';
import type { DigestJob, DigestWorkerMessage } from './digest.worker.ts';
import { collectGarbage } from './collect-garbage.ts';
import { loadDumpDigest } from '../shared-cli/load-dump.ts';
import { seriesLabel } from './series-dumps.ts';

export const DIGEST_WORKER: WorkerEntry = {
  name: 'series-digest-worker',
  source: new URL('./digest.worker.ts', import.meta.url),
  fallback: new URL('./digest-worker.mjs', import.meta.url),
};

export class DigestWorkerError extends Error {
  override readonly name = 'DigestWorkerError';
}

function errorFromWorker(path: string, error: { name: string; message: string; lookedLike?: string }): Error {
  if (error.name === 'NotAHeapDumpError') return new NotAHeapDumpFileError(path, new NotAHeapDumpError(error.lookedLike ?? 'not a heap dump', error.message));
  return new DigestWorkerError(`parsing ${path} failed: ${error.message}`);
}

export class SeriesDigests {
  private readonly pending = new Map<number, Promise<DumpDigest>>();
  /** workers started and not busy */
  private readonly idle: Worker[] = [];
  private readonly workers: Worker[] = [];
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  private onThisThread = false;
  private closed = false;

  /** Starts digesting the dumps at `order` (indices into `paths`), `concurrency` at a time, in that order. */
  constructor(
    private readonly paths: readonly string[],
    order: readonly number[],
    private readonly concurrency: number,
  ) {
    for (const index of order) {
      const digest = this.whenFree(() => this.digest(index));
      // handled now, so a failure while the command awaits another dump is not an unhandled rejection
      digest.catch(() => {});
      this.pending.set(index, digest);
    }
  }

  /** The digest of dump `index`, handed out once. */
  take(index: number): Promise<DumpDigest> {
    const digest = this.pending.get(index);
    if (digest === undefined) throw new RangeError(`dump ${index} was not requested or was already taken`);
    this.pending.delete(index);
    return digest;
  }

  /** Terminates the workers (any still parsing included). */
  async close(): Promise<void> {
    this.closed = true;
    this.pending.clear();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private async whenFree(run: () => Promise<DumpDigest>): Promise<DumpDigest> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await run();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private async digest(index: number): Promise<DumpDigest> {
    const file = await inspectDumpFile(this.paths[index]);
    // gzip files are read ahead by a worker of the loader's; this one parses plain files only
    if (this.onThisThread && !file.gzip) return this.digestInWorker(index, file.sizeBytes);
    this.onThisThread = true;
    try {
      return await loadDumpDigest(this.paths[index], { label: seriesLabel(this.paths, index) });
    } finally {
      this.onThisThread = false;
      collectGarbage();
    }
  }

  private async digestInWorker(index: number, sizeBytes: number): Promise<DumpDigest> {
    const path = this.paths[index];
    const progress = progressLine(process.stderr, seriesLabel(this.paths, index), sizeBytes);
    const worker = this.idle.pop() ?? (await this.startWorker());
    try {
      return await new Promise<DumpDigest>((resolve, reject) => {
        const onMessage = (message: DigestWorkerMessage): void => {
          if ('progress' in message) {
            progress.onProgress?.(message.progress);
            return;
          }
          worker.off('message', onMessage);
          worker.off('error', reject);
          worker.off('exit', onExit);
          if ('digest' in message) resolve(message.digest);
          else reject(errorFromWorker(path, message.error));
        };
        const onExit = (code: number): void => reject(new DigestWorkerError(`the worker parsing ${path} stopped (exit code ${code})`));
        worker.on('message', onMessage);
        worker.once('error', reject);
        worker.once('exit', onExit);
        worker.postMessage({ path } satisfies DigestJob);
      });
    } finally {
      progress.done();
      if (!this.closed) this.idle.push(worker);
    }
  }

  private async startWorker(): Promise<Worker> {
    const worker = await startWorker(DIGEST_WORKER, null);
    // an error while idle ends the worker; the next job then fails on its 'exit'
    worker.on('error', () => {});
    this.workers.push(worker);
    if (this.closed) void worker.terminate();
    return worker;
  }
}
