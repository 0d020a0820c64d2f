/**
 * The agent's security properties, each tried the way an attacker would:
 * no token off loopback, writes of every method, dump ids that try to name a
 * path, a symlink out of the dump folder, a file that stops matching its
 * glob, a Range past the end, DNS rebinding, and CORS for unknown origins.
 */
import { renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DumpsResponse } from '@leakpilot/shared/api/agent-api.ts';
import { parseAgentArgs } from '../src/config.ts';
import { runAgentCli, startAgent } from '../src/server.ts';
import { getJson, NO_DOCKER, tempDir, testAgent } from './helpers.ts';

const TOKEN = 'test-token-0123456789abcdef';

describe('token', () => {
  const agent = testAgent(['--host', '0.0.0.0', '--token', TOKEN]);

  it('refuses a request without the token off loopback', async () => {
    const res = await agent.app.request('/api/v1/host');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect((await agent.app.request('/metrics')).status).toBe(401);
  });

  it('refuses a wrong token, including one that is a prefix of the right one', async () => {
    for (const given of ['wrong', TOKEN.slice(0, -1), `${TOKEN}x`, '']) {
      const res = await agent.app.request('/api/v1/host', { headers: { Authorization: `Bearer ${given}` } });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(TOKEN);
    }
  });

  it('accepts the token as a bearer header or as access_token for EventSource and links', async () => {
    expect((await agent.app.request('/api/v1/host', { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await agent.app.request(`/api/v1/host?access_token=${TOKEN}`)).status).toBe(200);
  });

  it('generates a token when none is given off loopback, and refuses to start without one', async () => {
    const config = parseAgentArgs(['--host', '0.0.0.0', ...NO_DOCKER], {});
    expect(config.tokenGenerated).toBe(true);
    expect(config.token?.length).toBeGreaterThanOrEqual(32);
    await expect(startAgent({ ...config, token: null })).rejects.toThrow(/without a token/);
    expect(parseAgentArgs(['--host', '127.0.0.1'], {}).token).toBeNull();
  });

  it('never prints a token it was given', async () => {
    let out = '';
    const io = {
      env: { LEAKPILOT_AGENT_TOKEN: TOKEN },
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (out += t) },
      stopSignal: Promise.resolve(),
    };
    expect(await runAgentCli(['--host', '127.0.0.1', '--port', '0', ...NO_DOCKER], io)).toBe(0);
    expect(out).toContain('listening on http://127.0.0.1:');
    expect(out).not.toContain(TOKEN);
  });
});

describe('read-only', () => {
  const agent = testAgent([]);

  it('answers 405 to every method but GET and HEAD, on existing and unknown paths', async () => {
    // TRACE and CONNECT cannot be built as a fetch Request; server.test.ts sends them over a socket.
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'MKCOL']) {
      for (const path of ['/api/v1/host', '/api/v1/dumps/abc', '/nope', '/metrics']) {
        const res = await agent.app.request(path, { method });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, HEAD');
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
      }
    }
  });
});

