/**
 * `leakpilot diff <before> <after> [<later>] [--json] [--top N] [--by class|location|type|allocation]`
 *
 * Objects new in `after` and freed since `before`; with a third dump, the
 * objects allocated between `before` and `after` that are still alive in
 * `later` ("likely retained"). Each dump is parsed identity-only into a
 * DumpDigest (series-digests.ts), so no parsed dump stays in memory, only
 * digests of 20-24 bytes per object, fed to SeriesDiffBuilder in its order
 * (after, before, later) and released once used. Every file is
 * checked before the first parse; failures and exit statuses are those of
 * run-command.ts.
 */
import { availableParallelism } from 'node:os';
import { SeriesDiffBuilder } from '@leakpilot/shared/diff/series-diff.ts';
import type { AllocationRow, DiffObjectSet, DiffResult, DiffRowTotals } from '@leakpilot/shared/diff/diff-types.ts';
import { formatBytes, formatCount, formatGrowth, formatTable, type Column } from '../series/format.ts';
import { collectGarbage } from '../series/collect-garbage.ts';
import { SeriesDigests } from '../series/series-digests.ts';
import { checkDumpFiles } from '../shared-cli/check-dump-files.ts';
import { CliUsageError } from '../shared-cli/command-args.ts';
import { clearStatus, showStatus } from '../shared-cli/progress.ts';
import { runCommand, type CommandSpec } from '../shared-cli/run-command.ts';

const USAGE = `usage: leakpilot diff <before> <after> [<later>] [--json] [--top N] [--by class|location|type|allocation]

  Two dumps: objects new in <after> and freed since <before>.
  Three dumps: also the objects allocated between <before> and <after> that are
  still alive in <later> (likely retained: the 3-dump leak method).
  --json   print the whole result (identity, new, freed, retained)
  --top N  rows per table (default 15)
  --by     grouping of the tables (default allocation: type, class, site)

  <after> and <before> are parsed at once on two cores (one with a single
  core). LEAKPILOT_DIFF_THREADS=1 in the environment parses one dump at a
  time: slower, and the leanest in memory.

examples:
  leakpilot diff heap-1.json.gz heap-2.json.gz
  leakpilot diff heap-1.json.gz heap-2.json.gz heap-3.json.gz --by class --top 5
  leakpilot diff heap-1.json heap-2.json heap-3.json --json > diff.json
`;

const SPEC: CommandSpec = { name: 'diff', usage: USAGE, options: ['json', 'top', 'by'] };
const DEFAULT_TOP = 15;

const GROUPINGS = { class: 'byClass', location: 'byLocation', type: 'byType', allocation: 'byAllocation' } as const;

/**
 * Dumps parsed at once, at most the cores: 2 by default (`after` here and
 * `before` on a worker, then `later` here); LEAKPILOT_DIFF_THREADS=1 parses
 * one at a time, the leanest. Measured on the three ~1 GB bench dumps
 * (3,306,557 objects in the largest), 8 runs and 3: two at once 5.3-5.6 s
 * and 256-263 MiB peak, one at a time 7.2-7.4 s and 232-240 MiB; both within
 * the 100 bytes an object of issue 3 (see series-digests.ts).
 */
const DEFAULT_DIFF_THREADS = 2;

export function diffConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number.parseInt(env.LEAKPILOT_DIFF_THREADS ?? '', 10);
  return Math.max(1, Math.min(Number.isNaN(asked) ? DEFAULT_DIFF_THREADS : asked, 3, availableParallelism()));
}

export async function computeDiff(paths: string[], concurrency = diffConcurrency()): Promise<DiffResult> {
  const digests = new SeriesDigests(paths, paths.length === 3 ? [1, 0, 2] : [1, 0], concurrency);
  try {
    const builder = await digests.use(1, (after) => new SeriesDiffBuilder(after));
    await digests.use(0, (before) => builder.addBefore(before));
    collectGarbage();
    if (paths[2] !== undefined) await digests.use(2, (later) => builder.addLater(later, { mapToLater: false }));
    showStatus(process.stderr, 'grouping the objects…');
    return builder.result();
  } finally {
    await digests.close();
  }
}

type AnyRow = DiffRowTotals & Partial<Pick<AllocationRow, 'type' | 'className' | 'location'>>;

function tableOf(set: DiffObjectSet, grouping: keyof typeof GROUPINGS, top: number): string[] {
  const rows = (set[GROUPINGS[grouping]] as AnyRow[]).slice(0, top);
  const columns: Array<Column<AnyRow>> = [
    { title: 'Objects', align: 'right', cell: (row) => formatCount(row.count) },
    { title: 'Bytes', align: 'right', cell: (row) => formatBytes(row.memsizeBytes) },
    { title: 'Live per dump', align: 'left', cell: (row) => formatGrowth(row.liveCounts) },
  ];
  if (grouping === 'type' || grouping === 'allocation') columns.push({ title: 'Type', align: 'left', cell: (row) => row.type ?? '' });
  if (grouping === 'class' || grouping === 'allocation') columns.push({ title: 'Class', align: 'left', cell: (row) => row.className ?? '' });
  if (grouping === 'location' || grouping === 'allocation') columns.push({ title: 'Allocated at', align: 'left', cell: (row) => row.location ?? '' });
  const lines = formatTable(rows, columns);
  const hidden = set[GROUPINGS[grouping]].length - rows.length;
  if (hidden > 0) lines.push(`  … ${formatCount(hidden)} more rows (--top N, or --json for all)`);
  return lines;
}

export function formatDiff(result: DiffResult, grouping: keyof typeof GROUPINGS, top: number): string {
  const { identity } = result;
  const names = result.dumpCount === 3 ? ['before', 'after', 'later'] : ['before', 'after'];
  const lines = [
    `Compared ${result.dumpCount} dumps: ${names.map((name, i) => `${name} ${formatCount(result.objectCounts[i])} objects`).join(', ')}`,
    `Identity: ${formatCount(identity.traced)} matched on address + type + generation + site, ${formatCount(identity.weak)} on address + type + class only (weaker); ${formatCount(identity.addressReused)} reused addresses held a different object`,
    '',
    `New in after: ${formatCount(result.new.count)} objects, ${formatBytes(result.new.memsizeBytes)}`,
    `Freed since before: ${formatCount(result.freed.count)} objects, ${formatBytes(result.freed.memsizeBytes)}`,
  ];
  if (result.retained) {
    lines.push(`Likely retained (allocated between before and after, still alive in later): ${formatCount(result.retained.count)} objects, ${formatBytes(result.retained.memsizeBytes)}`);
    lines.push('', 'Likely retained:', ...tableOf(result.retained, grouping, top));
  }
  lines.push('', 'New in after:', ...tableOf(result.new, grouping, top));
  if (!result.retained) lines.push('', 'Freed since before:', ...tableOf(result.freed, grouping, top));
  return `${lines.join('\n')}\n`;
}

export function run(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, async (args) => {
    const paths = args.positionals;
    if (paths.length !== 2 && paths.length !== 3) throw new CliUsageError(`expected 2 or 3 dump files, got ${paths.length}`);
    const grouping = (args.by ?? 'allocation') as keyof typeof GROUPINGS;
    if (!Object.hasOwn(GROUPINGS, grouping)) throw new CliUsageError(`--by takes class, location, type or allocation, got ${JSON.stringify(args.by)}`);
    await checkDumpFiles(paths);
    const result = await computeDiff(paths);
    clearStatus(process.stderr);
    process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : formatDiff(result, grouping, args.top ?? DEFAULT_TOP));
    return 0;
  });
}
