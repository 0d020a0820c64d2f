/**
 * Runs the real agent as a child process for browser tests:
 * `node apps/cli/bin/leakpilot.mjs agent --port <free> --dumps <glob> --web <dist>`,
 * waits until /api/v1/host answers, and stops only the process group it
 * started. A folder of real fixture dumps is laid out with the names Ruby's
 * USR2 handler writes (heap_dump_signal_<pid>_<unixtime>.json.gz).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from './puma-cluster.ts';
import { REPO_ROOT } from './web-build.ts';

export interface RunningAgent {
  origin: string;
  port: number;
  dumpsDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Copies rails-series-a's three dumps (already named like USR2 dumps) into a fresh temp folder. */
export function layOutRailsSeries(): string {
  const dumpsDir = mkdtempSync(join(tmpdir(), 'leakpilot-web-dumps-'));
  const series = join(REPO_ROOT, 'fixtures/rails-series-a');
  for (const name of readdirSync(series).filter((file) => file.startsWith('heap_dump_signal_')).sort()) {
    copyFileSync(join(series, name), join(dumpsDir, name));
  }
  return dumpsDir;
}

export async function startAgent(options: { dumpsDir: string; webDir: string; extraArgs?: string[] }): Promise<RunningAgent> {
  const port = await freeLoopbackPort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'apps/cli/bin/leakpilot.mjs'),
      'agent',
      '--port',
      String(port),
      '--dumps',
      join(options.dumpsDir, 'heap_dump_signal_*.json*'),
      '--web',
      options.webDir,
      ...(options.extraArgs ?? []),
    ],
    { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the agent exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${origin}/api/v1/host`);
      // 401: listening, with a token the probe does not send
      if (response.ok || response.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(-(child.pid as number), 'SIGTERM');
      throw new Error(`the agent did not answer on ${origin} within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    origin,
    port,
    dumpsDir: options.dumpsDir,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-(child.pid as number), 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) process.kill(-(child.pid as number), 'SIGKILL');
    },
  };
}
