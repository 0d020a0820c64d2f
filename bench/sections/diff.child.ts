/**
 * Child process of bench/sections/diff.ts, so peak RSS (`maxRSS`) belongs to
 * one measurement. Modes (argv[2]), each printing one JSON line:
 * - `diff3 <before> <after> <later>` (and `diff3-threads1`, the same with
 *   LEAKPILOT_DIFF_THREADS=1: one dump parsed at a time): runs the real
 *   command, `node apps/cli/bin/leakpilot.mjs diff <before> <after> <later>
 *   --json`, as a user runs it (its default: two dumps at once), in its own
 *   process, from its cached bundle, and reports its wall time and its own
 *   peak RSS (diff.peak-rss.mjs, preloaded into it), not this tsx process's.
 * - `baseline <file>...`: the naive reader of issue 2, Node's readline plus
 *   `JSON.parse` on every line, over the same bytes.
 * - `baseline-split <file>...`: a stricter one, lines split with
 *   Buffer.indexOf instead of readline, so only JSON.parse costs.
 * - `dominators <file>`: parse with references, then retainers + dominators +
 *   retained sizes, timed separately.
 * - `suspects <before> <after> <later>`: `leakpilot suspects ... --json`,
 *   measured like diff3.
 * Before a command is timed, it runs once on the small fixture series, so
 * its bundles (CLI and workers) are built and the timing is of a warm start.
 * The commands set the CLI's V8 settings themselves (main.ts); the
 * baselines and `dominators` run with the same (v8-tuning.ts).
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHeapDump } from '../../packages/shared/src/parse/parse-heap-dump.ts';
import type { DiffResult } from '../../packages/shared/src/diff/diff-types.ts';
import type { SuspectsReport } from '../../packages/shared/src/analyses/suspects.ts';
import { buildRetainers } from '../../packages/shared/src/graph/retainers.ts';
import { buildDominatorTree } from '../../packages/shared/src/graph/dominators.ts';
import { computeRetainedSizes } from '../../packages/shared/src/graph/retained-sizes.ts';
import type { HeapDump } from '../../packages/shared/src/store/heap-dump.ts';
import { tuneV8ForParsing } from '../../apps/cli/src/shared-cli/v8-tuning.ts';
import { readlineJsonParse } from '../readline-baseline.ts';

tuneV8ForParsing();

const NEWLINE = 0x0a;

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** As the CLI loads a dump: the file size lets the parser size its columns once. */
async function load(path: string, references: boolean): Promise<HeapDump> {
  const { size } = await stat(path);
  return parseHeapDump(createReadStream(path, { highWaterMark: 1 << 20 }), { references, totalBytes: size });
}

async function totalBytes(paths: string[]): Promise<number> {
  let bytes = 0;
  for (const path of paths) bytes += (await stat(path)).size;
  return bytes;
}

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPOSITORY_ROOT, 'apps/cli/bin/leakpilot.mjs');
const PEAK_RSS_PRELOAD = join(REPOSITORY_ROOT, 'bench/sections/diff.peak-rss.mjs');
const FIXTURE_SERIES = ['heap_dump_signal_24329_1795948963', 'heap_dump_signal_24329_1795949024', 'heap_dump_signal_24329_1795949061'].map((name) =>
  join(REPOSITORY_ROOT, `fixtures/rails-series-a/${name}.json.gz`),
);

interface CommandRun {
  stdout: string;
  durationMs: number;
  peakRssMb: number;
}

