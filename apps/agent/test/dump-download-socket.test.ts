/**
 * Dump downloads from a real listening agent over real sockets, where the
 * server sends the file itself instead of reading the app's web stream
 * (src/http/send-file-body.ts): the same status, headers (including those
 * set by CORS and secure-headers middleware) and bytes as the app answers
 * through `app.request()`, Range, gzip, a file that shrinks under a download,
 * and the download slot given back when a client stalls or goes away.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DumpsResponse } from '@leakpilot/shared/api/agent-api.ts';
import { parseAgentArgs } from '../src/config.ts';
import { startAgent, type RunningAgent } from '../src/server.ts';
import { NO_DOCKER, getJson, tempDir, testAgent, waitFor, type TestAgent } from './helpers.ts';

const FIXTURE = new URL('../../../fixtures/rails-series-a/heap_dump_signal_24329_1795948963.json.gz', import.meta.url);
const PLAIN_NAME = 'heap_dump_signal_24329_1795948963.json';
const SHRINKING_NAME = 'heap_dump_signal_3_1795949000.json';
const STALLED_NAME = 'heap_dump_signal_4_1795949000.json';
const STALLED_BYTES = 128 << 20;
const ORIGIN = 'https://leakpilot.example';
/** Headers node:http adds to every response, which `app.request()` has no reason to. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive']);

let dir: string;
let plain: Buffer;
let running: RunningAgent;
let inProcess: TestAgent;

function args(): string[] {
  return ['--dumps', `${dir}/heap_dump_signal_*.json`, '--allow-origin', ORIGIN, '--max-downloads', '2', ...NO_DOCKER];
}

async function socketIdOf(name: string): Promise<string> {
  const listing = (await (await fetch(`${running.url}/api/v1/dumps`)).json()) as DumpsResponse;
  const found = listing.dumps.find((d) => d.name === name);
  if (found === undefined) throw new Error(`${name} not listed`);
  return found.id;
}

function request(path: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get(`${running.url}${path}`, { headers }, resolve).on('error', reject);
  });
}

function bodyOf(res: IncomingMessage): Promise<{ bytes: Buffer; complete: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A body cut short ends in an "aborted" error; `complete` tells it apart.
    res.on('error', () => undefined);
    res.on('close', () => resolve({ bytes: Buffer.concat(chunks), complete: res.complete }));
  });
}

function withoutTransport(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !TRANSPORT_HEADERS.has(name)).map(([name, value]) => [name, String(value)]));
}

beforeAll(async () => {
  dir = tempDir();
  plain = gunzipSync(readFileSync(FIXTURE));
  writeFileSync(join(dir, PLAIN_NAME), plain);
  running = await startAgent(parseAgentArgs(['--port', '0', ...args()], {}));
  inProcess = testAgent(args());
});

afterAll(async () => {
  await running?.close();
});

describe('dump downloads over a real socket', () => {
  it('sends the exact bytes with the same status and headers as the app, middleware headers included', async () => {
    const res = await request(`/api/v1/dumps/${await socketIdOf(PLAIN_NAME)}`, { Origin: ORIGIN });
    const { bytes, complete } = await bodyOf(res);
    expect(res.statusCode).toBe(200);
    expect(complete).toBe(true);
    expect(bytes.equals(plain)).toBe(true);

    const { body } = await getJson<DumpsResponse>(inProcess, '/api/v1/dumps');
    const appId = body.dumps.find((d) => d.name === PLAIN_NAME)?.id;
    const viaApp = await inProcess.app.request(`/api/v1/dumps/${appId}`, { headers: { Origin: ORIGIN } });
    await viaApp.body?.cancel();
    expect(withoutTransport(res.headers)).toEqual(Object.fromEntries(viaApp.headers.entries()));
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-length']).toBe(String(plain.length));
  });

  it('resumes with Range and If-Range, and answers 304 and 416 without a body', async () => {
    const path = `/api/v1/dumps/${await socketIdOf(PLAIN_NAME)}`;
    const first = await request(path, { Range: 'bytes=0-99999' });
    expect(first.statusCode).toBe(206);
    expect(first.headers['content-range']).toBe(`bytes 0-99999/${plain.length}`);
    const head = (await bodyOf(first)).bytes;
    const rest = await request(path, { Range: 'bytes=100000-', 'If-Range': String(first.headers.etag) });
    expect(rest.statusCode).toBe(206);
    expect(Buffer.concat([head, (await bodyOf(rest)).bytes]).equals(plain)).toBe(true);
    const suffix = await request(path, { Range: 'bytes=-50' });
    expect((await bodyOf(suffix)).bytes.equals(plain.subarray(plain.length - 50))).toBe(true);
    const unchanged = await request(path, { 'If-None-Match': String(first.headers.etag) });
    expect(unchanged.statusCode).toBe(304);
    expect((await bodyOf(unchanged)).bytes.length).toBe(0);
    const beyond = await request(path, { Range: `bytes=${plain.length}-` });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${plain.length}`);
    await bodyOf(beyond);
    expect(running.deps.downloads.active).toBe(0);
  });

  it('gzips on the fly, and the gunzipped bytes are the file', async () => {
    const res = await request(`/api/v1/dumps/${await socketIdOf(PLAIN_NAME)}`, { 'Accept-Encoding': 'gzip', Origin: ORIGIN });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    const { bytes, complete } = await bodyOf(res);
    expect(complete).toBe(true);
    expect(gunzipSync(bytes).equals(plain)).toBe(true);
  });

  it('holds the slot while a client stalls, and frees it when the client goes away, plain or gzipped', async () => {
    // Incompressible and larger than what loopback socket buffers absorb (autotuned up
    // to tens of MB here), even gzipped: the server cannot finish while the client stalls.
    const path = join(dir, STALLED_NAME);
    writeFileSync(path, randomBytes(STALLED_BYTES));
    try {
      const url = `/api/v1/dumps/${await socketIdOf(STALLED_NAME)}`;
      for (const headers of [{}, { 'Accept-Encoding': 'gzip' }] as Record<string, string>[]) {
        const res = await request(url, headers);
        await new Promise<void>((resolve) => res.once('data', () => resolve()));
        res.pause();
        // Backpressure: a stalled client keeps the download (and its slot) open rather than buffered away.
        await new Promise((r) => setTimeout(r, 300));
        expect(running.deps.downloads.active).toBe(1);
        res.destroy();
        await waitFor('the slot back', () => (running.deps.downloads.active === 0 ? true : null), 5000);
      }
    } finally {
      unlinkSync(path);
    }
  });

  it('cuts the response short, never padding it, when the file shrinks under a download', async () => {
    const path = join(dir, SHRINKING_NAME);
    writeFileSync(path, Buffer.concat(Array.from({ length: 3 }, () => plain)));
    const res = await request(`/api/v1/dumps/${await socketIdOf(SHRINKING_NAME)}`);
    await new Promise<void>((resolve) => res.once('data', () => resolve()));
    res.pause();
    truncateSync(path, 1000);
    const body = bodyOf(res);
    res.resume();
    const { bytes, complete } = await body;
    expect(complete).toBe(false);
    expect(bytes.length).toBeLessThan(3 * plain.length);
    await waitFor('the slot back', () => (running.deps.downloads.active === 0 ? true : null), 5000);
  });
});
