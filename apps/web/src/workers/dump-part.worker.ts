/**
 * A dump part worker: scans one byte range of a plain dump file for the
 * engine worker (parallel-parse.ts) and posts the ScanPart back, its buffers
 * transferred. Short-lived: one request, then the engine worker terminates
 * it (also on failure and when the parse is cancelled). It reads the range
 * from the Blob itself, so no byte of the file passes through the engine
 * worker.
 */
import { scanHeapDumpPart, transferablesOf } from '@leakpilot/shared/parse/parse-parts.ts';
import { partErrorInfo, type DumpPartReply, type DumpPartRequest } from './dump-part-protocol.ts';
import { countingStream, Throttle, type RangeReadCount } from './range-progress.ts';

/** The part of DedicatedWorkerGlobalScope used here (the app's tsconfig has the DOM lib, not WebWorker). */
interface PartWorkerScope {
  postMessage(message: DumpPartReply, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<DumpPartRequest>) => void, options: { once: boolean }): void;
}

const scope = self as unknown as PartWorkerScope;

function reply(message: DumpPartReply, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

async function scanRange(request: DumpPartRequest): Promise<void> {
  reply({ kind: 'started' });
  let latest: RangeReadCount = { bytesRead: 0, linesRead: 0 };
  const throttle = new Throttle(() => reply({ kind: 'progress', count: { ...latest } }));
  const stream = countingStream(request.blob.slice(request.streamStart).stream() as ReadableStream<Uint8Array>, (count) => {
    latest = count;
    throttle.tick();
  });
  try {
    const part = await scanHeapDumpPart(stream, request.cut, {
      expectedBytes: request.rangeBytes,
      references: request.references,
      stringPrefixBytes: request.stringPrefixBytes,
    });
    reply({ kind: 'done', part }, transferablesOf(part));
  } catch (error) {
    reply({ kind: 'failed', error: partErrorInfo(error) });
  }
}

scope.addEventListener('message', (event: MessageEvent<DumpPartRequest>) => void scanRange(event.data), { once: true });
