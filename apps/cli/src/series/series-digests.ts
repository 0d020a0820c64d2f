/**
 * The DumpDigests of a series (before, after, later) for `diff` and
 * `suspects`, `concurrency` parsed at a time.
 *
 * Each dump is read straight into its digest (parseDumpDigest: ~20 bytes an
 * object, never a HeapDump): on this thread through loadDumpDigest (read
 * ahead by a gunzipping worker for gzip), then the garbage is collected
 * (collect-garbage.ts) before the next; beyond the first, concurrent ones on
 * workers (digest.worker.ts, plain files only) that post back the digest.
 * Which thread parses which dump is fixed (see the constructor), not left to
 * whichever frees up first.
 *
 * What made concurrent parses fit (on the three ~1 GB bench dumps, 3.3 M
 * objects in the largest): two at once peaked at 313-364 MiB while each
 * parse built an identity-only HeapDump (27 bytes an object) and glibc kept
 * the columns a thread freed in its heap; with the digest built row by row,
 * columns that are mappings of their own (shared-cli/column-reserve.ts), the
 * address order taken from the column's runs and `later` parsed on this
 * thread once `before` is used, 255-267 MiB (81-85 bytes an object) in 13
 * runs, against 232-248 MiB one at a time.
 *
 * Digests are handed out once (`use`), in the order the command
 * feeds SeriesDiffBuilder, and forgotten here, so a digest the builder has
 * used can be collected. `close()` terminates the workers (also after a
 * failure, so the process can exit at once). Progress lines and errors are
 * those of the CLI's loader: a file that is not a dump is a
 * NotAHeapDumpFileError naming it.
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
  /** settles when this thread's latest parse is done (failed or not) */
  private thisThreadFree: Promise<unknown> = Promise.resolve();
  /** per dump index: marks its digest used (handed to `use`, which returned) */
  private readonly markUsed = new Map<number, () => void>();
  private closed = false;

  /**
   * Starts digesting the dumps at `order` (indices into `paths`),
   * `concurrency` at a time: the first on this thread, the next
   * `concurrency - 1` (plain files) on workers at once, and the rest on
   * this thread, each once every dump before it in `order` is used and the
   * garbage collected, so no digest the command is done with (nor the
   * memory of its parse) sits beside the next parse. Measured with two on
   * the three bench dumps: `later` given to whichever thread freed up first
   * peaked at 254-334 MiB, `later` on the worker that had parsed `before` at
   * 318-327 MiB, `later` here as soon as `after` was done at 253-323 MiB
   * (the `before` digest still alive in 1 run of 3), and `later` here once
   * `before` was used at 256-263 MiB (8 runs of 8).
   */
  constructor(
    private readonly paths: readonly string[],
    order: readonly number[],
    concurrency: number,
  ) {
    const used = new Map(order.map((index) => [index, new Promise<void>((resolve) => this.markUsed.set(index, resolve))]));
    order.forEach((index, position) => {
      const inWorker = position > 0 && position < concurrency;
      const earlierUsed = position < concurrency ? undefined : Promise.all(order.slice(0, position).map((earlier) => used.get(earlier)));
      const digest = inWorker ? this.digestInWorkerIfPlain(index) : this.digestHereInTurn(index, earlierUsed);
      // handled now, so a failure while the command awaits another dump is not an unhandled rejection
      digest.catch(() => {});
      this.pending.set(index, digest);
    });
  }

  /**
   * Takes the digest of dump `index` and hands it to `use` in a frame of its
   * own, so nothing holds it once `use` returns (awaited in the command's
   * own async function, a digest can stay in that suspended frame through
   * its next await); then marks it used, which lets the dumps queued after
   * it start.
   */
  async use<T>(index: number, use: (digest: DumpDigest) => T): Promise<T> {
    const digest = this.pending.get(index);
    if (digest === undefined) throw new RangeError(`dump ${index} was not requested or was already taken`);
    this.pending.delete(index);
    try {
      return use(await digest);
    } finally {
      this.markUsed.get(index)?.();
    }
  }

  /** Terminates the workers (any still parsing included). */
  async close(): Promise<void> {
    this.closed = true;
    this.pending.clear();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /**
   * On this thread, after the parses queued here before it. With `after`,
   * it joins the queue only once `after` settles: queued at once, it could
   * sit ahead of a dump it waits for (a gzip `before`, which falls back from
   * a worker to this thread).
   */
  private async digestHereInTurn(index: number, after?: Promise<unknown>): Promise<DumpDigest> {
    if (after !== undefined) await after;
    const digest = this.thisThreadFree.then(() => {
      // the digests used before this one go now, not beside its parse
      if (after !== undefined) collectGarbage();
      return this.digestHere(index);
    });
    // settles with no value: holding the digest here would keep it after the command dropped it
    this.thisThreadFree = digest.then(
      () => undefined,
      () => undefined,
    );
    return digest;
  }

  private async digestHere(index: number): Promise<DumpDigest> {
    try {
      return await loadDumpDigest(this.paths[index], { label: seriesLabel(this.paths, index) });
    } finally {
      collectGarbage();
    }
  }

  /** On a worker; a gzip file (which the loader reads ahead with a worker of its own) on this thread in turn. */
  private async digestInWorkerIfPlain(index: number): Promise<DumpDigest> {
    const file = await inspectDumpFile(this.paths[index]);
    return file.gzip ? this.digestHereInTurn(index) : this.digestInWorker(index, file.sizeBytes);
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
