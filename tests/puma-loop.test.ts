/**
 * The whole loop on a real Puma: the project's leaky Rack app (tests/ruby-app)
 * runs in Puma cluster mode with LeakPilot's Ruby integration; the test sends
 * a bounded number of requests, signals ONE worker with USR2 after each of
 * three traffic phases, and checks the three dumps: written atomically, one
 * HEAP_DUMP log line each, the master untouched, and the planted leaks counted
 * exactly at their allocation sites.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveUntilServed, finishedDumps, getOnce, signalDumpAndWait, type PumaCluster } from './helpers/puma-cluster.ts';
import { runPumaSeries, startRubyApp } from './helpers/puma-series.ts';
import { startAgent, type RunningAgent } from './helpers/agent-process.ts';
import { findSuspects, parseHeapDump, type DumpsResponse, type HeapDump, type ProcessesResponse } from '@leakpilot/shared';
import { indexDump, newInSecondRetainedInThird } from './helpers/puma-dump-sites.ts';
import {
  expectedNewInDump2RetainedInDump3,
  leakSites,
  RUBY_APP_FILE,
  RUBY_INTEGRATION_DIR,
  PLANTED_LEAKS,
} from './helpers/puma-ruby-app.ts';

const WORKER_COUNT = 2;

/**
 * The agent's dump listing once `count` dumps are listed and none is marked
 * `writing` (the agent also calls a file "writing" for ~2 s after its last
 * change, since it cannot know every app renames atomically). Bounded: 30 s.
 */
