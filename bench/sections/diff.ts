/**
 * Bench section "diff" (issue 3): the 3-dump diff over three dumps of at
 * least 1 GB each (MB/s over all three files and peak RSS per object of the
 * largest), beside the JSON.parse-per-line baseline over the same bytes, and
 * dominators + retained sizes of the largest dump (seconds per million
 * objects) beside the time to parse that dump. Every figure comes from a
 * fresh child process (diff.child.ts), so peak RSS is that measurement's own;
 * the diff and the suspects report are the `leakpilot` command itself, run
 * by the child as a user runs it, with the command's own peak RSS. The
 * baseline is issue 2's (readline + JSON.parse per line) over the same
 * bytes; a stricter one (lines split with Buffer.indexOf) is reported too.
 *
 * Targets: diff MB/s >= 3x baseline MB/s; diff peak RSS <= 100 bytes per
 * object of the largest dump; dominators faster than parsing.
 */
import type { BenchContext } from '../context.ts';
import { warmPageCache } from '../page-cache.ts';

const CHILD = 'bench/sections/diff.child.ts';
const MB = 1024 * 1024;

interface Diff3Figures extends CommandFigures {
  largestObjectCount: number;
  retainedCount: number;
}
interface BaselineFigures {
  durationMs: number;
  bytes: number;
  peakRssMb: number;
}
interface DominatorFigures {
  parseMs: number;
  dominatorsMs: number;
  objectCount: number;
  referenceCount: number;
  unreachableCount: number;
  peakRssMb: number;
}

interface CommandFigures {
  durationMs: number;
  bytes: number;
  peakRssMb: number;
}

/** Size, time, throughput and peak RSS (total and per object of the largest dump) of one command run. */
function commandRecord(figures: CommandFigures, largestObjectCount: number): Record<string, number> {
  return {
    totalMb: Math.round(figures.bytes / MB),
    durationMs: Math.round(figures.durationMs),
    mbPerSecond: Number((figures.bytes / MB / (figures.durationMs / 1000)).toFixed(1)),
    peakRssMb: Math.round(figures.peakRssMb),
    peakRssBytesPerObject: Number(((figures.peakRssMb * MB) / largestObjectCount).toFixed(1)),
  };
}

function baselineRecord(figures: BaselineFigures): Record<string, number> {
  return {
    totalMb: Math.round(figures.bytes / MB),
    durationMs: Math.round(figures.durationMs),
    mbPerSecond: Number((figures.bytes / MB / (figures.durationMs / 1000)).toFixed(1)),
    peakRssMb: Math.round(figures.peakRssMb),
  };
}

export async function run(ctx: BenchContext): Promise<void> {
  const series = await ctx.largeSeriesPaths();
  ctx.log(`page cache warmed in ${Math.round(await warmPageCache(series.paths))} ms`);
  // no --max-old-space-size: the columns are typed arrays outside the JS heap, and a
  // larger heap limit only lets V8 collect the previous dump's buffers later
  const execArgv: string[] = [];

  const diff = (await ctx.runIsolated(CHILD, ['diff3', ...series.paths], { execArgv })) as Diff3Figures;
  const diffMbPerSecond = diff.bytes / MB / (diff.durationMs / 1000);
  const bytesPerObject = (diff.peakRssMb * MB) / diff.largestObjectCount;
  ctx.record('leakpilot diff, three dumps of >= 1 GB (its default: after and before parsed at once, then later)', {
    ...commandRecord(diff, diff.largestObjectCount),
    largestDumpObjects: diff.largestObjectCount,
    retainedFound: diff.retainedCount,
    retainedExpected: series.expectedNewRetained,
  });

  const oneAtATime = (await ctx.runIsolated(CHILD, ['diff3-threads1', ...series.paths], { execArgv })) as Diff3Figures;
  ctx.record('leakpilot diff with LEAKPILOT_DIFF_THREADS=1 (one dump at a time, the leanest)', {
    ...commandRecord(oneAtATime, oneAtATime.largestObjectCount),
    retainedFound: oneAtATime.retainedCount,
  });

  // issue 3's baseline is issue 2's: Node's readline plus JSON.parse per line
  const baseline = (await ctx.runIsolated(CHILD, ['baseline', ...series.paths], { execArgv })) as BaselineFigures;
  const baselineMbPerSecond = baseline.bytes / MB / (baseline.durationMs / 1000);
  ctx.record('baseline: readline + JSON.parse per line over the same three files', baselineRecord(baseline));
  // a stricter one, for reference: lines split with Buffer.indexOf, so only JSON.parse costs
  const split = (await ctx.runIsolated(CHILD, ['baseline-split', ...series.paths], { execArgv })) as BaselineFigures;
  const splitMbPerSecond = split.bytes / MB / (split.durationMs / 1000);
  ctx.record('stricter baseline: Buffer.indexOf line split + JSON.parse per line, same files', baselineRecord(split));
  ctx.record('3-dump diff vs baseline', {
    speedupX: Number((diffMbPerSecond / baselineMbPerSecond).toFixed(2)),
    targetSpeedupX: 3,
    speedupOverStricterBaselineX: Number((diffMbPerSecond / splitMbPerSecond).toFixed(2)),
    oneAtATimeSpeedupX: Number((oneAtATime.bytes / MB / (oneAtATime.durationMs / 1000) / baselineMbPerSecond).toFixed(2)),
    peakRssBytesPerObject: Number(bytesPerObject.toFixed(1)),
    oneAtATimePeakRssBytesPerObject: Number(((oneAtATime.peakRssMb * MB) / oneAtATime.largestObjectCount).toFixed(1)),
    targetBytesPerObject: 100,
  });

  const largest = series.paths[2];
  const graph = (await ctx.runIsolated(CHILD, ['dominators', largest], { execArgv })) as DominatorFigures;
  const millions = graph.objectCount / 1e6;
  ctx.record('dominators + retained sizes of the largest dump (Lengauer-Tarjan, iterative)', {
    objects: graph.objectCount,
    references: graph.referenceCount,
    unreachableObjects: graph.unreachableCount,
    parseMs: Math.round(graph.parseMs),
    dominatorsMs: Math.round(graph.dominatorsMs),
    dominatorsSecondsPerMillionObjects: Number((graph.dominatorsMs / 1000 / millions).toFixed(3)),
    parseSecondsPerMillionObjects: Number((graph.parseMs / 1000 / millions).toFixed(3)),
    dominatorsFasterThanParse: graph.dominatorsMs < graph.parseMs ? 'yes' : 'no',
    peakRssMb: Math.round(graph.peakRssMb),
  });
  const report = (await ctx.runIsolated(CHILD, ['suspects', ...series.paths], { execArgv })) as CommandFigures & { topCount: number; secondCount: number };
  ctx.record('leakpilot suspects over the same three files (later with references)', {
    ...commandRecord(report, diff.largestObjectCount),
    topSuspectObjects: report.topCount,
    secondSuspectObjects: report.secondCount,
  });
  if (oneAtATime.retainedCount !== diff.retainedCount) throw new Error(`one dump at a time found ${oneAtATime.retainedCount} retained objects, two at once ${diff.retainedCount}`);
  if (diff.retainedCount !== series.expectedNewRetained) {
    throw new Error(`3-dump diff found ${diff.retainedCount} retained objects, expected ${series.expectedNewRetained}`);
  }
}