/** Runs `leakpilot <args>` as a user would, with its own peak RSS written by the preload. */
async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  const scratch = await mkdtemp(join(tmpdir(), 'leakpilot-bench-rss-'));
  const rssFile = join(scratch, 'peak-rss-kib');
  try {
    const startedMs = performance.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', PEAK_RSS_PRELOAD, BIN, ...args], {
        cwd: REPOSITORY_ROOT,
        env: { ...process.env, ...env, LEAKPILOT_PEAK_RSS_FILE: rssFile },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`leakpilot ${args[0]} exited with ${code}`))));
    });
    const durationMs = performance.now() - startedMs;
    return { stdout, durationMs, peakRssMb: Number(await readFile(rssFile, 'utf8')) / 1024 };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** `threads`: LEAKPILOT_DIFF_THREADS, dumps parsed at once (undefined: the command's default, 2). */
async function diff3(paths: string[], threads: number | undefined): Promise<Record<string, number>> {
  const env = { LEAKPILOT_DIFF_THREADS: threads === undefined ? '' : String(threads) };
  await runCli(['diff', ...FIXTURE_SERIES, '--json'], env);
  const run = await runCli(['diff', ...paths, '--json'], env);
  const result = JSON.parse(run.stdout) as DiffResult;
  return {
    durationMs: run.durationMs,
    bytes: await totalBytes(paths),
    peakRssMb: run.peakRssMb,
    largestObjectCount: Math.max(...result.objectCounts),
    retainedCount: result.retained?.count ?? -1,
  };
}

/** The CLI's `suspects`: later with references, the other two identity-only. */
async function suspects(paths: string[]): Promise<Record<string, number>> {
  await runCli(['suspects', ...FIXTURE_SERIES, '--json']);
  const run = await runCli(['suspects', ...paths, '--json', '--top', '20']);
  const report = JSON.parse(run.stdout) as SuspectsReport;
  return {
    durationMs: run.durationMs,
    bytes: await totalBytes(paths),
    peakRssMb: run.peakRssMb,
    topCount: report.suspects[0]?.count ?? 0,
    secondCount: report.suspects[1]?.count ?? 0,
  };
}

async function readlineBaseline(paths: string[]): Promise<Record<string, number>> {
  const startedMs = performance.now();
  const counts = await readlineJsonParse(paths);
  return { durationMs: performance.now() - startedMs, bytes: await totalBytes(paths), ...counts, peakRssMb: peakRssMb() };
}

async function splitBaseline(paths: string[]): Promise<Record<string, number>> {
  const startedMs = performance.now();
  let lines = 0;
  let addressed = 0;
  for (const path of paths) {
    let carry: Buffer = Buffer.alloc(0);
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      const buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
      let start = 0;
      let newline = buffer.indexOf(NEWLINE, start);
      while (newline !== -1) {
        const record = JSON.parse(buffer.toString('utf8', start, newline)) as { address?: string };
        if (record.address !== undefined) addressed++;
        lines++;
        start = newline + 1;
        newline = buffer.indexOf(NEWLINE, start);
      }
      carry = buffer.subarray(start);
    }
  }
  return { durationMs: performance.now() - startedMs, bytes: await totalBytes(paths), lines, addressed, peakRssMb: peakRssMb() };
}

async function dominators(path: string): Promise<Record<string, number>> {
  const parseStartedMs = performance.now();
  const dump = await load(path, true);
  const parseMs = performance.now() - parseStartedMs;
  const graphStartedMs = performance.now();
  const retainers = buildRetainers(dump);
  const tree = buildDominatorTree(dump, retainers);
  const sizes = computeRetainedSizes(dump, tree);
  const graphMs = performance.now() - graphStartedMs;
  return {
    parseMs,
    dominatorsMs: graphMs,
    objectCount: dump.objectCount,
    referenceCount: dump.referenceTarget.length,
    unreachableCount: tree.unreachableCount,
    totalRetainedBytes: sizes.totalBytes,
    peakRssMb: peakRssMb(),
  };
}

const [mode, ...paths] = process.argv.slice(2);
const MODES: Record<string, (paths: string[]) => Promise<Record<string, number>>> = {
  diff3: (p) => diff3(p, undefined),
  'diff3-threads1': (p) => diff3(p, 1),
  suspects,
  baseline: readlineBaseline,
  'baseline-split': splitBaseline,
  dominators: (p) => dominators(p[0]),
};
const run = MODES[mode];
if (run === undefined) throw new Error(`unknown mode ${mode}`);
process.stdout.write(`${JSON.stringify(await run(paths))}\n`);
