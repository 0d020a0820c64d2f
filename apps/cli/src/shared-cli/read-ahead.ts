/**
 * A dump file as a byte stream read ahead on a worker thread (see
 * read-ahead.worker.ts): file reads and, for .gz files, decompression run in
 * parallel with parsing, and the parser's thread receives buffers that are
 * already in memory. This is how the CLI loads dumps by default; the bench
 * compares it with reading on the parser's own thread. The worker runs the
 * entry bundled by esbuild (worker-bundle.ts), so it starts without loading
 * TypeScript through tsx; the parser awaits its first message anyway.
 */
import { TruncatedInputError } from '@leakpilot/shared';
import type { ReadAheadMessage, ReadAheadWorkerData } from './read-ahead.worker.ts';
import { startWorker, type WorkerEntry } from './worker-bundle.ts';

const READ_AHEAD_WORKER: WorkerEntry = {
  name: 'read-ahead-worker',
  source: new URL('./read-ahead.worker.ts', import.meta.url),
  fallback: new URL('./read-ahead-worker.mjs', import.meta.url),
};

const CHUNK_BYTES = 4 << 20;
const MAX_CHUNKS_IN_FLIGHT = 8;

export class ReadAheadError extends Error {
  override readonly name = 'ReadAheadError';
}

export function readAheadStream(path: string): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      const workerData: ReadAheadWorkerData = { path, chunkBytes: CHUNK_BYTES, maxChunksInFlight: MAX_CHUNKS_IN_FLIGHT };
      const queue: ReadAheadMessage[] = [];
      let waiting: ((message: ReadAheadMessage) => void) | null = null;
      const deliver = (message: ReadAheadMessage): void => {
        if (waiting === null) queue.push(message);
        else {
          const resolve = waiting;
          waiting = null;
          resolve(message);
        }
      };
      const started = startWorker(READ_AHEAD_WORKER, workerData).then((worker) => {
        worker.on('message', deliver);
        worker.on('error', (error: Error) => deliver({ kind: 'error', message: error.message }));
        return worker;
      });
      // a worker that could not start is reported by the next `next()`
      started.catch((error: unknown) => deliver({ kind: 'error', message: error instanceof Error ? error.message : String(error) }));
      const terminate = async (): Promise<void> => {
        await started.then(
          (worker) => worker.terminate(),
          () => undefined,
        );
      };
      const nextMessage = (): Promise<ReadAheadMessage> => {
        const queued = queue.shift();
        return queued !== undefined ? Promise.resolve(queued) : new Promise((resolve) => (waiting = resolve));
      };
      const finish = async (): Promise<IteratorResult<Uint8Array>> => {
        await terminate();
        return { done: true, value: undefined };
      };
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          const message = await nextMessage();
          if (message.kind === 'chunk') {
            void started.then((worker) => worker.postMessage('ack'));
            return { done: false, value: message.bytes };
          }
          await terminate();
          if (message.kind === 'error') throw new ReadAheadError(`reading ${path} failed: ${message.message}`);
          // The parser keeps what came before and reports the cut as a problem.
          if (message.kind === 'truncated') throw new TruncatedInputError(message.message);
          return { done: true, value: undefined };
        },
        return: finish,
        async throw(error: unknown): Promise<IteratorResult<Uint8Array>> {
          await terminate();
          throw error;
        },
      };
    },
  };
}
