/**
 * The host agent, as it runs on a production host: the single-file build
 * (scripts/build-agent.mjs) under plain node, spoken to over loopback.
 *   - idle RSS after start and a few sampling rounds (target < 80 MB);
 *   - /api/v1/processes latency with 300 extra `sleep` processes on the
 *     machine, all matched (the worst case) and with the default match
 *     (target: median < 50 ms);
 *   - dump download throughput, plain and gzip on the fly, beside
 *     `cat file > /dev/null` of the same file from the page cache
 *     (target: plain >= 50% of cat). The file is the real Rails heap dump of
 *     fixtures/rails-series-a repeated to ~500 MB, so gzip sees real content.
 *     A bare node:http server piping the same file is recorded beside it:
 *     cat to /dev/null copies each byte once (page cache to user space),
 *     while any HTTP download copies it three times (into the server, into
 *     the socket, out to the client) and runs TCP over loopback, so the bare
 *     server is what the agent can be judged against on this machine.
 * Every process the section starts is stopped by its pid at the end.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { BenchContext } from '../context.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(REPO, 'fixtures/rails-series-a/heap_dump_signal_24329_1795949061.json.gz');
const SLEEPERS = 300;
const LATENCY_ROUNDS = 40;
const DUMP_COPIES = 12;
const MB = 1e6;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** User plus system CPU time of a process so far, from /proc/PID/stat (USER_HZ = 100). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

function startAgent(bundle: string, dumpsDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bundle, '--port', '0', '--interval', '1', '--dumps', `${dumpsDir}/heap_dump_signal_*.json`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match !== null) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`agent exited with ${code}`)));
  });
}

/** GETs a URL and discards the body; returns bytes received and milliseconds. */
function download(url: string, headers: Record<string, string> = {}): Promise<{ bytes: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ bytes, ms: performance.now() - started }));
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

/** The same download from a bare node:http server: what Node's HTTP stack can do here at best. */
async function nodePipeCeiling(path: string, sizeBytes: number): Promise<number> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim().split(' ').at(-1) ?? ''));
      child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push((await download(url)).ms);
    return sizeBytes / MB / (median(times) / 1000);
  } finally {
    child.kill('SIGTERM');
  }
}

async function writeDump(path: string): Promise<number> {
  const one = gunzipSync(readFileSync(FIXTURE));
  const out = createWriteStream(path);
  for (let i = 0; i < DUMP_COPIES; i++) {
    if (!out.write(one)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return statSync(path).size;
}

export async function run(ctx: BenchContext): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'leakpilot-bench-agent-'));
  const bundle = join(work, 'leakpilot-agent.mjs');
  execFileSync(process.execPath, [join(REPO, 'scripts/build-agent.mjs'), bundle], { stdio: 'pipe' });
  ctx.record('single-file build', { sizeKb: Math.round(statSync(bundle).size / 1024) });
  const dumpPath = join(work, 'heap_dump_signal_24329_1795949061.json');
  const dumpBytes = await writeDump(dumpPath);
  const sleepers: ChildProcess[] = [];
  const { child: agent, url } = await startAgent(bundle, work);
  try {
    await new Promise((r) => setTimeout(r, 3000));
    ctx.record('idle RSS after start and 3 samples', { rssMb: Number(rssMbOf(agent.pid ?? 0).toFixed(1)), targetMb: 80 });

    for (let i = 0; i < SLEEPERS; i++) sleepers.push(spawn('sleep', ['600'], { stdio: 'ignore' }));
    await new Promise((r) => setTimeout(r, 500));
    const processCount = spawnSync('sh', ['-c', 'ls -d /proc/[0-9]* | wc -l'], { encoding: 'utf8' }).stdout.trim();
    for (const [label, query] of [
      [`all ${SLEEPERS} sleep processes matched`, '?match=%5Esleep'],
      ['default match (puma|unicorn|sidekiq|ruby)', ''],
    ] as const) {
      const timings: number[] = [];
      let rows = 0;
      let cpuBeforeMs = 0;
      let firstMs = 0;
      for (let i = 0; i < LATENCY_ROUNDS + 3; i++) {
        if (i === 3) cpuBeforeMs = cpuMsOf(agent.pid ?? 0);
        const started = performance.now();
        const res = await fetch(`${url}/api/v1/processes${query}`);
        const body = (await res.json()) as { processes: unknown[] };
        if (i === 0) firstMs = performance.now() - started;
        if (i >= 3) timings.push(performance.now() - started);
        rows = body.processes.length;
      }
      ctx.record(`/api/v1/processes, ${label}`, {
        processesOnMachine: Number(processCount),
        rowsReturned: rows,
        // The first call reads every smaps_rollup; later ones reuse readings up to 10 s old.
        firstCallMs: Number(firstMs.toFixed(1)),
        medianMs: Number(median(timings).toFixed(1)),
        p95Ms: Number(percentile(timings, 0.95).toFixed(1)),
        // CPU the agent spent per request: less sensitive than wall time to a busy machine.
        agentCpuMsPerRequest: Number(((cpuMsOf(agent.pid ?? 0) - cpuBeforeMs) / LATENCY_ROUNDS).toFixed(1)),
        targetMedianMs: 50,
        // The machine is shared: the 1-minute load average says how busy it was.
        loadAverage1m: Number(loadavg()[0].toFixed(1)),
      });
    }
    for (const sleeper of sleepers) sleeper.kill('SIGKILL');
    sleepers.length = 0;
    ctx.record('RSS after the latency rounds', { rssMb: Number(rssMbOf(agent.pid ?? 0).toFixed(1)) });

    const catMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      spawnSync('sh', ['-c', `cat '${dumpPath}' > /dev/null`]);
      catMs.push(performance.now() - started);
    }
    const catMbPerSecond = dumpBytes / MB / (median(catMs) / 1000);
    const listing = (await (await fetch(`${url}/api/v1/dumps`)).json()) as { dumps: { id: string }[] };
    const dumpUrl = `${url}/api/v1/dumps/${listing.dumps[0].id}`;
    const plain: number[] = [];
    for (let i = 0; i < 3; i++) plain.push((await download(dumpUrl)).ms);
    const plainMbPerSecond = dumpBytes / MB / (median(plain) / 1000);
    const gz = await download(dumpUrl, { 'Accept-Encoding': 'gzip' });
    const gzipMbPerSecond = dumpBytes / MB / (gz.ms / 1000);
    const ceiling = await nodePipeCeiling(dumpPath, dumpBytes);
    ctx.record('cat file > /dev/null (page cache)', { fileMb: Math.round(dumpBytes / MB), mbPerSecond: Math.round(catMbPerSecond) });
    ctx.record('reference: bare node:http createReadStream().pipe(res)', {
      fileMb: Math.round(dumpBytes / MB),
      mbPerSecond: Math.round(ceiling),
      percentOfCat: Math.round((100 * ceiling) / catMbPerSecond),
    });
    ctx.record('download, identity', {
      fileMb: Math.round(dumpBytes / MB),
      mbPerSecond: Math.round(plainMbPerSecond),
      percentOfCat: Math.round((100 * plainMbPerSecond) / catMbPerSecond),
      targetPercentOfCat: 50,
    });
    ctx.record('download, gzip on the fly', {
      fileMb: Math.round(dumpBytes / MB),
      mbPerSecond: Math.round(gzipMbPerSecond),
      wireMb: Math.round(gz.bytes / MB),
      percentOfCat: Math.round((100 * gzipMbPerSecond) / catMbPerSecond),
    });
  } finally {
    for (const sleeper of sleepers) sleeper.kill('SIGKILL');
    agent.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}
