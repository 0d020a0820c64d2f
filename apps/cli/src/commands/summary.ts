/**
 * `leakpilot summary <dump> [--json] [--top N]`: what one heap dump holds:
 * objects by type, class, allocation location and generation, duplicate
 * strings, large strings and objects, and the parse's problem report.
 * Human-readable tables by default; `--json` prints `summarize()`'s result.
 *
 * Exit status: 0 done; 2 for bad arguments, a missing file or a file that is
 * not a heap dump (message on stderr; see run-command.ts).
 */
import { summarize, type DumpSummary } from '@leakpilot/shared/analyses/summary.ts';
import { formatBytes, formatCount, formatTable, type Column } from '../series/format.ts';
import { checkDumpFile } from '../shared-cli/check-dump-files.ts';
import { CliUsageError } from '../shared-cli/command-args.ts';
import { loadDumpFile } from '../shared-cli/load-dump.ts';
import { clearStatus, showStatus } from '../shared-cli/progress.ts';
import { runCommand, type CommandSpec } from '../shared-cli/run-command.ts';

const USAGE = `usage: leakpilot summary <dump> [--json] [--top N]

  What one heap dump (ObjectSpace.dump_all output, plain or .gz) holds:
  objects by type, class, allocation location and generation, duplicate
  strings, strings over 1,000 bytes and objects over 100,000 bytes.
  --json   print one JSON object instead of tables
  --top N  rows per list (default 20)

examples:
  leakpilot summary heap.json.gz
  leakpilot summary heap.json --top 5
  leakpilot summary heap.json.gz --json > summary.json
`;

const SPEC: CommandSpec = { name: 'summary', usage: USAGE, options: ['json', 'top'] };
const DEFAULT_TOP = 20;

interface CountedRow {
  count: number;
  memsizeBytes: number;
}

function countColumns<T extends CountedRow>(): Array<Column<T>> {
  return [
    { title: 'Objects', align: 'right', cell: (row) => formatCount(row.count) },
    { title: 'Memsize', align: 'right', cell: (row) => formatBytes(row.memsizeBytes) },
  ];
}

function section(title: string, lines: string[]): string[] {
  return lines.length <= 1 ? [title, '  (none)', ''] : [title, ...lines, ''];
}

export function formatSummary(path: string, summary: DumpSummary): string {
  const out: string[] = [
    `${path}`,
    `  ${formatCount(summary.objects)} objects, ${formatBytes(summary.memsizeBytes)} memsize, ${formatCount(summary.references)} references, ${formatBytes(summary.bytes)} of JSON`,
    `  ${formatCount(summary.tracedObjects)} objects with allocation info; ${summary.rootLines} ROOT lines; Ruby format ${summary.rubyFormat}` +
      (summary.freeSlotLines > 0 ? `; ${formatCount(summary.freeSlotLines)} free-slot lines` : ''),
    summary.problems.count === 0
      ? '  no problem lines'
      : `  ${formatCount(summary.problems.count)} problem lines: ${Object.entries(summary.problems.countByReason).map(([reason, count]) => `${reason} ${count}`).join(', ')}`,
    '',
  ];
  const top = summary.options.top;
  out.push(...section('Objects by type', formatTable(summary.byType, [{ title: 'Type', align: 'left', cell: (row) => row.type }, ...countColumns()])));
  out.push(...section(`Top ${top} classes by memsize`, formatTable(summary.byClass, [...countColumns(), { title: 'Class', align: 'left', cell: (row) => row.className }])));
  out.push(
    ...section(`Top ${top} allocation locations by memsize`, formatTable(summary.byLocation, [...countColumns(), { title: 'Location', align: 'left', cell: (row) => row.location }])),
  );
  out.push(
    ...section(
      `Top ${top} duplicate strings by wasted bytes`,
      formatTable(summary.duplicateStrings, [
        { title: 'Copies', align: 'right', cell: (row) => formatCount(row.count) },
        { title: 'Wasted', align: 'right', cell: (row) => formatBytes(row.wastedBytes) },
        { title: 'Value', align: 'left', cell: (row) => JSON.stringify(row.value) + (row.valueBytes > row.value.length ? '…' : '') },
      ]),
    ),
  );
  out.push(
    ...section(
      `Strings over ${formatCount(summary.options.largeStringBytes)} bytes (largest ${top})`,
      formatTable(summary.largeStrings, [
        { title: 'Bytes', align: 'right', cell: (row) => formatCount(row.bytesize) },
        { title: 'Address', align: 'left', cell: (row) => row.address },
        { title: 'Location', align: 'left', cell: (row) => row.location },
        { title: 'Value', align: 'left', cell: (row) => (row.value === null ? '' : `${JSON.stringify(row.value.slice(0, 40))}…`) },
      ]),
    ),
  );
  out.push(
    ...section(
      `Objects over ${formatCount(summary.options.largeObjectBytes)} bytes of memsize (largest ${top})`,
      formatTable(summary.largeObjects, [
        { title: 'Memsize', align: 'right', cell: (row) => formatBytes(row.memsizeBytes) },
        { title: 'Address', align: 'left', cell: (row) => row.address },
        { title: 'Type', align: 'left', cell: (row) => row.type },
        { title: 'Class', align: 'left', cell: (row) => row.className },
        { title: 'Location', align: 'left', cell: (row) => row.location },
      ]),
    ),
  );
  out.push(
    ...section(
      'Objects by generation (GC.count at allocation)',
      formatTable(summary.byGeneration, [{ title: 'Generation', align: 'right', cell: (row) => (row.generation === null ? 'untraced' : String(row.generation)) }, ...countColumns()]),
    ),
  );
  for (const problem of summary.problems.samples.slice(0, 5)) {
    out.push(`problem at line ${problem.line} (${problem.reason}${problem.recovered ? ', object kept' : ', line skipped'}): ${problem.message}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function run(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, async (args) => {
    if (args.positionals.length !== 1) throw new CliUsageError(`summary takes exactly one dump, got ${args.positionals.length}`);
    const [path] = args.positionals;
    await checkDumpFile(path);
    const dump = await loadDumpFile(path);
    showStatus(process.stderr, 'counting by type, class, site and generation…');
    const summary = summarize(dump, { top: args.top ?? DEFAULT_TOP });
    clearStatus(process.stderr);
    process.stdout.write(args.json ? `${JSON.stringify(summary)}\n` : formatSummary(path, summary));
    return 0;
  });
}
