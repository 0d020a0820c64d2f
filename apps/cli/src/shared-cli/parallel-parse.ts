/**
 * Parses one uncompressed dump file with several threads. Byte ranges are
 * claimed as the parse goes (range-claims.ts: 1-16 MiB, shrinking as the
 * unclaimed middle does): this thread claims from the front and scans
 * straight into the builder that becomes the dump, while each worker
 * (parse-part.worker.ts) claims from the back and posts one part per range.
 * When the claims meet, the workers' parts are appended in file order and
 * the whole resolved (`finishWithHeldParts`): each worker keeps its parts'
 * references and resolves them itself through the address table this
 * thread builds and shares, while this thread resolves its own.
 *
 * Rejected: fixed halves, one per thread. One thread sat idle while the
 * other finished (this thread done at 2.09 s, the worker at 2.45 s on the
 * 1.1 GB bench dump), and the split needed a guess of the worker's start-up
 * time. Workers run the entry bundled by esbuild (worker-bundle.ts): loading
 * the TypeScript sources through tsx took each one ~0.3-0.5 s of CPU before
 * it scanned a byte. Gzip files cannot be split; callers use the read-ahead
 * parse for them. The bench measures when this pays.
 */
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { finishWithHeldParts, type ResolvePartReferences, type ScanPart, type SlotTableState } from '@leakpilot/shared/parse/parse-parts.ts';
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';
import { inspectDumpFile } from './open-dump.ts';
import { RangeClaims, type ClaimedRange } from './range-claims.ts';
import { scanFrontRanges } from './scan-file-range.ts';
import type { HeldAnswer, ParsePartWorkerData } from './parse-part.worker.ts';
import { startWorker, workerUrl, type WorkerEntry } from './worker-bundle.ts';

export const PARSE_PART_WORKER: WorkerEntry = {
  name: 'parse-part-worker',
  source: new URL('./parse-part.worker.ts', import.meta.url),
  fallback: new URL('./parse-part-worker.mjs', import.meta.url),
};

export class ParallelParseError extends Error {
  override readonly name = 'ParallelParseError';
}

type WorkerReply =
  | { range: ClaimedRange; part: ScanPart }
  | { scanned: true }
  | { resolved: HeldAnswer[]; ordinalsByAddress?: Uint32Array | null }
  | { done: true }
  | { error: { name: string; message: string; lookedLike?: string } };

/** One parsing worker: its parts land in `parts` by the first byte of their range. */
interface PartWorker {
  /** settles when every range is claimed and this worker's parts are posted */
  scanned: Promise<void>;
  /**
   * Sends the address table; answers for the references this worker holds
   * (none once it said `done`), and with `withOrder` the address order.
   */
  resolveHeld(table: SlotTableState | null, withOrder: boolean): Promise<WorkerAnswers>;
  /** stops the worker (a failed parse: a worker holding references would otherwise wait for the table) */
  terminate(): void;
  /** it keeps references, so it waits for the table (known once `scanned` settles) */
  holds(): boolean;
}

interface WorkerAnswers {
  references: HeldAnswer[];
  /** present when asked for */
  ordinalsByAddress?: Uint32Array | null;
}

async function runWorker(data: ParsePartWorkerData, parts: Map<number, WorkerPart>): Promise<PartWorker> {
  const worker = await startWorker(PARSE_PART_WORKER, data);
  let holds = false;
  let scanned!: { resolve: () => void; reject: (error: unknown) => void };
  let resolved: { resolve: (answers: WorkerAnswers) => void; reject: (error: unknown) => void } | null = null;
  const scanning = new Promise<void>((resolve, reject) => (scanned = { resolve, reject }));
  const fail = (error: unknown): void => {
    void worker.terminate();
    scanned.reject(error);
    resolved?.reject(error);
  };
  worker.on('message', (reply: WorkerReply) => {
    if ('part' in reply) parts.set(reply.range.start, reply);
    else if ('scanned' in reply) {
      holds = true;
      scanned.resolve();
    } else if ('done' in reply || 'resolved' in reply) {
      void worker.terminate();
      scanned.resolve();
      resolved?.resolve('resolved' in reply ? { references: reply.resolved, ordinalsByAddress: reply.ordinalsByAddress } : { references: [] });
    } else if (reply.error.name === 'NotAHeapDumpError') fail(new NotAHeapDumpError(reply.error.lookedLike ?? 'not a heap dump', reply.error.message));
    else fail(new ParallelParseError(`a parsing worker failed: ${reply.error.message}`));
  });
  worker.once('error', fail);
  // a worker that failed after its parts were merged must not leave an unhandled rejection
  scanning.catch(() => undefined);
  return {
    scanned: scanning,
    resolveHeld(table, withOrder) {
      if (!holds) return Promise.resolve({ references: [] });
      return new Promise<WorkerAnswers>((resolve, reject) => {
        resolved = { resolve, reject };
        worker.postMessage({ table, withOrder });
      });
    },
    holds: () => holds,
    terminate: () => void worker.terminate(),
  };
}

