/**
 * Child process of bench/sections/diff.ts, so peak RSS (`maxRSS`) belongs to
 * one measurement. Modes (argv[2]), each printing one JSON line:
 * - `diff3 <before> <after> <later>`: the CLI's memory-lean 3-dump diff
 *   (SeriesDiffBuilder, identity columns only) over the files.
 * - `baseline <file>...`: the naive reader, `JSON.parse` on every line, over
 *   the same bytes (lines split with Buffer.indexOf, so only parsing costs).
 * - `dominators <file>`: parse with references, then retainers + dominators +
 *   retained sizes, timed separately.
 * - `suspects <before> <after> <later>`: the whole leak-suspects report as
 *   the CLI makes it (later with references).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseHeapDump } from '../../packages/shared/src/parse/parse-heap-dump.ts';
import { SeriesDiffBuilder } from '../../packages/shared/src/diff/series-diff.ts';
import { suspectsFromDiff } from '../../packages/shared/src/analyses/suspects.ts';
import { buildRetainers } from '../../packages/shared/src/graph/retainers.ts';
import { buildDominatorTree } from '../../packages/shared/src/graph/dominators.ts';
import { computeRetainedSizes } from '../../packages/shared/src/graph/retained-sizes.ts';
import type { HeapDump } from '../../packages/shared/src/store/heap-dump.ts';

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

async function diff3(paths: string[]): Promise<Record<string, number>> {
  const startedMs = performance.now();
  // each dump is only referenced inside its own statement, so it can be collected
  // as soon as the builder has taken what it needs (as in the CLI)
  const objectCounts: number[] = [];
  const counted = async (path: string): Promise<HeapDump> => {
    const dump = await load(path, false);
    objectCounts.push(dump.objectCount);
    return dump;
  };
  const builder = new SeriesDiffBuilder(await counted(paths[1]));
  builder.addBefore(await counted(paths[0]));
  builder.addLater(await counted(paths[2]));
  const result = builder.result();
  const durationMs = performance.now() - startedMs;
  return {
    durationMs,
    bytes: await totalBytes(paths),
    peakRssMb: peakRssMb(),
    largestObjectCount: Math.max(...objectCounts),
    retainedCount: result.retained?.count ?? -1,
  };
}

/** The CLI's `suspects`: later with references, the other two identity-only. */
async function suspects(paths: string[]): Promise<Record<string, number>> {
  const startedMs = performance.now();
  const later = await load(paths[2], true);
  const builder = new SeriesDiffBuilder(await load(paths[1], false));
  builder.addBefore(await load(paths[0], false));
  builder.addLater(later);
  const report = suspectsFromDiff(builder, later, { limit: 20 });
  return {
    durationMs: performance.now() - startedMs,
    bytes: await totalBytes(paths),
    peakRssMb: peakRssMb(),
    largestObjectCount: later.objectCount,
    topCount: report.suspects[0]?.count ?? 0,
    secondCount: report.suspects[1]?.count ?? 0,
  };
}

async function baseline(paths: string[]): Promise<Record<string, number>> {
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
const run = mode === 'diff3' ? diff3 : mode === 'suspects' ? suspects : mode === 'baseline' ? baseline : mode === 'dominators' ? (p: string[]) => dominators(p[0]) : null;
if (run === null) throw new Error(`unknown mode ${mode}`);
process.stdout.write(`${JSON.stringify(await run(paths))}\n`);
