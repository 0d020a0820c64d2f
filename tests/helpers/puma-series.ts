/**
 * The dump series of the end-to-end tests: boots tests/ruby-app under a Puma
 * cluster with the Ruby integration, runs the TRAFFIC_PLAN so that worker 0
 * serves exactly the planned requests, and signals worker 0 after each phase.
 * Puma keeps running afterwards (the agent and the UI look at it); the caller
 * stops it with `cluster.stop()`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { driveUntilServed, signalDumpAndWait, startPumaCluster, type PumaCluster } from './puma-cluster.ts';
import { RUBY_APP_DIR, TRAFFIC_PLAN, type Endpoint } from './puma-ruby-app.ts';

export interface PumaSeries {
  cluster: PumaCluster;
  /** the worker that was dumped (worker 0) */
  targetPid: number;
  /** dump 1, 2, 3 */
  dumpPaths: string[];
  /** requests sent over all workers */
  sentTotal: number;
}

/** The worker logs HEAP_DUMP just after the rename that makes the .json appear; wait for it (bounded: 10 s). */
async function waitForLogLine(cluster: PumaCluster, text: string): Promise<void> {
  for (let waitedMs = 0; !cluster.log().includes(text); waitedMs += 50) {
    if (waitedMs > 10_000) throw new Error(`no "${text}" in Puma's log after 10 s`);
    await sleep(50);
  }
}

/** tests/ruby-app under Puma with the integration on, dumping into workDir; `env` adds or overrides settings. */
export function startRubyApp(workDir: string, workerCount: number, env: Record<string, string> = {}): Promise<PumaCluster> {
  return startPumaCluster({
    appDir: RUBY_APP_DIR,
    configFile: 'puma.rb',
    workerCount,
    workDir,
    env: { ENABLE_MEMORY_DEBUGGING: 'true', LEAKPILOT_DUMP_DIR: workDir, PUMA_THREADS: '2', ...env },
  });
}

export async function runPumaSeries(options: { workDir: string; workerCount: number }): Promise<PumaSeries> {
  const cluster = await startRubyApp(options.workDir, options.workerCount);
  try {
    const targetPid = cluster.workerPids[0] as number;
    const otherWorkerPids = cluster.workerPids.filter((pid): pid is number => pid !== undefined && pid !== targetPid);
    const dumpPaths: string[] = [];
    let sequence = 1;
    let sentTotal = 0;
    for (const { served } of TRAFFIC_PLAN) {
      for (const endpoint of Object.keys(served) as Endpoint[]) {
        const result = await driveUntilServed(cluster.port, (n) => `/${endpoint}?n=${n}`, targetPid, served[endpoint], sequence, { otherWorkerPids });
        sequence += result.sent;
        sentTotal += result.sent;
      }
      const dumpPath = await signalDumpAndWait(targetPid, options.workDir);
      await waitForLogLine(cluster, `HEAP_DUMP pid=${targetPid} path=${dumpPath} `);
      dumpPaths.push(dumpPath);
    }
    return { cluster, targetPid, dumpPaths, sentTotal };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
