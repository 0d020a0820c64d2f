/**
 * Heap dump listing and downloads against real files: a real Ruby heap dump
 * from fixtures/rails-series-a (gzipped as committed, and gunzipped), real
 * Range/ETag/gzip semantics, the download bound, and dumps found inside
 * another mount namespace through /proc/PID/root (made with `unshare -m`, as
 * root, the way a container's /tmp differs from the host's).
 */
import { copyFileSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DumpsResponse } from '@leakpilot/shared/api/agent-api.ts';
import { getJson, marker, spawnChild, tempDir, testAgent, waitFor, type Child, type TestAgent } from './helpers.ts';

const FIXTURE = new URL('../../../fixtures/rails-series-a/heap_dump_signal_24329_1795948963.json.gz', import.meta.url);
const PLAIN_NAME = 'heap_dump_signal_24329_1795948963.json';

let dir: string;
let plain: Buffer;
let agent: TestAgent;
let listing: DumpsResponse;

function idOf(name: string): string {
  const found = listing.dumps.find((d) => d.name === name);
  if (found === undefined) throw new Error(`${name} not listed`);
  return found.id;
}

async function bytesOf(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

beforeAll(async () => {
  dir = tempDir();
  plain = gunzipSync(readFileSync(FIXTURE));
  writeFileSync(join(dir, PLAIN_NAME), plain);
  copyFileSync(FIXTURE, join(dir, 'heap_dump_signal_24329_1795949024.json.gz'));
  writeFileSync(join(dir, 'heap_dump_signal_24329_1795949061.json.tmp'), plain.subarray(0, 1000));
  writeFileSync(join(dir, 'notes.txt'), 'not a dump');
  writeFileSync(join(dir, 'heap_dump_signal_1_1795949061.json.bak'), 'not matching');
  const old = new Date(Date.now() - 3_600_000);
  utimesSync(join(dir, PLAIN_NAME), old, old);
  agent = testAgent(['--dumps', `${dir}/heap_dump_signal_*.json`, '--match', marker('none'), '--max-downloads', '2']);
  listing = (await getJson<DumpsResponse>(agent, '/api/v1/dumps')).body;
});

describe('/api/v1/dumps', () => {
  it('lists the .json, .json.gz and .json.tmp files of the glob, and nothing else', () => {
    expect(listing.globs).toEqual([`${dir}/heap_dump_signal_*.json`]);
    expect(listing.dumps.map((d) => d.name).sort()).toEqual([
      'heap_dump_signal_24329_1795948963.json',
      'heap_dump_signal_24329_1795949024.json.gz',
      'heap_dump_signal_24329_1795949061.json.tmp',
    ]);
  });

  it('parses pid and time from the name, flags partial files, and gives opaque ids', () => {
    const json = listing.dumps.find((d) => d.name === PLAIN_NAME);
    expect(json).toMatchObject({ pid: 24329, dumpedAtMs: 1795948963000, sizeBytes: plain.length, gzipped: false, writing: false, containerId: null, viaPid: null });
    expect(listing.dumps.find((d) => d.name.endsWith('.gz'))?.gzipped).toBe(true);
    expect(listing.dumps.find((d) => d.name.endsWith('.tmp'))?.writing).toBe(true);
    for (const d of listing.dumps) {
      expect(d.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(d.id, 'base64url').toString('latin1')).not.toContain('heap');
    }
    expect(new Set(listing.dumps.map((d) => d.id)).size).toBe(3);
  });

  it('flags a file whose size changed since the last listing as still being written', async () => {
    const growing = join(dir, 'heap_dump_signal_5_1795949000.json');
    const old = new Date(Date.now() - 3_600_000);
    writeFileSync(growing, 'a');
    utimesSync(growing, old, old);
    const writingOf = async (): Promise<boolean | undefined> =>
      (await getJson<DumpsResponse>(agent, '/api/v1/dumps')).body.dumps.find((d) => d.name.endsWith('_5_1795949000.json'))?.writing;
    expect(await writingOf()).toBe(false);
    writeFileSync(growing, 'ab');
    utimesSync(growing, old, old);
    expect(await writingOf()).toBe(true);
    expect(await writingOf()).toBe(false);
    unlinkSync(growing);
    listing = (await getJson<DumpsResponse>(agent, '/api/v1/dumps')).body;
  });

  it('downloads the exact bytes with validators and Accept-Ranges', async () => {
    const res = await agent.app.request(`/api/v1/dumps/${idOf(PLAIN_NAME)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(plain.length));
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-z-]+"$/);
    expect(res.headers.get('last-modified')).toBe(new Date(listing.dumps.find((d) => d.name === PLAIN_NAME)?.mtimeMs ?? 0).toUTCString());
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${PLAIN_NAME}"`);
    expect((await bytesOf(res)).equals(plain)).toBe(true);
  });

  it('resumes a download with Range and If-Range', async () => {
    const id = idOf(PLAIN_NAME);
    const first = await agent.app.request(`/api/v1/dumps/${id}`, { headers: { Range: 'bytes=0-99999' } });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-99999/${plain.length}`);
    const etag = first.headers.get('etag') ?? '';
    const head = await bytesOf(first);
    const rest = await agent.app.request(`/api/v1/dumps/${id}`, { headers: { Range: 'bytes=100000-', 'If-Range': etag } });
    expect(rest.status).toBe(206);
    expect(Buffer.concat([head, await bytesOf(rest)]).equals(plain)).toBe(true);
    const suffix = await agent.app.request(`/api/v1/dumps/${id}`, { headers: { Range: 'bytes=-50' } });
    expect((await bytesOf(suffix)).equals(plain.subarray(plain.length - 50))).toBe(true);
  });

  it('sends the whole file when If-Range names another version', async () => {
    const res = await agent.app.request(`/api/v1/dumps/${idOf(PLAIN_NAME)}`, { headers: { Range: 'bytes=0-9', 'If-Range': '"stale"' } });
    expect(res.status).toBe(200);
    expect((await bytesOf(res)).length).toBe(plain.length);
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    const id = idOf(PLAIN_NAME);
    const etag = (await agent.app.request(`/api/v1/dumps/${id}`, { method: 'HEAD' })).headers.get('etag') ?? '';
    const res = await agent.app.request(`/api/v1/dumps/${id}`, { headers: { 'If-None-Match': etag } });
    expect(res.status).toBe(304);
  });

  it('gzips on the fly for clients that accept it, and never gzips a ranged or already gzipped file', async () => {
    const res = await agent.app.request(`/api/v1/dumps/${idOf(PLAIN_NAME)}`, { headers: { 'Accept-Encoding': 'gzip, deflate' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('content-length')).toBeNull();
    const gz = await bytesOf(res);
    expect(gz.length).toBeLessThan(plain.length / 3);
    expect(gunzipSync(gz).equals(plain)).toBe(true);
    const ranged = await agent.app.request(`/api/v1/dumps/${idOf(PLAIN_NAME)}`, { headers: { 'Accept-Encoding': 'gzip', Range: 'bytes=0-9' } });
    expect(ranged.headers.get('content-encoding')).toBeNull();
    expect((await bytesOf(ranged)).equals(plain.subarray(0, 10))).toBe(true);
    const stored = await agent.app.request(`/api/v1/dumps/${idOf('heap_dump_signal_24329_1795949024.json.gz')}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(stored.headers.get('content-encoding')).toBeNull();
    expect(stored.headers.get('content-type')).toBe('application/gzip');
    expect((await bytesOf(stored)).equals(readFileSync(FIXTURE))).toBe(true);
  });

  it('names a non-ASCII file with an ASCII fallback and its UTF-8 name', async () => {
    const name = 'heap_dump_signal_7_1795949000-é"x.json';
    writeFileSync(join(dir, name), 'x');
    const fresh = (await getJson<DumpsResponse>(agent, '/api/v1/dumps')).body;
    const id = fresh.dumps.find((d) => d.name === name)?.id;
    const res = await agent.app.request(`/api/v1/dumps/${id}`, { method: 'HEAD' });
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="heap_dump_signal_7_1795949000-__x.json"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    unlinkSync(join(dir, name));
    listing = (await getJson<DumpsResponse>(agent, '/api/v1/dumps')).body;
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await agent.app.request(`/api/v1/dumps/${idOf(PLAIN_NAME)}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(plain.length));
    expect((await bytesOf(res)).length).toBe(0);
    expect(agent.deps.downloads.active).toBe(0);
  });

  it('bounds concurrent downloads and frees a slot when a client goes away', async () => {
    const id = idOf(PLAIN_NAME);
    const a = await agent.app.request(`/api/v1/dumps/${id}`);
    const b = await agent.app.request(`/api/v1/dumps/${id}`);
    const refused = await agent.app.request(`/api/v1/dumps/${id}`);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too_many_downloads');
    await a.body?.cancel();
    await bytesOf(b);
    await waitFor('both slots back', () => (agent.deps.downloads.active === 0 ? true : null), 5000);
    expect((await agent.app.request(`/api/v1/dumps/${id}`, { method: 'HEAD' })).status).toBe(200);
  });
});

describe('dumps inside another mount namespace', () => {
  let child: Child;
  afterAll(async () => {
    await child?.stop();
  });

  it('finds a dump through /proc/PID/root that the host folder does not have, and serves it', async () => {
    const nsDir = tempDir();
    const tag = marker('ns');
    const name = 'heap_dump_signal_77_1795949100.json';
    const script = [
      `mount -t tmpfs tmpfs ${nsDir}`,
      `printf '%s' inside > ${nsDir}/${name}`,
      `ln -s /etc/hostname ${nsDir}/heap_dump_signal_78_1795949100.json`,
      `touch ${nsDir}/ready-inside`,
      `exec -a ${tag} sleep 300`,
    ].join(' && ');
    child = spawnChild('unshare', ['--mount', '--propagation', 'private', 'bash', '-c', script]);
    await waitFor('the namespace child', () => {
      try {
        return readFileSync(`/proc/${child.pid}/cmdline`, 'latin1').startsWith(tag) ? true : null;
      } catch {
        return null;
      }
    });
    const nsAgent = testAgent(['--dumps', `${nsDir}/heap_dump_signal_*.json`, '--match', tag]);
    const { body } = await getJson<DumpsResponse>(nsAgent, '/api/v1/dumps');
    expect(body.dumps.map((d) => d.name)).toEqual([name]);
    expect(body.dumps[0].viaPid).toBe(child.pid);
    const res = await nsAgent.app.request(`/api/v1/dumps/${body.dumps[0].id}`);
    expect(await res.text()).toBe('inside');
  });
});