/** Asks every worker for its held references and lines up the answers with the holding parts (`rangeStarts`: the first byte of each part's range). */
function resolveHeldReferences(workers: PartWorker[], rangeStarts: number[]): ResolvePartReferences {
  return async (table, holdingParts, wantOrder) => {
    // when the order is wanted, one worker that waits for the table reads it from there
    const orderedBy = wantOrder ? workers.findIndex((worker) => worker.holds()) : -1;
    const answers = new Map<number, Uint32Array | Float64Array>();
    let ordinalsByAddress: Uint32Array | null | undefined;
    const workerAnswers = await Promise.all(workers.map((worker, at) => worker.resolveHeld(table, at === orderedBy)));
    for (const { references, ordinalsByAddress: order } of workerAnswers) {
      for (const { rangeStart, answer } of references) answers.set(rangeStart, answer);
      if (order !== undefined) ordinalsByAddress = order;
    }
    const ordered = holdingParts.map((position) => {
      const answer = answers.get(rangeStarts[position]);
      if (answer === undefined) throw new ParallelParseError(`no worker answered for the references of the range at byte ${rangeStarts[position]}`);
      return answer;
    });
    return { references: ordered, ordinalsByAddress };
  };
}

interface WorkerPart {
  range: ClaimedRange;
  part: ScanPart;
}

/** The workers' parts in file order, checked to cover [fromByte, sizeBytes) without a gap. */
function partsInFileOrder(parts: Map<number, WorkerPart>, fromByte: number, sizeBytes: number): WorkerPart[] {
  const ordered = [...parts.values()].sort((a, b) => a.range.start - b.range.start);
  let expectedStart = fromByte;
  for (const { range } of ordered) {
    if (range.start !== expectedStart) throw new ParallelParseError(`bytes ${expectedStart}..${range.start} were not scanned`);
    expectedStart = range.end ?? sizeBytes;
  }
  if (expectedStart !== sizeBytes) throw new ParallelParseError(`bytes ${expectedStart}..${sizeBytes} were not scanned`);
  return ordered;
}

/** This thread plus `threadCount - 1` workers; `rangeBytes` bounds the claimed ranges (for tests). */
export async function parseInParallel(
  path: string,
  threadCount: number,
  options: { references?: boolean; rangeBytes?: { min: number; max: number } } = {},
): Promise<HeapDump> {
  // the bundle is checked (or built) while the file is inspected
  const [file] = await Promise.all([inspectDumpFile(path), workerUrl(PARSE_PART_WORKER)]);
  if (file.gzip) throw new ParallelParseError(`${path} is gzip-compressed: a gzip stream cannot be split into ranges`);
  const references = options.references ?? true;
  const claims = new RangeClaims({ sizeBytes: file.sizeBytes, threadCount, minRangeBytes: options.rangeBytes?.min, maxRangeBytes: options.rangeBytes?.max });
  // the first range is this thread's before any worker can claim it: it holds the file's head, which is sniffed
  const first = claims.claimFront() ?? { start: 0, end: null };
  const workerParts = new Map<number, WorkerPart>();
  const data: ParsePartWorkerData = { path, sizeBytes: file.sizeBytes, references, claims: claims.buffer };
  // workers first, so they start while this thread scans
  const workers = Promise.all(Array.from({ length: threadCount - 1 }, () => runWorker(data, workerParts)));
  const inWorkers = workers.then((started) => Promise.all(started.map((worker) => worker.scanned)));
  try {
    // the worker promises get their handlers now, so a failing worker is never an unhandled rejection
    const [front] = await Promise.all([scanFrontRanges(path, file.sizeBytes, references, first, claims), inWorkers]);
    const ordered = partsInFileOrder(workerParts, front.frontEndByte, file.sizeBytes);
    workerParts.clear();
    const rangeStarts = ordered.map(({ range }) => range.start);
    const parts = ordered.map(({ part }) => part);
    ordered.length = 0;
    return await finishWithHeldParts(front, parts, { references }, resolveHeldReferences(await workers, rangeStarts));
  } catch (error) {
    // the other threads stop: no range left to claim, no table to wait for
    claims.claimAll();
    void workers.then((started) => started.forEach((worker) => worker.terminate()), () => undefined);
    throw error;
  }
}
