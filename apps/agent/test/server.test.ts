/**
 * The agent as it runs: a real listening server on a free loopback port,
 * spoken to over real sockets (raw HTTP for methods fetch cannot send, SSE
 * over HTTP), and the single-file build run with plain `node` from a folder
 * without node_modules.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostResponse } from '@leakpilot/shared/api/agent-api.ts';
import { parseAgentArgs } from '../src/config.ts';
import { startAgent, type RunningAgent } from '../src/server.ts';
import { NO_DOCKER, spawnChild, tempDir, type Child } from './helpers.ts';

const REPO = new URL('../../../', import.meta.url).pathname;

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (chunk) => (out += chunk.toString()));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
  });
}

describe('a listening agent', () => {
  let running: RunningAgent;
  beforeAll(async () => {
    running = await startAgent(parseAgentArgs(['--port', '0', '--interval', '0.1', ...NO_DOCKER], {}));
  });
  afterAll(async () => {
    await running.close();
  });

  it('answers over loopback on the port it picked', async () => {
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
    const res = await fetch(`${running.url}/api/v1/host`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as HostResponse).history.intervalMs).toBe(100);
  });

  it('answers TRACE and CONNECT with 405 too', async () => {
    const trace = await rawRequest(running.port, `TRACE /api/v1/host HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(trace).toMatch(/^HTTP\/1\.1 405 /);
    const tunnel = await rawRequest(running.port, `CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n`);
    expect(tunnel).toMatch(/^HTTP\/1\.1 405 /);
    expect(tunnel).toContain('"code":"method_not_allowed"');
  });

  it('streams samples taken by its own timer as server-sent events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${running.url}/api/v1/history/stream`, { signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while ((text.match(/^event: sample$/gm) ?? []).length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const times = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(times[1]).toBeGreaterThan(times[0]);
  });
});

describe('the single-file build', () => {
  let child: Child | null = null;
  afterAll(async () => {
    await child?.stop();
  });

  it('runs with plain node from a folder without node_modules', async () => {
    const built = join(tempDir(), 'leakpilot-agent.mjs');
    execFileSync(process.execPath, [join(REPO, 'scripts/build-agent.mjs'), built], { stdio: 'pipe' });
    const bare = tempDir('leakpilot-bare-');
    copyFileSync(built, join(bare, 'leakpilot-agent.mjs'));
    child = spawnChild(process.execPath, [join(bare, 'leakpilot-agent.mjs'), '--port', '0', ...NO_DOCKER], { cwd: bare, env: { PATH: process.env.PATH } });
    const line = await child.ready;
    const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/api/v1/host`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as HostResponse).agentVersion).toBe('0.1.0');
    expect((await fetch(`${url}/api/v1/host`, { method: 'DELETE' })).status).toBe(405);
  });
});
