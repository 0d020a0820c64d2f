/**
 * One parse measurement in its own process (so `maxRSS` is this run's peak):
 * `tsx bench/sections/parse.child.ts <variant> <dump>` prints one JSON line.
 * Variants: `one-thread` (exactly what the CLI's one-thread strategy does:
 * parseHeapDump on the main thread from 1 MiB chunks read into reused
 * buffers, see apps/cli/src/shared-cli/file-range-reader.ts, with the CLI's
 * column reserve), `read-ahead` (one parsing thread fed by a read-ahead worker),
 * `cli-default` (exactly what `leakpilot summary` does to load a dump: on a
 * plain file of 64 MiB+ with 2+ CPUs, parsing workers over byte ranges), `parallel-N` (this thread and N-1
 * workers claim 16 MiB byte ranges, merged on this thread), `baseline` (Node readline + JSON.parse per line, keeping nothing).
 * Every variant, the baseline included, runs with the V8 settings the CLI
 * sets for itself (apps/cli/src/shared-cli/v8-tuning.ts).
 */
import { statSync } from 'node:fs';
import type { HeapDump } from '../../packages/shared/src/store/heap-dump.ts';
import { loadDumpFile } from '../../apps/cli/src/shared-cli/load-dump.ts';
import { parseInParallel } from '../../apps/cli/src/shared-cli/parallel-parse.ts';
import { measureDumpMemory } from '../dump-memory.ts';
import { readlineJsonParse } from '../readline-baseline.ts';
import { tuneV8ForParsing } from '../../apps/cli/src/shared-cli/v8-tuning.ts';

tuneV8ForParsing();
const [variant, path] = process.argv.slice(2);
const sizeBytes = statSync(path).size;

const startedMs = performance.now();
const startedCpu = process.cpuUsage();
let dump: HeapDump | null = null;
let counts: { objects: number; references: number };
if (variant === 'baseline') counts = await readlineJsonParse([path]);
else {
  if (variant === 'cli-default') dump = await loadDumpFile(path);
  else if (variant === 'read-ahead') dump = await loadDumpFile(path, { strategy: 'read-ahead' });
  else if (variant.startsWith('parallel-')) dump = await parseInParallel(path, Number(variant.slice('parallel-'.length)));
  else if (variant === 'one-thread') dump = await loadDumpFile(path, { strategy: 'one-thread' });
  else throw new Error(`unknown variant ${variant}`);
  counts = { objects: dump.objectCount, references: dump.referenceTarget.length };
}
const durationMs = performance.now() - startedMs;
const cpu = process.cpuUsage(startedCpu);
const cpuMs = (cpu.user + cpu.system) / 1000;
const memory = dump === null ? null : measureDumpMemory(dump);
process.stdout.write(
  `${JSON.stringify({
    variant,
    sizeBytes,
    durationMs,
    cpuMs,
    objects: counts.objects,
    references: counts.references,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    memory,
  })}\n`,
);
