/**
 * Drives a real Puma cluster for end-to-end tests: boots `puma -C <config>` in
 * its own process group on a free loopback port, counts requests per worker,
 * signals one worker for a heap dump and waits for the finished `.json`.
 *
 * Invariants:
 * - Puma is spawned `detached`, so its pid is also its process group id, and
 *   `stop()` signals only that group: the processes this helper started, never
 *   anything found by name.
 * - A dump counts as written only when `heap_dump_signal_<pid>_<ms>.json`
 *   exists: the Ruby side renames from `.json.tmp` when the dump is complete.
 * - Every wait is bounded and fails with Puma's log in the message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PumaClusterOptions {
  /** directory holding the Puma config and the rackup file */
  appDir: string;
  /** the Puma config file, relative to appDir */
  configFile: string;
  /** 0 = Puma single mode (no workers; the master serves) */
  workerCount: number;
  /** where the app writes its heap dumps and where Puma's log goes */
  workDir: string;
  /** extra environment (ENABLE_MEMORY_DEBUGGING, ...) */
  env: Record<string, string>;
  bootTimeoutMs?: number;
}

export interface PumaCluster {
  port: number;
  masterPid: number;
  /** worker pids by worker index */
  workerPids: number[];
  logPath: string;
  log(): string;
  /** resolves when every process of Puma's process group is gone */
  stop(): Promise<void>;
}

export class PumaHelperError extends Error {
  constructor(message: string, readonly pumaLog: string) {
    super(`${message}\n--- puma log ---\n${pumaLog.slice(-4000)}`);
    this.name = 'PumaHelperError';
  }
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from listen(0)');
  return address.port;
}

function processGroupAlive(groupId: number): boolean {
  try {
    process.kill(-groupId, 0);
    return true;
  } catch {
    return false;
  }
}

const WORKER_BOOTED = /Worker (\d+) \(PID: (\d+)\) booted/g;

function bootedWorkers(log: string): number[] {
  const pids: number[] = [];
  for (const match of log.matchAll(WORKER_BOOTED)) pids[Number(match[1])] = Number(match[2]);
  return pids;
}

export async function startPumaCluster(options: PumaClusterOptions): Promise<PumaCluster> {
  const port = await freeLoopbackPort();
  const logPath = join(options.workDir, 'puma.log');
  const logFd = openSync(logPath, 'a');
  const child: ChildProcess = spawn('puma', ['-C', options.configFile], {
    cwd: options.appDir,
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, ...options.env, PORT: String(port), WEB_CONCURRENCY: String(options.workerCount) },
  });
  closeSync(logFd);
  const masterPid = child.pid;
  if (masterPid === undefined) throw new PumaHelperError('puma did not start', '');
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const log = (): string => readFileSync(logPath, 'utf8');

  const stop = async (): Promise<void> => {
    if (!processGroupAlive(masterPid)) return;
    process.kill(-masterPid, 'SIGTERM');
    for (let waitedMs = 0; waitedMs < 20_000 && processGroupAlive(masterPid); waitedMs += 100) await sleep(100);
    if (processGroupAlive(masterPid)) process.kill(-masterPid, 'SIGKILL');
    for (let waitedMs = 0; waitedMs < 5_000 && processGroupAlive(masterPid); waitedMs += 100) await sleep(100);
  };

  const deadline = Date.now() + (options.bootTimeoutMs ?? 60_000);
  for (;;) {
    const workerPids = bootedWorkers(log());
    const bootedCount = workerPids.filter((pid) => pid !== undefined).length;
    // single mode (0 workers) has no worker lines; Puma prints this once it listens
    const ready = options.workerCount === 0 ? /Use Ctrl-C to stop/.test(log()) : bootedCount === options.workerCount;
    if (ready) {
      return { port, masterPid, workerPids, logPath, log, stop };
    }
    if (exited || Date.now() > deadline) {
      const text = log();
      await stop();
      throw new PumaHelperError(exited ? 'puma exited during boot' : 'puma workers did not boot in time', text);
    }
    await sleep(100);
  }
}

export interface ServedResponse {
  status: number;
  workerPid: number;
}

