/**
 * Downloads one URL into a DownloadSink, chunk by chunk, resuming with an
 * HTTP Range request after a dropped connection.
 *
 * How a resume works: after a network error, or a body that ended before the
 * announced length, the next request asks `Range: bytes=<received>-` with
 * `If-Range: <ETag or Last-Modified>` of the first response. A 206 whose
 * Content-Range starts at `<received>` continues the file; a 200 means the
 * server ignored the range or the file changed, so the sink is truncated and
 * the download starts over. Up to `maxRetries` drops in a row are retried with
 * growing delays; any bytes received reset the count.
 *
 * Gzip transfer: the browser (and Node's fetch) sends `Accept-Encoding: gzip`
 * itself and decodes transparently, so the sink always gets the file's own
 * bytes; the total then comes from `expectedTotalBytes` (the dump list's size)
 * because Content-Length counts the compressed bytes.
 *
 * Nothing is held in memory beyond the chunk being written (one reused
 * buffer, see body-chunks.ts).
 */
import { forEachBodyChunk } from './body-chunks.ts';
import { RateMeter } from './rate-meter.ts';
import type { DownloadSink } from './download-sink.ts';

export type DownloadState = 'connecting' | 'receiving' | 'retrying' | 'done';

export interface DownloadProgress {
  state: DownloadState;
  receivedBytes: number;
  /** null when neither the server nor the caller knows the size */
  totalBytes: number | null;
  bytesPerSecond: number;
  /** connections that dropped and were resumed so far */
  resumeCount: number;
  /** whether the last response was gzip-encoded on the wire */
  gzipTransfer: boolean;
}

export interface ResumableDownloadOptions {
  url: string;
  headers?: Record<string, string>;
  sink: DownloadSink;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** the file's size when known beforehand (e.g. from the agent's dump list) */
  expectedTotalBytes?: number | null;
  maxRetries?: number;
  /** first retry delay; doubles per consecutive failure */
  retryDelayMs?: number;
  /** at most this often, progress is reported */
  progressIntervalMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface DownloadResult {
  receivedBytes: number;
  resumeCount: number;
  gzipTransfer: boolean;
  durationMs: number;
}

export class DownloadAbortedError extends Error {
  override readonly name = 'DownloadAbortedError';
  constructor() {
    super('the download was cancelled');
  }
}

/** An HTTP answer that retrying will not fix (404, 401, ...). */
export class DownloadHttpError extends Error {
  override readonly name = 'DownloadHttpError';
  constructor(
    readonly status: number,
    readonly response: Response,
  ) {
    super(`the server answered HTTP ${status}`);
  }
}

export class DownloadFailedError extends Error {
  override readonly name = 'DownloadFailedError';
  constructor(
    message: string,
    readonly receivedBytes: number,
  ) {
    super(message);
  }
}

/** Parses `bytes START-END/TOTAL` (TOTAL may be `*`). */
export function parseContentRange(header: string | null): { start: number; end: number; total: number | null } | null {
  const match = header ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim()) : null;
  if (!match) return null;
  return { start: Number(match[1]), end: Number(match[2]), total: match[3] === '*' ? null : Number(match[3]) };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function downloadWithResume(options: ResumableDownloadOptions): Promise<DownloadResult> {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? (() => performance.now());
  const maxRetries = options.maxRetries ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const progressIntervalMs = options.progressIntervalMs ?? 100;
  const { sink, signal } = options;
  const meter = new RateMeter();
  const startedAtMs = now();
  let receivedBytes = 0;
  let totalBytes: number | null = options.expectedTotalBytes ?? null;
  let validator: string | null = null;
  let resumeCount = 0;
  let failuresInARow = 0;
  let gzipTransfer = false;
  let lastReportMs = -Infinity;

  const report = (state: DownloadState, force = false) => {
    const t = now();
    if (!force && t - lastReportMs < progressIntervalMs) return;
    lastReportMs = t;
    options.onProgress?.({ state, receivedBytes, totalBytes, bytesPerSecond: meter.bytesPerSecond(), resumeCount, gzipTransfer });
  };

  const abortIfCancelled = async () => {
    if (!signal?.aborted) return;
    await sink.abort();
    throw new DownloadAbortedError();
  };

  for (;;) {
    await abortIfCancelled();
    report(receivedBytes === 0 ? 'connecting' : 'retrying', true);
    const headers: Record<string, string> = { ...options.headers };
    if (receivedBytes > 0) {
      headers.range = `bytes=${receivedBytes}-`;
      if (validator) headers['if-range'] = validator;
    }
    let finishedBody = false;
    try {
      // no-store: a dump must not fill the HTTP cache too, and a half-cached copy would make the browser send its own Range requests
      const response = await fetchImpl(options.url, { headers, signal, cache: 'no-store' });
      if (response.status === 416 && totalBytes !== null && receivedBytes === totalBytes) {
        finishedBody = true;
      } else if (!response.ok || !response.body) {
        await sink.abort();
        throw new DownloadHttpError(response.status, response);
      } else {
        gzipTransfer = (response.headers.get('content-encoding') ?? '').includes('gzip');
        validator ??= response.headers.get('etag') ?? response.headers.get('last-modified');
        if (response.status === 206) {
          const range = parseContentRange(response.headers.get('content-range'));
          if (!range || range.start !== receivedBytes) {
            await response.body.cancel();
            throw new DownloadFailedError(`the server resumed at the wrong place (${response.headers.get('content-range') ?? 'no Content-Range'})`, receivedBytes);
          }
          if (range.total !== null) totalBytes = range.total;
        } else {
          // 200: a fresh copy of the whole file (first request, or the server would not resume)
          if (receivedBytes > 0) await sink.truncate(0);
          receivedBytes = 0;
          const length = Number(response.headers.get('content-length'));
          if (!gzipTransfer && Number.isFinite(length) && length > 0) totalBytes = length;
        }
        await forEachBodyChunk(response.body, async (chunk) => {
          await sink.write(receivedBytes, chunk);
          receivedBytes += chunk.byteLength;
          failuresInARow = 0;
          meter.record(now(), receivedBytes);
          report('receiving');
        });
        finishedBody = totalBytes === null || receivedBytes >= totalBytes;
      }
    } catch (error) {
      if (error instanceof DownloadHttpError || signal?.aborted) {
        await abortIfCancelled();
        throw error;
      }
      if (error instanceof DownloadFailedError) {
        await sink.abort();
        throw error;
      }
      // a dropped connection: fall through to a resume
    }
    if (finishedBody) {
      await sink.close();
      report('done', true);
      return { receivedBytes, resumeCount, gzipTransfer, durationMs: now() - startedAtMs };
    }
    failuresInARow += 1;
    if (failuresInARow > maxRetries) {
      await sink.abort();
      throw new DownloadFailedError(`the connection dropped ${failuresInARow} times in a row; ${receivedBytes} bytes were received`, receivedBytes);
    }
    resumeCount += 1;
    report('retrying', true);
    await sleep(retryDelayMs * 2 ** (failuresInARow - 1), signal);
  }
}
