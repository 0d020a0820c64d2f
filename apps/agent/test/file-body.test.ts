/**
 * Who owns a dump download's file (src/http/file-body.ts): the web stream
 * when something reads it (app.request, any non-Node runtime), or the Node
 * server once it claims the body; never both, and a body that nobody will
 * send still gives its file handle and download slot back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { claimFileBody, fileBody } from '../src/http/file-body.ts';
import { tempDir, waitFor } from './helpers.ts';

const FIXTURE = new URL('../../../fixtures/rails-series-a/heap_dump_signal_24329_1795948963.json.gz', import.meta.url);

async function openedDump(): Promise<{ bytes: Buffer; release: { count: number }; body: ReadableStream<Uint8Array>; request: Request }> {
  const bytes = gunzipSync(readFileSync(FIXTURE)).subarray(0, 3 << 20);
  const path = join(tempDir(), 'heap_dump_signal_1_1795949000.json');
  writeFileSync(path, bytes);
  const handle = await open(path, 'r');
  const release = { count: 0 };
  const request = new Request('http://127.0.0.1/api/v1/dumps/x');
  const body = fileBody(request, handle, { start: 0, endInclusive: bytes.length - 1, gzip: false, onClose: () => (release.count += 1) });
  return { bytes, release, body, request };
}

describe('file body ownership', () => {
  it('streams the file when nothing claims it, and a later claim finds nothing', async () => {
    const { bytes, release, body, request } = await openedDump();
    const response = new Response(body);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    expect(claimFileBody(request, response)).toBeNull();
    await waitFor('the slot back', () => (release.count === 1 ? true : null), 5000);
  });

  it('hands the file to the server once, after which the web stream cannot be read', async () => {
    const { release, body, request } = await openedDump();
    const response = new Response(body);
    const source = claimFileBody(request, response);
    expect(source?.endInclusive).toBe((3 << 20) - 1);
    expect(claimFileBody(request, response)).toBeNull();
    await expect(response.arrayBuffer()).rejects.toThrow();
    expect(release.count).toBe(0);
    await source?.handle.close();
  });

  it('gives the slot back when the response no longer carries the offered body', async () => {
    const { release, request } = await openedDump();
    expect(claimFileBody(request, new Response('{"error":{}}'))).toBeNull();
    await waitFor('the slot back', () => (release.count === 1 ? true : null), 5000);
  });
});