async function settledDumps(origin: string, count: number): Promise<DumpsResponse> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const listing = (await (await fetch(`${origin}/api/v1/dumps`)).json()) as DumpsResponse;
    if (listing.dumps.length >= count && listing.dumps.every((dump) => !dump.writing)) return listing;
    if (Date.now() > deadline) return listing;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('Puma cluster with the LeakPilot Ruby integration', () => {
  let workDir = '';
  let cluster: PumaCluster | undefined;
  let targetPid = 0;
  let dumpPaths: string[] = [];
  let sentTotal = 0;
  let agent: RunningAgent | undefined;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'leakpilot-puma-loop-'));
    ({ cluster, targetPid, dumpPaths, sentTotal } = await runPumaSeries({ workDir, workerCount: WORKER_COUNT }));
    // only this test's cluster: its master by port, its workers by their master's pid
    const match = `127\\.0\\.0\\.1:${cluster.port}\\)|cluster worker \\d+: ${cluster.masterPid} `;
    agent = await startAgent({ dumpsDir: workDir, webDir: workDir, extraArgs: ['--match', match] });
  });

  afterAll(async () => {
    await agent?.stop();
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

  it('the agent lists the Puma master and both workers with their roles, and the three dumps of worker 0', async () => {
    const processes = (await (await fetch(`${agent!.origin}/api/v1/processes`)).json()) as ProcessesResponse;
    const roles = processes.processes.map((row) => ({ pid: row.pid, ppid: row.ppid, role: row.role })).sort((a, b) => a.pid - b.pid);
    const expected = [
      { pid: cluster!.masterPid, ppid: process.pid, role: { kind: 'puma-master' } },
      ...cluster!.workerPids.map((pid, workerIndex) => ({ pid, ppid: cluster!.masterPid, role: { kind: 'puma-worker', workerIndex } })),
    ].sort((a, b) => a.pid - b.pid);
    expect(roles).toEqual(expected);

    const listing = await settledDumps(agent!.origin, dumpPaths.length);
    const dumps = [...listing.dumps].sort((a, b) => (a.dumpedAtMs ?? 0) - (b.dumpedAtMs ?? 0));
    expect(dumps.map((dump) => ({ name: dump.name, pid: dump.pid, sizeBytes: dump.sizeBytes, writing: dump.writing }))).toEqual(
      dumpPaths.map((path) => ({ name: basename(path), pid: targetPid, sizeBytes: statSync(path).size, writing: false })),
    );
    dumps.forEach((dump) => expect(dump.dumpedAtMs).toBe(Number(/_(\d{13})\.json$/.exec(dump.name)?.[1])));
  });

  it("the engine's suspects on the dumps downloaded from the agent name each planted leak with its exact count and sites", async () => {
    const listing = await settledDumps(agent!.origin, dumpPaths.length);
    const ids = [...listing.dumps].sort((a, b) => (a.dumpedAtMs ?? 0) - (b.dumpedAtMs ?? 0)).map((dump) => dump.id);
    const parsed: HeapDump[] = [];
    for (const [index, id] of ids.entries()) {
      const response = await fetch(`${agent!.origin}/api/v1/dumps/${encodeURIComponent(id)}`);
      expect(response.status).toBe(200);
      const dump = await parseHeapDump(response.body as ReadableStream<Uint8Array>);
      expect(dump.stats.byteCount).toBe(statSync(dumpPaths[index] as string).size);
      parsed.push(dump);
    }
    const [first, second, third] = parsed as [HeapDump, HeapDump, HeapDump];
    const report = findSuspects(first, second, third);

    const sites = leakSites();
    for (const leak of PLANTED_LEAKS) {
      const expectedRows = sites
        .filter((site) => site.endpoint === leak.endpoint)
        .map((site) => ({ type: site.type, className: site.className, location: `${RUBY_APP_FILE}:${site.line}`, count: expectedNewInDump2RetainedInDump3(site) }))
        .sort((a, b) => a.location.localeCompare(b.location));
      const suspect = report.suspects.find((candidate) => candidate.holder.parentClassName === leak.holderParent);
      expect(suspect, `a suspect for leak (${leak.id}): ${leak.what}`).toBeDefined();
      const rows = suspect!.allocations
        .map((row) => ({ type: row.type, className: row.className, location: row.location, count: row.count }))
        .sort((a, b) => a.location.localeCompare(b.location));
      expect({ leak: leak.id, count: suspect!.count, rows }).toEqual({
        leak: leak.id,
        count: expectedRows.reduce((total, row) => total + row.count, 0),
        rows: expectedRows,
      });
    }
    const healthSite = sites.find((site) => site.endpoint === 'health')!;
    const healthLocation = `${RUBY_APP_FILE}:${healthSite.line}`;
    expect(report.suspects.filter((suspect) => suspect.locations.includes(healthLocation))).toEqual([]);
    const ownSites = report.suspects.flatMap((suspect) => suspect.locations).filter((location) => location.startsWith(RUBY_INTEGRATION_DIR));
    expect(ownSites, "LeakPilot's dump handler leaves none of its own objects among the retained").toEqual([]);
  });

  it('rake memory:snapshot lists the master and both workers, and memory:heap_dump refuses the master', () => {
    const rakefile = join(RUBY_INTEGRATION_DIR, 'lib', 'tasks', 'leak_pilot.rake');
    const snapshot = spawnSync('rake', ['-f', rakefile, 'memory:snapshot'], { encoding: 'utf8' });
    expect(snapshot.status, snapshot.stderr).toBe(0);
    const roleByPid = new Map(
      snapshot.stdout.split('\n').map((line) => line.trim().split(/\s+/)).map(([role, pid]) => [Number(pid), role]),
    );
    expect(roleByPid.get(cluster!.masterPid)).toBe('master');
    for (const pid of cluster!.workerPids) expect(roleByPid.get(pid)).toBe('worker');
    const refused = spawnSync('rake', ['-f', rakefile, `memory:heap_dump[${cluster!.masterPid}]`], {
      encoding: 'utf8',
      env: { ...process.env, LEAKPILOT_DUMP_DIR: workDir },
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(`${cluster!.masterPid} is a Puma master`);
  });

  it('counts each planted leak exactly: objects allocated between dump 1 and 2 and alive in dump 3, per site', async () => {
    const [first, second, third] = await Promise.all(dumpPaths.map((path) => indexDump(path)));
    const countBySite = newInSecondRetainedInThird(first!, second!, third!);
    const measured = leakSites().map((site) => ({ id: site.id, count: countBySite.get(`${RUBY_APP_FILE}:${site.line}`) ?? 0 }));
    const expected = leakSites().map((site) => ({ id: site.id, count: expectedNewInDump2RetainedInDump3(site) }));
    expect(measured).toEqual(expected);
    const ownSites = [...countBySite.keys()].filter((site) => site.startsWith(RUBY_INTEGRATION_DIR));
    expect(ownSites).toEqual([]);
  });

  it('steers requests to one worker by pausing the others (when the kernel starves it) and resumes them after', async () => {
    const state = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    const [other] = cluster!.workerPids.filter((pid) => pid !== targetPid);
    const steered = await driveUntilServed(cluster!.port, (n) => `/health?n=${n}`, targetPid, 4, 900_000, { otherWorkerPids: [other], pauseOthersAfterRequests: 0 });
    expect(steered).toEqual({ servedByTarget: 4, sent: 4 });
    expect(state(other)).not.toBe('T');
    // the paused worker is back: it serves again (the target is paused in turn)
    const back = await driveUntilServed(cluster!.port, (n) => `/health?n=${n}`, other, 2, 900_100, { otherWorkerPids: [targetPid], pauseOthersAfterRequests: 0 });
    expect(back).toEqual({ servedByTarget: 2, sent: 2 });
    expect(state(targetPid)).not.toBe('T');
  });
});

describe('Puma cluster without preload_app!', () => {
  let workDir = '';
  let cluster: PumaCluster | undefined;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'leakpilot-puma-nopreload-'));
    cluster = await startRubyApp(workDir, 1, { PUMA_PRELOAD: 'false', HIGH_MEMORY_MB: '1', HIGH_MEMORY_INTERVAL_SECONDS: '0.2' });
  });

  afterAll(async () => {
    await cluster?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('dumps the worker on USR2, while USR2 to the master stays a hot restart whose new worker dumps too', async () => {
    const firstWorker = cluster!.workerPids[0] as number;
    await signalDumpAndWait(firstWorker, workDir);

    process.kill(cluster!.masterPid, 'SIGUSR2');
    let newWorker = 0;
    for (let waitedMs = 0; waitedMs < 60_000 && newWorker === 0; waitedMs += 200) {
      const booted = [...cluster!.log().matchAll(/Worker 0 \(PID: (\d+)\) booted/g)].map((match) => Number(match[1]));
      newWorker = booted.find((pid) => pid !== firstWorker) ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(newWorker).not.toBe(0);
    expect(finishedDumps(workDir, cluster!.masterPid)).toEqual([]);
    await signalDumpAndWait(newWorker, workDir);
    expect(finishedDumps(workDir, newWorker)).toHaveLength(1);
  });

  it('logs HIGH_MEMORY lines from each worker above HIGH_MEMORY_MB, with the RSS /proc reports', async () => {
    const worker = cluster!.workerPids[0] as number;
    await expect.poll(() => cluster!.log().includes(`HIGH_MEMORY pid=${worker} `), { timeout: 10_000 }).toBe(true);
    const line = cluster!.log().split('\n').find((text) => text.startsWith(`HIGH_MEMORY pid=${worker} `)) as string;
    const match = /^HIGH_MEMORY pid=\d+ rss_mb=(\d+\.\d) threshold_mb=1\.0$/.exec(line);
    expect(match, line).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(5);
    expect(cluster!.log()).not.toContain(`HIGH_MEMORY pid=${cluster!.masterPid} `);
  });
});

describe('Puma single mode (no workers: Puma itself owns USR2)', () => {
  let workDir = '';
  let cluster: PumaCluster | undefined;

  afterAll(async () => {
    await cluster?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("leaves Puma's USR2 alone and dumps on LEAKPILOT_DUMP_SIGNAL=TTIN instead", async () => {
    workDir = mkdtempSync(join(tmpdir(), 'leakpilot-puma-single-'));
    cluster = await startRubyApp(workDir, 0, { PUMA_PRELOAD: 'false', LEAKPILOT_DUMP_SIGNAL: 'TTIN' });
    const pid = cluster.masterPid;
    expect((await getOnce(cluster.port, '/events?n=1')).workerPid).toBe(pid);
    expect(cluster.log()).toContain(`LEAKPILOT pid=${pid} message="kill -TTIN ${pid} writes a heap dump`);
    expect(cluster.log()).not.toContain('kill -USR2');
    const before = finishedDumps(workDir, pid).length;
    process.kill(pid, 'SIGTTIN');
    await expect.poll(() => finishedDumps(workDir, pid).length, { timeout: 30_000 }).toBe(before + 1);
  });
});
