/**
 * Test helpers: an app over real /proc and real temp folders, and real child
 * processes that the test owns and kills (each in its own process group, so
 * only what a test started is ever stopped).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { createApp } from '../src/app.ts';
import { parseAgentArgs } from '../src/config.ts';
import { createDefaultDeps, type AgentDeps, type DepsOverrides } from '../src/deps.ts';

export interface TestAgent {
  app: Hono;
  deps: AgentDeps;
}

/** A socket path where nothing listens: the real Docker client reports "unavailable". */
export const NO_DOCKER = ['--docker-socket', '/nonexistent/leakpilot-test-docker.sock'];

export function tempDir(prefix = 'leakpilot-agent-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function testAgent(argv: string[], overrides: DepsOverrides = {}): TestAgent {
  const deps = createDefaultDeps(parseAgentArgs([...NO_DOCKER, ...argv], {}), overrides);
  return { app: createApp(deps), deps };
}

export async function getJson<T>(agent: TestAgent, path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await agent.app.request(path, init);
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line. */
  ready: Promise<string>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Readiness is this file appearing instead of a stdout line, and stdio is
   * /dev/null: Node's stdio pipes are socketpairs, which would add sockets
   * to a child whose socket count a test asserts.
   */
  readyFile?: string;
}

/** Spawns a detached child (own process group); `stop` kills only that group. */
export function spawnChild(command: string, args: string[], options: SpawnOptions = {}): Child {
  const { readyFile, ...spawnOptions } = options;
  const stdio = readyFile === undefined ? (['ignore', 'pipe', 'pipe'] as const) : 'ignore';
  const proc = spawn(command, args, { stdio: stdio as 'ignore', detached: true, ...spawnOptions });
  const pid = proc.pid;
  if (pid === undefined) throw new Error(`could not spawn ${command}`);
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const ready = new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(out.slice(0, newline));
    });
    proc.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready: ${stderr}`)));
  });
  ready.catch(() => undefined);
  const readyNow = readyFile === undefined ? ready : waitFor(`${command} to write ${readyFile}`, () => (existsSync(readyFile) ? 'ready' : null));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    pid,
    ready: readyNow,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A unique marker to put on a child's command line so `--match` finds only it. */
export function marker(label: string): string {
  return `leakpilot-test-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null> | T | null, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A Node child that does nothing, with `tag` on its command line; ready once it runs. */
export function spawnIdleNode(tag: string): Child {
  const dir = tempDir();
  const script = `require('fs').writeFileSync(process.argv.at(-1) + '/ready', ''); setInterval(() => {}, 1e9)`;
  return spawnChild(process.execPath, ['-e', script, tag, dir], { readyFile: join(dir, 'ready') });
}