/** One GET on a fresh connection (no keep-alive, so Puma may pick any worker). */
export function getOnce(port: number, path: string): Promise<ServedResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, workerPid: Number(res.headers['x-worker-pid'] ?? 0) }),
      );
    });
    req.once('error', reject);
    req.end();
  });
}

/** The state letter of every thread of `pid` (/proc/<pid>/task/<tid>/stat). */
function threadStates(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] ?? '?');
}

/**
 * SIGSTOPs `pid` and waits until every one of its threads is stopped. A
 * stop takes effect when a thread next leaves the kernel, so a worker still
 * finishing a request could otherwise accept one more connection first and
 * hold it while stopped: the request then hangs until Puma's master kills
 * the silent worker (seen once: ~115 s, then `kill ESRCH` on resume).
 */
async function stopAndWait(pid: number): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  for (let waitedMs = 0; !threadStates(pid).every((state) => state === 'T' || state === 't'); waitedMs += 5) {
    if (waitedMs > 5_000) throw new Error(`worker ${pid} did not stop within 5 s of SIGSTOP`);
    await sleep(5);
  }
}

export interface DriveResult {
  /** requests the target worker served (always the requested count on success) */
  servedByTarget: number;
  /** requests sent in total, over all workers */
  sent: number;
}

/**
 * Sends `GET pathFor(sequence)` until `targetPid` has served exactly `count`
 * of them (the kernel spreads connections over the workers). Under load the
 * spread can be very uneven (one CI run: the target served 1 of 200), so
 * after `count * 10 + 20` requests the workers in `otherWorkerPids` are
 * paused (SIGSTOP, waiting until they are stopped: then they accept
 * nothing) until the target has served its count, then resumed (SIGCONT);
 * Puma's master only acts on a worker silent for its worker_timeout. Bounded: gives up after 30 * count + 50 requests.
 */
export async function driveUntilServed(
  port: number,
  pathFor: (sequence: number) => string,
  targetPid: number,
  count: number,
  firstSequence: number,
  steering: { otherWorkerPids?: readonly number[]; pauseOthersAfterRequests?: number } = {},
): Promise<DriveResult> {
  const otherWorkerPids = steering.otherWorkerPids ?? [];
  let servedByTarget = 0;
  let sent = 0;
  const maxRequests = count * 30 + 50;
  const pauseOthersAfter = steering.pauseOthersAfterRequests ?? count * 10 + 20;
  const paused: number[] = [];
  try {
    while (servedByTarget < count) {
      if (sent >= maxRequests) throw new Error(`worker ${targetPid} served ${servedByTarget}/${count} after ${sent} requests`);
      if (sent === pauseOthersAfter && otherWorkerPids.length > 0) {
        for (const pid of otherWorkerPids) {
          paused.push(pid);
          await stopAndWait(pid);
        }
      }
      const path = pathFor(firstSequence + sent);
      const response = await getOnce(port, path);
      sent += 1;
      if (response.status !== 200) throw new Error(`HTTP ${response.status} for ${path}`);
      if (response.workerPid === targetPid) servedByTarget += 1;
    }
  } finally {
    for (const pid of paused) process.kill(pid, 'SIGCONT');
  }
  return { servedByTarget, sent };
}

const DUMP_NAME = /^heap_dump_signal_(\d+)_(\d+)\.json$/;

/** Finished dumps of `pid` in `dir`, oldest first (by the unix ms in the name). */
export function finishedDumps(dir: string, pid: number): string[] {
  return readdirSync(dir)
    .map((name) => DUMP_NAME.exec(name))
    .filter((match): match is RegExpExecArray => match !== null && Number(match[1]) === pid)
    .sort((a, b) => Number(a[2]) - Number(b[2]))
    .map((match) => join(dir, match[0]));
}

/** `kill -USR2 <pid>`, then waits for that worker's next finished dump and returns its path. */
export async function signalDumpAndWait(pid: number, dumpDir: string, timeoutMs = 120_000): Promise<string> {
  const before = new Set(finishedDumps(dumpDir, pid));
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fresh = finishedDumps(dumpDir, pid).filter((path) => !before.has(path));
    if (fresh.length > 0) return fresh[0] as string;
    if (Date.now() > deadline) throw new Error(`no finished dump from worker ${pid} in ${dumpDir} after ${timeoutMs} ms`);
    await sleep(100);
  }
}