describe('dump ids', () => {
  function dumpAgent(): { dir: string; agent: ReturnType<typeof testAgent> } {
    const dir = tempDir();
    writeFileSync(join(dir, 'heap_dump_signal_1_1795948963.json'), '{"type":"ROOT"}\n');
    return { dir, agent: testAgent(['--dumps', `${dir}/heap_dump_signal_*.json`]) };
  }

  it('refuses ids that try .., absolute paths or encoded slashes', async () => {
    const { dir, agent } = dumpAgent();
    await agent.app.request('/api/v1/dumps');
    const attempts = [
      '..',
      '%2e%2e',
      '..%2F..%2Fetc%2Fpasswd',
      '%2Fetc%2Fpasswd',
      encodeURIComponent(`${dir}/heap_dump_signal_1_1795948963.json`),
      'heap_dump_signal_1_1795948963.json',
      Buffer.from('/etc/passwd').toString('base64url'),
      Buffer.from(`${dir}/heap_dump_signal_1_1795948963.json`).toString('base64url').slice(0, 22),
      '..%5c..%5cetc%5cpasswd',
      '%252e%252e%252fetc%252fpasswd',
    ];
    for (const attempt of attempts) {
      const res = await agent.app.request(`/api/v1/dumps/${attempt}`);
      expect([400, 404], attempt).toContain(res.status);
      expect(await res.text()).not.toContain('ROOT');
    }
    const traversal = await agent.app.request('/api/v1/dumps/../../../etc/passwd');
    expect(traversal.status).toBe(404);
    expect(await traversal.text()).not.toContain('root:');
  });

  it('never lists or serves a symlink that points out of the dump folder', async () => {
    const { dir, agent } = dumpAgent();
    const outside = join(tempDir(), 'secret');
    writeFileSync(outside, 'secret bytes');
    symlinkSync(outside, join(dir, 'heap_dump_signal_2_1795948963.json'));
    const { body } = await getJson<DumpsResponse>(agent, '/api/v1/dumps');
    expect(body.dumps.map((d) => d.name)).toEqual(['heap_dump_signal_1_1795948963.json']);
    // A listed file swapped for such a symlink after listing is refused too.
    const id = body.dumps[0].id;
    unlinkSync(join(dir, 'heap_dump_signal_1_1795948963.json'));
    symlinkSync(outside, join(dir, 'heap_dump_signal_1_1795948963.json'));
    const res = await agent.app.request(`/api/v1/dumps/${id}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('secret bytes');
  });

  it('stops serving a file that no longer matches the glob', async () => {
    const { dir, agent } = dumpAgent();
    const { body } = await getJson<DumpsResponse>(agent, '/api/v1/dumps');
    const id = body.dumps[0].id;
    expect((await agent.app.request(`/api/v1/dumps/${id}`)).status).toBe(200);
    renameSync(join(dir, 'heap_dump_signal_1_1795948963.json'), join(dir, 'heap_dump_signal_1_1795948963.json.bak'));
    const res = await agent.app.request(`/api/v1/dumps/${id}`);
    expect(res.status).toBe(404);
    expect((await getJson<DumpsResponse>(agent, '/api/v1/dumps')).body.dumps).toEqual([]);
  });

  it('answers 416 with the size to a Range beyond the end', async () => {
    const { agent } = dumpAgent();
    const { body } = await getJson<DumpsResponse>(agent, '/api/v1/dumps');
    const res = await agent.app.request(`/api/v1/dumps/${body.dumps[0].id}`, { headers: { Range: 'bytes=16-' } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */16');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('range_not_satisfiable');
    expect(agent.deps.downloads.active).toBe(0);
  });
});

describe('browser-facing guards', () => {
  const agent = testAgent(['--allow-origin', 'https://leakpilot.example']);

  it('refuses a Host that is not a loopback name on a loopback agent (DNS rebinding)', async () => {
    const res = await agent.app.request('http://evil.example:7373/api/v1/host', { headers: { Host: 'evil.example:7373' } });
    expect(res.status).toBe(403);
    expect((await agent.app.request('http://127.0.0.1:7373/api/v1/host')).status).toBe(200);
  });

  it('answers a Private Network Access preflight only for an allowed origin', async () => {
    const preflight = {
      Origin: 'https://leakpilot.example',
      'Access-Control-Request-Method': 'GET',
      'Access-Control-Request-Headers': 'authorization',
      'Access-Control-Request-Private-Network': 'true',
    };
    const ok = await agent.app.request('/api/v1/host', { method: 'OPTIONS', headers: preflight });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://leakpilot.example');
    expect(ok.headers.get('access-control-allow-private-network')).toBe('true');
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
    const denied = await agent.app.request('/api/v1/host', { method: 'OPTIONS', headers: { ...preflight, Origin: 'https://evil.example' } });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    expect(denied.headers.get('access-control-allow-private-network')).toBeNull();
  });

  it('adds CORS headers for allowed origins only, and secure headers always', async () => {
    const allowed = await agent.app.request('/api/v1/host', { headers: { Origin: 'https://leakpilot.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://leakpilot.example');
    const other = await agent.app.request('/api/v1/host', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('x-content-type-options')).toBe('nosniff');
    expect(other.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(other.headers.get('cache-control')).toBe('no-store');
  });
});
