/**
 * The agent against real /proc: real child processes with a known memory
 * footprint and known numbers of sockets and files, read back through the
 * HTTP API.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProcessDetailResponse, ProcessesResponse, HostResponse } from '@leakpilot/shared/api/agent-api.ts';
import { LinuxProcSource } from '../src/sources/proc/proc-source.ts';
import { getJson, marker, spawnChild, tempDir, testAgent, type Child } from './helpers.ts';

const MiB = 1024 * 1024;

// Allocates ALLOC_MIB of touched memory (Buffer.alloc fills it), opens SOCKETS
// listening sockets and FILES regular files, then creates DIR/ready.
const HOLDER = `
const [allocMib, sockets, files, dir] = process.argv.slice(-4);
const net = require('node:net'); const fs = require('node:fs');
globalThis.kept = Buffer.alloc(Number(allocMib) * 1024 * 1024, 7);
const servers = [];
let pending = Number(sockets);
for (let i = 0; i < Number(files); i++) fs.openSync(dir + '/held-' + i, 'w');
const done = () => { fs.writeFileSync(dir + '/ready', ''); setInterval(() => {}, 1 << 30); };
if (pending === 0) done();
for (let i = 0; i < Number(sockets); i++) {
  const s = net.createServer(); servers.push(s);
  s.listen(0, '127.0.0.1', () => { if (--pending === 0) done(); });
}
`;

const children: Child[] = [];
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
});

function holder(tag: string, allocMib: number, sockets: number, files: number): Child {
  const dir = tempDir();
  const child = spawnChild(process.execPath, ['-e', HOLDER, tag, String(allocMib), String(sockets), String(files), dir], {
    readyFile: join(dir, 'ready'),
  });
  children.push(child);
  return child;
}

describe('real processes through /api/v1/processes', () => {
  it('reports RSS that grows by the amount a child allocated, within 10%', async () => {
    const tag = marker('rss');
    const small = holder(tag, 0, 0, 0);
    const big = holder(tag, 256, 0, 0);
    await Promise.all([small.ready, big.ready]);
    const agent = testAgent(['--match', tag]);
    const { status, body } = await getJson<ProcessesResponse>(agent, `/api/v1/processes?match=${encodeURIComponent(tag)}`);
    expect(status).toBe(200);
    expect(body.processes.map((p) => p.pid)).toEqual([big.pid, small.pid]);
    const [bigRow, smallRow] = body.processes;
    const grownBytes = bigRow.rssBytes - smallRow.rssBytes;
    expect(grownBytes).toBeGreaterThan(256 * MiB * 0.9);
    expect(grownBytes).toBeLessThan(256 * MiB * 1.1);
    // The RSS the agent reports is the kernel's VmRSS of that moment.
    const statusText = readFileSync(`/proc/${big.pid}/status`, 'utf8');
    const vmRssBytes = Number(/VmRSS:\s+(\d+) kB/.exec(statusText)?.[1]) * 1024;
    expect(Math.abs(bigRow.rssBytes - vmRssBytes)).toBeLessThan(8 * MiB);
    expect(bigRow.peakRssBytes).toBeGreaterThanOrEqual(bigRow.rssBytes);
    // The buffer is private to the child, so PSS and private bytes carry it too.
    expect(bigRow.pssBytes).toBeGreaterThan(256 * MiB * 0.9);
    expect(bigRow.privateBytes).toBeGreaterThan(256 * MiB * 0.9);
    expect(bigRow.cmdline).toContain(tag);
    expect(bigRow.comm).toBe('node');
    expect(bigRow.ppid).toBe(process.pid);
    expect(bigRow.role).toEqual({ kind: 'other' });
    expect(bigRow.containerId).toBeNull();
    expect(Math.abs(bigRow.startedAtMs - Date.now())).toBeLessThan(120_000);
  });

  it('counts exactly the sockets and regular files a child holds', async () => {
    const tag = marker('fds');
    const child = holder(tag, 0, 5, 7);
    await child.ready;
    const agent = testAgent(['--match', tag]);
    const list = await getJson<ProcessesResponse>(agent, '/api/v1/processes');
    expect(list.body.processes).toHaveLength(1);
    expect(list.body.processes[0].socketCount).toBe(5);
    const detail = await getJson<ProcessDetailResponse>(agent, `/api/v1/processes/${child.pid}`);
    expect(detail.status).toBe(200);
    const fds = detail.body.process.fds;
    expect(fds?.sockets).toBe(5);
    expect(fds?.regularFiles).toBe(7);
    expect(fds?.pipes).toBeGreaterThan(0);
    expect(fds?.total).toBe(readdirSync(`/proc/${child.pid}/fd`).length);
    expect(detail.body.process.fdCount).toBe(fds?.total);
    expect(detail.body.process.uid).toBe(process.getuid?.());
  });

  it('answers 404 process_gone for a pid that exited', async () => {
    const child = holder(marker('gone'), 0, 0, 0);
    await child.ready;
    await child.stop();
    const agent = testAgent([]);
    const { status, body } = await getJson<{ error: { code: string; message: string } }>(agent, `/api/v1/processes/${child.pid}`);
    expect(status).toBe(404);
    expect(body.error.code).toBe('process_gone');
    expect(body.error.message).toContain(String(child.pid));
  });

  it('refuses a pid that is not a number and a match that is not a regular expression', async () => {
    const agent = testAgent([]);
    expect((await agent.app.request('/api/v1/processes/abc')).status).toBe(400);
    const bad = await getJson<{ error: { code: string } }>(agent, `/api/v1/processes?match=${encodeURIComponent('(')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
  });
});

describe('smaps_rollup readings', () => {
  it('are reused in lists up to 10 s old, read afresh for a detail, and skipped at depth rss', async () => {
    const tag = marker('smaps');
    const child = holder(tag, 0, 0, 0);
    await child.ready;
    let nowMs = 1_000_000;
    const proc = new LinuxProcSource({ now: () => nowMs });
    const match = new RegExp(tag);
    expect(proc.list(match)[0].smapsReadAtMs).toBe(1_000_000);
    nowMs += 9_000;
    expect(proc.list(match)[0].smapsReadAtMs).toBe(1_000_000);
    nowMs += 2_000;
    expect(proc.list(match)[0].smapsReadAtMs).toBe(1_011_000);
    nowMs += 1_000;
    expect(proc.detail(child.pid).smapsReadAtMs).toBe(1_012_000);
    expect(proc.list(match)[0].smapsReadAtMs).toBe(1_012_000);
    const light = proc.list(match, 'rss')[0];
    expect(light).toMatchObject({ pssBytes: null, smapsReadAtMs: null, fdCount: null, socketCount: null });
    expect(light.rssBytes).toBeGreaterThan(0);
  });
});

describe('/api/v1/host', () => {
  it('reports the memory of /proc/meminfo and the machine facts', async () => {
    const agent = testAgent([]);
    const { body } = await getJson<HostResponse>(agent, '/api/v1/host');
    const memTotalKb = Number(/MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    expect(body.memory.totalBytes).toBe(memTotalKb * 1024);
    expect(body.memory.usedBytes).toBe(body.memory.totalBytes - body.memory.availableBytes);
    expect(body.kernel).toBe(readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim());
    expect(body.cpuCount).toBeGreaterThan(0);
    expect(body.uptimeSeconds).toBeGreaterThan(0);
    expect(body.sources.proc).toBe(true);
    expect(body.sources.docker.available).toBe(false);
    expect(body.sources.docker.reason).toContain('no Docker socket');
    expect(body.history.memoryBoundBytes).toBeGreaterThan(0);
  });
});
