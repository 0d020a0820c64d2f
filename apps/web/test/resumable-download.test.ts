// Resumable downloads against a real local HTTP server with Range support,
// writing a real file: dropped connections resume where they stopped, a
// server that ignores Range restarts the file, gzip on the wire still writes
// the file's own bytes, cancel discards the partial file, hard errors are not
// retried. The body is a real heap dump fixture.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  DownloadAbortedError,
  DownloadFailedError,
  DownloadHttpError,
  downloadWithResume,
  parseContentRange,
  type DownloadProgress,
} from '../src/lib/downloads/resumable-download.ts';
import { NodeFileSink } from './helpers/node-file-sink.ts';
import { startRangeFileServer, type RangeFileServer } from './helpers/range-file-server.ts';

const dumpGz = new Uint8Array(readFileSync(new URL('../../../fixtures/rails-series-a/heap_dump_signal_24329_1795948963.json.gz', import.meta.url)));
const dumpJson = new Uint8Array(gunzipSync(readFileSync(new URL('../../../fixtures/ruby-3.3.8/01-baseline.json.gz', import.meta.url))));
const folder = mkdtempSync(join(tmpdir(), 'leakpilot-download-'));
let server: RangeFileServer | null = null;
let fileIndex = 0;

function sinkPath(): string {
  fileIndex += 1;
  return join(folder, `dump-${fileIndex}.bin`);
}

afterEach(async () => {
  await server?.close();
  server = null;
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The byte offsets the download resumed from, in order (its 'retrying' reports). */
function resumeOffsets(progress: DownloadProgress[]): number[] {
  const offsets = progress.filter((p) => p.state === 'retrying').map((p) => p.receivedBytes);
  return offsets.filter((offset, index) => offset !== offsets[index - 1]);
}

describe('downloadWithResume', () => {
  it('resumes after two dropped connections with Range requests and writes a byte-identical file', async () => {
    server = await startRangeFileServer(dumpGz, { drops: [300_000, 700_000] });
    const path = sinkPath();
    const progress: DownloadProgress[] = [];
    const result = await downloadWithResume({ url: server.url, sink: new NodeFileSink(path), retryDelayMs: 10, onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
    expect(result.resumeCount).toBe(2);
    expect(result.receivedBytes).toBe(dumpGz.byteLength);
    // Each resume asks for exactly the bytes written so far. A drop can cost
    // the bytes still in flight (how many depends on timing), so those
    // offsets are read from the progress reports, bounded by the drop points.
    const [firstResume, secondResume] = resumeOffsets(progress);
    expect(server.rangeHeaders).toEqual([null, `bytes=${firstResume}-`, `bytes=${secondResume}-`]);
    expect(firstResume).toBeGreaterThan(0);
    expect(firstResume).toBeLessThanOrEqual(300_000);
    expect(secondResume).toBeGreaterThan(firstResume);
    expect(secondResume).toBeLessThanOrEqual(firstResume + 700_000);
    expect(Buffer.compare(readFileSync(path), Buffer.from(dumpGz))).toBe(0);
    const received = progress.map((p) => p.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ state: 'done', receivedBytes: dumpGz.byteLength, totalBytes: dumpGz.byteLength, resumeCount: 2 });
    expect(progress.some((p) => p.state === 'retrying')).toBe(true);
  });

  it('starts the file over when the server answers a resume with the whole file (200)', async () => {
    server = await startRangeFileServer(dumpGz, { drops: [500_000], ignoreRange: true });
    const path = sinkPath();
    const progress: DownloadProgress[] = [];
    const result = await downloadWithResume({ url: server.url, sink: new NodeFileSink(path), retryDelayMs: 10, onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
    const [resumedAt] = resumeOffsets(progress);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(500_000);
    expect(server.rangeHeaders).toEqual([null, `bytes=${resumedAt}-`]);
    expect(result.receivedBytes).toBe(dumpGz.byteLength);
    expect(Buffer.compare(readFileSync(path), Buffer.from(dumpGz))).toBe(0);
  });

  it('asks for gzip, receives it on the wire and writes the file\'s own bytes', async () => {
    server = await startRangeFileServer(dumpJson, { gzipWhenAccepted: true });
    const path = sinkPath();
    const result = await downloadWithResume({ url: server.url, sink: new NodeFileSink(path), expectedTotalBytes: dumpJson.byteLength });
    expect(server.acceptEncodings[0]).toMatch(/gzip/);
    expect(result.gzipTransfer).toBe(true);
    expect(Buffer.compare(readFileSync(path), Buffer.from(dumpJson))).toBe(0);
  });

  it('sends the caller\'s headers (the agent token) on every request, resumes included', async () => {
    server = await startRangeFileServer(dumpGz, { drops: [100_000] });
    await downloadWithResume({ url: server.url, headers: { authorization: 'Bearer s3cret' }, sink: new NodeFileSink(sinkPath()), retryDelayMs: 10 });
    expect(server.authorizations).toEqual(['Bearer s3cret', 'Bearer s3cret']);
  });

  it('stops on cancel, discards the partial file and says it was cancelled', async () => {
    server = await startRangeFileServer(dumpGz, { drops: [400_000] });
    const path = sinkPath();
    const sink = new NodeFileSink(path);
    const controller = new AbortController();
    const outcome = downloadWithResume({
      url: server.url,
      sink,
      signal: controller.signal,
      retryDelayMs: 60_000,
      onProgress: (p) => {
        if (p.state === 'retrying' && p.receivedBytes > 0) controller.abort();
      },
    });
    await expect(outcome).rejects.toBeInstanceOf(DownloadAbortedError);
    expect(sink.aborted).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it('does not retry an HTTP error such as 404', async () => {
    server = await startRangeFileServer(dumpGz, { failWithStatus: 404 });
    const sink = new NodeFileSink(sinkPath());
    const error = await downloadWithResume({ url: server.url, sink, retryDelayMs: 10 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownloadHttpError);
    expect((error as DownloadHttpError).status).toBe(404);
    expect(server.rangeHeaders.length).toBe(1);
  });

  it('gives up after maxRetries drops with no progress, reporting the bytes received', async () => {
    server = await startRangeFileServer(dumpGz, { drops: [1000, 0, 0, 0, 0] });
    const error = await downloadWithResume({ url: server.url, sink: new NodeFileSink(sinkPath()), retryDelayMs: 1, maxRetries: 3 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownloadFailedError);
    expect((error as DownloadFailedError).receivedBytes).toBe(1000);
    expect(server.rangeHeaders.length).toBe(4);
  });

  it('gives up with a clear error when the agent is not listening', async () => {
    const closed = await startRangeFileServer(dumpGz);
    await closed.close();
    const error = await downloadWithResume({ url: closed.url, sink: new NodeFileSink(sinkPath()), retryDelayMs: 1, maxRetries: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownloadFailedError);
  });
});

describe('parseContentRange', () => {
  it('reads start, end and total, and a total of *', () => {
    expect(parseContentRange('bytes 10-99/100')).toEqual({ start: 10, end: 99, total: 100 });
    expect(parseContentRange('bytes 0-0/*')).toEqual({ start: 0, end: 0, total: null });
    expect(parseContentRange('items 1-2/3')).toBeNull();
    expect(parseContentRange(null)).toBeNull();
  });
});
