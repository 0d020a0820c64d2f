/**
 * The host agent, as it runs on a production host: the single-file build
 * (scripts/build-agent.mjs) under plain node, spoken to over loopback.
 *   - idle RSS after start and a few sampling rounds (target < 80 MB);
 *   - /api/v1/processes latency with 300 extra `sleep` processes on the
 *     machine, all matched (the worst case) and with the default match
 *     (target: median < 50 ms);
 *   - dump download throughput, plain and gzip on the fly, with curl and
 *     with node:http, beside `cat file > /dev/null` of the same file and
 *     beside reference servers (bench/agent-download.ts; target: plain >= 50%
 *     of cat). The file is the real Rails heap dump of
 *     fixtures/rails-series-a repeated to ~500 MB, so gzip sees real content.
 * Every process the section starts is stopped by its pid at the end.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { cpuMsOf, measureDownloads } from '../agent-download.ts';
import type { BenchContext } from '../context.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(REPO, 'fixtures/rails-series-a/heap_dump_signal_24329_1795949061.json.gz');
const SLEEPERS = 300;
const LATENCY_ROUNDS = 40;
const DUMP_COPIES = 12;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
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

    const listing = (await (await fetch(`${url}/api/v1/dumps`)).json()) as { dumps: { id: string }[] };
    await measureDownloads(ctx, { dumpPath, dumpBytes, dumpUrl: `${url}/api/v1/dumps/${listing.dumps[0].id}`, agentPid: agent.pid ?? 0 });
  } finally {
    for (const sleeper of sleepers) sleeper.kill('SIGKILL');
    agent.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}
