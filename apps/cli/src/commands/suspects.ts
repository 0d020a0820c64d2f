/**
 * `leakpilot suspects <before> <after> <later> [--json] [--top N]`
 *
 * The leak-suspects report (packages/shared/src/analyses/suspects.ts): the
 * likely-retained objects grouped by what holds them, ranked by the bytes a
 * fix would free, each with its growth over the three dumps, the allocation
 * sites involved, one retainer path from a ROOT line and a hint. Only
 * <later> is read with its references (it is the graph that is searched);
 * `after` and `before` are parsed identity-only into DumpDigests
 * (series-digests.ts), one at a time, each in a worker that posts back only
 * the digest, so beside <later> there is at most one older dump's parse. Every file is checked
 * before the first parse; failures and exit statuses are those of
 * run-command.ts.
 */
import { suspectsFromDiff, type Suspect, type SuspectsReport } from '@leakpilot/shared/analyses/suspects.ts';
import { SeriesDiffBuilder } from '@leakpilot/shared/diff/series-diff.ts';
import { shortLocation } from '@leakpilot/shared/analyses/app-root.ts';
import { formatBytes, formatCount, formatGrowth } from '../series/format.ts';
import { formatPathLine } from '../series/format-path.ts';
import { collectGarbage } from '../series/collect-garbage.ts';
import { SeriesDigests } from '../series/series-digests.ts';
import { loadSeriesDump } from '../series/series-dumps.ts';
import { checkDumpFiles } from '../shared-cli/check-dump-files.ts';
import { CliUsageError } from '../shared-cli/command-args.ts';
import { clearStatus, showStatus } from '../shared-cli/progress.ts';
import { runCommand, type CommandSpec } from '../shared-cli/run-command.ts';

const USAGE = `usage: leakpilot suspects <before> <after> <later> [--json] [--top N]

  Objects allocated between <before> and <after> and still alive in <later>,
  grouped by what holds them and ranked by the bytes a fix would free.
  --json   print the report (suspects ranked, each with title, count,
           retainedBytes, classNames, locations, retainerPath, hint)
  --top N  suspects to show (default 15)

examples:
  leakpilot suspects heap-1.json.gz heap-2.json.gz heap-3.json.gz
  leakpilot suspects heap-1.json heap-2.json heap-3.json --top 3
  leakpilot suspects heap-1.json heap-2.json heap-3.json --json > suspects.json
`;

const SPEC: CommandSpec = { name: 'suspects', usage: USAGE, options: ['json', 'top'] };
const DEFAULT_TOP = 15;

const PATTERN_NAMES: Record<Suspect['pattern'], string> = {
  'file-descriptors': 'file descriptors retained',
  'growing-cache-hash': 'cache Hash that only grows',
  'event-accumulation': 'events accumulating',
  'class-level-holder': 'held at class level',
  'large-strings': 'large strings retained',
  unclassified: 'unclassified',
};

export async function computeSuspects(paths: string[], limit: number): Promise<SuspectsReport> {
  const later = await loadSeriesDump(paths, 2, true);
  const digests = new SeriesDigests(paths, [1, 0], 1);
  try {
    const builder = await digests.use(1, (after) => new SeriesDiffBuilder(after));
    await digests.use(0, (before) => builder.addBefore(before));
    collectGarbage();
    builder.addLater(later);
    showStatus(process.stderr, 'finding what holds the retained objects (dominators, retainer paths)…');
    return suspectsFromDiff(builder, later, { limit });
  } finally {
    await digests.close();
  }
}

function formatSuspect(suspect: Suspect, appRoot: string | null): string[] {
  const sites = suspect.allocations
    .slice(0, 4)
    .map((row) => `${formatCount(row.count)} ${row.className} at ${shortLocation(row.location, appRoot)}`)
    .join('; ');
  const more = suspect.locations.length > 4 ? `; … ${suspect.locations.length - 4} more sites` : '';
  return [
    `#${suspect.rank}  ${suspect.title}`,
    `    ${formatBytes(suspect.retainedBytes)} retained · ${formatCount(suspect.count)} objects · live per dump ${formatGrowth(suspect.growth)} · ${PATTERN_NAMES[suspect.pattern]}`,
    `    Allocated: ${sites}${more}`,
    `    Path: ${formatPathLine(suspect.retainerPath)}`,
    `    Hint: ${suspect.hint}`,
  ];
}

export function formatSuspects(report: SuspectsReport): string {
  const lines = [
    `Leak suspects: ${formatCount(report.retainedCount)} objects (${formatBytes(report.retainedMemsizeBytes)}) allocated between dump 1 and dump 2 are still alive in dump 3, in ${formatCount(report.clusterCount)} groups by holder.`,
    `Identity: ${formatCount(report.identity.traced)} matched with allocation info, ${formatCount(report.identity.weak)} without (weaker). "Likely retained", not proof of a leak.`,
    ...(report.appRoot ? [`App root: ${report.appRoot} (sites below are relative to it)`] : []),
    '',
  ];
  for (const suspect of report.suspects) lines.push(...formatSuspect(suspect, report.appRoot), '');
  if (report.suspects.length === 0) lines.push('No object allocated between dump 1 and dump 2 is alive in dump 3: nothing points to a leak in this window.');
  return `${lines.join('\n').trimEnd()}\n`;
}

export function run(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, async (args) => {
    const paths = args.positionals;
    if (paths.length !== 3) throw new CliUsageError(`expected 3 dump files (before, after, later), got ${paths.length}`);
    await checkDumpFiles(paths);
    const report = await computeSuspects(paths, args.top ?? DEFAULT_TOP);
    clearStatus(process.stderr);
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatSuspects(report));
    return 0;
  });
}
