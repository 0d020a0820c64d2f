/**
 * Dump download throughput of the agent, for the agent bench section, against
 * `cat file > /dev/null` of the same file from the page cache in the same run
 * (target: a plain download at least 50% of cat).
 *
 * Clients: curl (`curl -s -o /dev/null`, a separate process, the way a user
 * downloads) and node:http inside the bench process (what the bench measured
 * first; it competes with the server for the 2 cores and costs more CPU per
 * byte than curl).
 *
 * References:
 *   - a bare node:http server, `createReadStream().pipe(res)`, with both
 *     clients: what Node's HTTP stack does here with no framework;
 *   - a zero-copy server (python3 `socket.sendfile`, skipped without
 *     python3), with curl: the file goes from the page cache to the socket
 *     without a user-space copy, so it is the ceiling of any HTTP server on
 *     this machine for this client. cat copies each byte once (page cache to
 *     user space); an HTTP download over loopback copies it at least twice
 *     more (into the socket, out of it to the client) and runs TCP.
 *
 * The machine is shared, so the methods run interleaved, round after round,
 * and each figure is the median over rounds. Wall time and CPU of cat and
 * curl come from bash's `time` keyword, so process start-up is not counted.
 * CPU milliseconds (of cat, of the client, of the server process and how much
 * of it in the kernel) depend much less on the load than wall time does:
 *   - `cpuTimesCat`: client plus server CPU over cat's CPU;
 *   - `percentOfCatBoundByCpu`: the best percent of cat the download could
 *     reach if client and server each had an idle core to themselves and
 *     overlapped perfectly (cat's CPU over the larger of the two), which is
 *     why a target above it cannot be met on this machine.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { loadavg } from 'node:os';
import type { BenchContext } from './context.ts';

const ROUNDS = 5;
const GZIP_ROUNDS = 2;
const MB = 1e6;

export interface DownloadTarget {
  dumpPath: string;
  dumpBytes: number;
  /** URL of the dump on the agent */
  dumpUrl: string;
  agentPid: number;
}

