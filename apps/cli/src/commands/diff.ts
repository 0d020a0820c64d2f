/**
 * `leakpilot diff <before> <after> [<later>] [--json] [--top N] [--by class|location|type|allocation]`
 *
 * Objects new in `after` and freed since `before`; with a third dump, the
 * objects allocated between `before` and `after` that are still alive in
 * `later` ("likely retained"). Dumps are read in the memory-lean order of
 * SeriesDiffBuilder (after, before, later), identity columns only, so three
 * 1 GB dumps never sit in memory together. Every file is checked before the
 * first parse; failures and exit statuses are those of run-command.ts.
 */
import { SeriesDiffBuilder } from '@leakpilot/shared/diff/series-diff.ts';
import type { AllocationRow, DiffObjectSet, DiffResult, DiffRowTotals } from '@leakpilot/shared/diff/diff-types.ts';
import { formatBytes, formatCount, formatGrowth, formatTable, type Column } from '../series/format.ts';
import { loadSeriesDump } from '../series/series-dumps.ts';
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

examples:
  leakpilot diff heap-1.json.gz heap-2.json.gz
  leakpilot diff heap-1.json.gz heap-2.json.gz heap-3.json.gz --by class --top 5
  leakpilot diff heap-1.json heap-2.json heap-3.json --json > diff.json
`;

const SPEC: CommandSpec = { name: 'diff', usage: USAGE, options: ['json', 'top', 'by'] };
const DEFAULT_TOP = 15;

const GROUPINGS = { class: 'byClass', location: 'byLocation', type: 'byType', allocation: 'byAllocation' } as const;

export async function computeDiff(paths: string[]): Promise<DiffResult> {
  const builder = new SeriesDiffBuilder(await loadSeriesDump(paths, 1, false));
  builder.addBefore(await loadSeriesDump(paths, 0, false));
  if (paths[2] !== undefined) builder.addLater(await loadSeriesDump(paths, 2, false));
  showStatus(process.stderr, 'grouping the objects…');
  return builder.result();
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
