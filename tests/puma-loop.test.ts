/**
 * The whole loop on a real Puma: the project's leaky Rack app (tests/ruby-app)
 * runs in Puma cluster mode with LeakPilot's Ruby integration; the test sends
 * a bounded number of requests, signals ONE worker with USR2 after each of
 * three traffic phases, and checks the three dumps: written atomically, one
 * HEAP_DUMP log line each, the master untouched, and the planted leaks counted
 * exactly at their allocation sites.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  driveUntilServed,
  finishedDumps,
  signalDumpAndWait,
  startPumaCluster,
  type PumaCluster,
} from './helpers/puma-cluster.ts';
import { indexDump, newInSecondRetainedInThird } from './helpers/puma-dump-sites.ts';
import {
  expectedNewInDump2RetainedInDump3,
  leakSites,
  RUBY_APP_DIR,
  RUBY_APP_FILE,
  TRAFFIC_PLAN,
  type Endpoint,
} from './helpers/puma-ruby-app.ts';

const WORKER_COUNT = 2;

describe('Puma cluster with the LeakPilot Ruby integration', () => {
  let workDir = '';
  let cluster: PumaCluster | undefined;
  let targetPid = 0;
  let dumpPaths: string[] = [];
  let sentTotal = 0;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'leakpilot-puma-loop-'));
    cluster = await startPumaCluster({
      appDir: RUBY_APP_DIR,
      configFile: 'puma.rb',
      workerCount: WORKER_COUNT,
      workDir,
      env: { ENABLE_MEMORY_DEBUGGING: 'true', LEAKPILOT_DUMP_DIR: workDir, PUMA_THREADS: '2' },
    });
    targetPid = cluster.workerPids[0] as number;
    let sequence = 1;
    for (const { served } of TRAFFIC_PLAN) {
      for (const endpoint of Object.keys(served) as Endpoint[]) {
        const result = await driveUntilServed(cluster.port, (n) => `/${endpoint}?n=${n}`, targetPid, served[endpoint], sequence);
        sequence += result.sent;
        sentTotal += result.sent;
      }
      dumpPaths.push(await signalDumpAndWait(targetPid, workDir));
    }
  });

  afterAll(async () => {
    await cluster?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('writes exactly three finished dumps, all of the signalled worker, and leaves no .tmp file', () => {
    expect(dumpPaths).toHaveLength(3);
    expect(finishedDumps(workDir, targetPid)).toEqual(dumpPaths);
    const names = readdirSync(workDir);
    expect(names.filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(names.filter((name) => name.startsWith('heap_dump_signal_'))).toHaveLength(3);
  });

  it('logs one HEAP_DUMP line per dump with its path and exact byte size', () => {
    const lines = cluster!.log().split('\n').filter((line) => line.startsWith('HEAP_DUMP '));
    expect(lines).toHaveLength(3);
    dumpPaths.forEach((path, index) => {
      const line = lines[index] as string;
      expect(line).toContain(`pid=${targetPid} path=${path} bytes=${statSync(path).size} `);
      expect(line).toMatch(/ seconds=\d+\.\d{3} gc_count=\d+$/);
    });
  });

  it('never traps USR2 in the master: no hot restart happened and the workers kept their pids', () => {
    const log = cluster!.log();
    expect(log).toContain(`LEAKPILOT pid=${cluster!.masterPid} message="not trapping USR2 in this process (puma_master)`);
    expect(log).not.toMatch(/Restarting|phase: 1/);
    for (const pid of [cluster!.masterPid, ...cluster!.workerPids]) expect(() => process.kill(pid, 0)).not.toThrow();
    expect(sentTotal).toBeGreaterThan(0);
  });

  it('counts each planted leak exactly: objects allocated between dump 1 and 2 and alive in dump 3, per site', async () => {
    const [first, second, third] = await Promise.all(dumpPaths.map((path) => indexDump(path)));
    const countBySite = newInSecondRetainedInThird(first!, second!, third!);
    const measured = leakSites().map((site) => ({ id: site.id, count: countBySite.get(`${RUBY_APP_FILE}:${site.line}`) ?? 0 }));
    const expected = leakSites().map((site) => ({ id: site.id, count: expectedNewInDump2RetainedInDump3(site) }));
    expect(measured).toEqual(expected);
  });
});