interface Timed {
  ms: number;
  /** CPU of the client process (cat, curl, or this one for the node:http client), user plus system */
  clientCpuMs: number;
  /** CPU of the server process during the download, and the part in the kernel; 0 for cat */
  serverCpuMs: number;
  serverSystemCpuMs: number;
  /** bytes that crossed the wire */
  wireBytes: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** User and system (kernel) CPU time of a process so far, from /proc/PID/stat (USER_HZ = 100). */
function cpuOf(pid: number): { userMs: number; systemMs: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { userMs: Number(fields[11]) * 10, systemMs: Number(fields[12]) * 10 };
}

export function cpuMsOf(pid: number): number {
  const { userMs, systemMs } = cpuOf(pid);
  return userMs + systemMs;
}

/** CPU a server process spends from now until the returned function is called. */
function serverCpuFrom(pid: number): () => { serverCpuMs: number; serverSystemCpuMs: number } {
  const before = cpuOf(pid);
  return () => {
    const after = cpuOf(pid);
    const systemMs = after.systemMs - before.systemMs;
    return { serverCpuMs: after.userMs - before.userMs + systemMs, serverSystemCpuMs: systemMs };
  };
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** Runs a shell command under bash's `time`: wall and CPU milliseconds of the command alone, and its stdout. */
function timeCommand(command: string): { ms: number; cpuMs: number; stdout: string } {
  const out = spawnSync('bash', ['-c', `TIMEFORMAT='%3R %3U %3S'; time ${command}`], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${command} failed: ${out.stderr}`);
  const [real, user, system] = out.stderr.trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  return { ms: real * 1000, cpuMs: (user + system) * 1000, stdout: out.stdout };
}

function cat(path: string): Timed {
  const { ms, cpuMs } = timeCommand(`cat ${quote(path)} > /dev/null`);
  return { ms, clientCpuMs: cpuMs, serverCpuMs: 0, serverSystemCpuMs: 0, wireBytes: 0 };
}

function curl(url: string, serverPid: number, headers: Record<string, string> = {}): Timed {
  const headerArgs = Object.entries(headers).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`);
  const serverCpu = serverCpuFrom(serverPid);
  const { cpuMs, stdout } = timeCommand(`curl -sS -o /dev/null ${headerArgs.join(' ')} -w '%{size_download} %{time_total}' ${quote(url)}`);
  const [bytes, seconds] = stdout.split(' ').map(Number);
  // curl's own transfer time: connect to last byte, without its start-up.
  return { ms: seconds * 1000, clientCpuMs: cpuMs, ...serverCpu(), wireBytes: bytes };
}

/** GETs a URL with node:http in this process and discards the body; client CPU is this whole process's. */
function nodeGet(url: string, serverPid: number, headers: Record<string, string> = {}): Promise<Timed> {
  const serverCpu = serverCpuFrom(serverPid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => {
        const ms = performance.now() - started;
        const client = process.cpuUsage(clientBefore);
        resolve({ ms, clientCpuMs: (client.user + client.system) / 1000, ...serverCpu(), wireBytes: bytes });
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

const BARE_SERVER = `
const { createServer } = require('node:http'); const { createReadStream, statSync } = require('node:fs');
const file = process.argv.at(-1);
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-length': statSync(file).size });
  createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

const SENDFILE_SERVER = `
import os, socket, sys
path = sys.argv[1]
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(8)
print('listening on http://127.0.0.1:%d' % server.getsockname()[1], flush=True)
while True:
    client, _ = server.accept()
    request = b''
    while b'\\r\\n\\r\\n' not in request:
        chunk = client.recv(65536)
        if not chunk:
            break
        request += chunk
    client.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n' % os.path.getsize(path))
    with open(path, 'rb') as f:
        client.sendfile(f)
    client.close()
`;

function hasPython3(): boolean {
  return spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;
}

function startReference(command: string, args: string[]): Promise<{ child: ChildProcess; url: string; pid: number }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve({ child, url: chunk.toString().trim().split(' ').at(-1) ?? '', pid: child.pid ?? 0 }));
    child.once('exit', (code) => reject(new Error(`${command} reference server exited with ${code}`)));
  });
}

interface Method {
  name: string;
  run(): Timed | Promise<Timed>;
  /** gzip runs take seconds each: fewer rounds */
  rounds: number;
}

export async function measureDownloads(ctx: BenchContext, target: DownloadTarget): Promise<void> {
  const { dumpPath, dumpBytes, dumpUrl, agentPid } = target;
  const references: ChildProcess[] = [];
  try {
    const bare = await startReference(process.execPath, ['-e', BARE_SERVER, dumpPath]);
    references.push(bare.child);
    const sendfile = hasPython3() ? await startReference('python3', ['-c', SENDFILE_SERVER, dumpPath]) : null;
    if (sendfile !== null) references.push(sendfile.child);
    const gzipHeader = { 'Accept-Encoding': 'gzip' };
    const methods: Method[] = [
      { name: 'cat file > /dev/null (page cache)', run: () => cat(dumpPath), rounds: ROUNDS },
      { name: 'download, identity, curl', run: () => curl(dumpUrl, agentPid), rounds: ROUNDS },
      { name: 'download, identity, node:http client in the bench process', run: () => nodeGet(dumpUrl, agentPid), rounds: ROUNDS },
      { name: 'reference: bare node:http pipe server, curl', run: () => curl(bare.url, bare.pid), rounds: ROUNDS },
      { name: 'reference: bare node:http pipe server, node:http client', run: () => nodeGet(bare.url, bare.pid), rounds: ROUNDS },
      ...(sendfile === null
        ? []
        : [{ name: 'reference: zero-copy sendfile server (python3), curl', run: () => curl(sendfile.url, sendfile.pid), rounds: ROUNDS }]),
      { name: 'download, gzip on the fly, curl', run: () => curl(dumpUrl, agentPid, gzipHeader), rounds: GZIP_ROUNDS },
      { name: 'download, gzip on the fly, node:http client', run: () => nodeGet(dumpUrl, agentPid, gzipHeader), rounds: GZIP_ROUNDS },
    ];
    const timings = new Map<string, Timed[]>(methods.map((m) => [m.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const method of methods) {
        if (round < method.rounds) timings.get(method.name)?.push(await method.run());
      }
    }
    const mbPerSecondOf = (runs: Timed[]): number => dumpBytes / MB / (median(runs.map((t) => t.ms)) / 1000);
    const catRuns = timings.get(methods[0].name) ?? [];
    const catMbPerSecond = mbPerSecondOf(catRuns);
    const catCpuMs = median(catRuns.map((t) => t.clientCpuMs));
    if (sendfile === null) ctx.log('python3 not found: no zero-copy reference');
    for (const method of methods) {
      const runs = timings.get(method.name) ?? [];
      const mbPerSecond = mbPerSecondOf(runs);
      const metrics: Record<string, number | string> = {
        fileMb: Math.round(dumpBytes / MB),
        rounds: runs.length,
        mbPerSecond: Math.round(mbPerSecond),
        slowestMbPerSecond: Math.round(dumpBytes / MB / (Math.max(...runs.map((t) => t.ms)) / 1000)),
        fastestMbPerSecond: Math.round(dumpBytes / MB / (Math.min(...runs.map((t) => t.ms)) / 1000)),
      };
      if (method !== methods[0]) metrics.percentOfCat = Math.round((100 * mbPerSecond) / catMbPerSecond);
      if (method.name === 'download, identity, curl') metrics.targetPercentOfCat = 50;
      if (method.name.includes('gzip')) metrics.wireMb = Math.round(median(runs.map((t) => t.wireBytes)) / MB);
      metrics.clientCpuMs = Math.round(median(runs.map((t) => t.clientCpuMs)));
      if (method !== methods[0]) {
        metrics.serverCpuMs = Math.round(median(runs.map((t) => t.serverCpuMs)));
        metrics.serverSystemCpuMs = Math.round(median(runs.map((t) => t.serverSystemCpuMs)));
        // CPU is far less sensitive to the shared machine's load than wall time: the whole download against cat.
        metrics.cpuTimesCat = Number((median(runs.map((t) => t.clientCpuMs + t.serverCpuMs)) / catCpuMs).toFixed(1));
        metrics.percentOfCatBoundByCpu = Math.round((100 * catCpuMs) / median(runs.map((t) => Math.max(t.clientCpuMs, t.serverCpuMs))));
      }
      metrics.loadAverage1m = Number(loadavg()[0].toFixed(1));
      ctx.record(method.name, metrics);
    }
  } finally {
    for (const child of references) child.kill('SIGTERM');
  }
}
