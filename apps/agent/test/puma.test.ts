/**
 * A real Puma in cluster mode (Debian's ruby and puma packages, installed by
 * .ci/run): a tiny Rack app with 2 workers on a free loopback port. The agent
 * must find the master and both workers with their roles, RSS and PSS. The
 * test stops only the process group it started.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProcessDetailResponse, ProcessesResponse } from '@leakpilot/shared/api/agent-api.ts';
import { getJson, spawnChild, tempDir, testAgent, waitFor, type Child } from './helpers.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

let puma: Child | null = null;
afterAll(async () => {
  await puma?.stop();
});

describe('a real Puma cluster', () => {
  it('finds the master and each worker with roles, RSS and PSS', async () => {
    const appDir = tempDir('leakpilot-puma-');
    const tag = basename(appDir);
    writeFileSync(join(appDir, 'config.ru'), 'run ->(env) { [200, { "content-type" => "text/plain" }, ["ok"]] }\n');
    const port = await freePort();
    puma = spawnChild('puma', ['-w', '2', '-t', '1:1', '-b', `tcp://127.0.0.1:${port}`, 'config.ru'], { cwd: appDir });
    const agent = testAgent(['--match', tag]);
    const rows = await waitFor('Puma master and 2 workers', async () => {
      const { body } = await getJson<ProcessesResponse>(agent, '/api/v1/processes');
      const workers = body.processes.filter((p) => p.role.kind === 'puma-worker');
      return workers.length === 2 && body.processes.length === 3 ? body.processes : null;
    }, 60_000);

    const master = rows.find((p) => p.role.kind === 'puma-master');
    expect(master?.pid).toBe(puma.pid);
    expect(master?.cmdline).toMatch(new RegExp(`^puma \\d+\\.\\d+\\.\\d+ \\(tcp://127\\.0\\.0\\.1:${port}\\) \\[${tag}\\]$`));
    const workers = rows.filter((p) => p.role.kind === 'puma-worker');
    expect(workers.map((w) => w.role).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { kind: 'puma-worker', workerIndex: 0 },
      { kind: 'puma-worker', workerIndex: 1 },
    ]);
    for (const worker of workers) {
      expect(worker.ppid).toBe(puma.pid);
      expect(worker.rssBytes).toBeGreaterThan(5 * 1024 * 1024);
      // Forked workers share pages with the master, so PSS is below RSS.
      expect(worker.pssBytes).not.toBeNull();
      expect(worker.pssBytes ?? Infinity).toBeLessThan(worker.rssBytes);
      expect(worker.sharedBytes ?? 0).toBeGreaterThan(0);
    }
    // Sorted by RSS, largest first.
    expect(rows.map((r) => r.rssBytes)).toEqual([...rows.map((r) => r.rssBytes)].sort((a, b) => b - a));
    // The master holds the listening socket.
    expect(master?.socketCount ?? 0).toBeGreaterThan(0);

    const detail = await getJson<ProcessDetailResponse>(agent, `/api/v1/processes/${workers[0].pid}`);
    expect(detail.body.process.role).toEqual(workers[0].role);
    const masterDetail = await getJson<ProcessDetailResponse>(agent, `/api/v1/processes/${puma.pid}`);
    expect(masterDetail.body.process.role).toEqual({ kind: 'puma-master' });
    expect(masterDetail.body.process.fds?.sockets ?? 0).toBeGreaterThan(0);
  });
});
