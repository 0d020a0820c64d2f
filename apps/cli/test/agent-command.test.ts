/**
 * `leakpilot agent` through the real bin (bin/leakpilot.mjs -> main ->
 * commands/agent.ts): it listens, answers, and stops on SIGTERM with status 0.
 * The child runs in its own process group and only that group is signalled.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../bin/leakpilot.mjs', import.meta.url).pathname;

describe('leakpilot agent', () => {
  it('prints its options for --help', async () => {
    const child = spawn(process.execPath, [BIN, 'agent', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(out).toContain('--dumps GLOB');
    expect(out).toContain('--allow-origin URL');
  });

  it('serves the API on the port it picked and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'agent', '--port', '0', '--docker-socket', '/nonexistent/docker.sock'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match !== null) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`agent exited early with ${code}`)));
      });
      const res = await fetch(`${url}/api/v1/host`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { apiVersion: number }).apiVersion).toBe(1);
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('exits 2 with a readable message for a bad flag', async () => {
    const child = spawn(process.execPath, [BIN, 'agent', '--dumps', 'relative/*.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(2);
    expect(err).toContain('dump glob must be an absolute path');
  });
});
