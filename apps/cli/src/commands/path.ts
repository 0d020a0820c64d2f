/**
 * `leakpilot path <dump> <address> [--json]`
 *
 * The shortest retainer path from a ROOT line to one object (breadth-first
 * over retaining references), each hop with its class, type and how it holds
 * the next, plus the object's retained size. Exit status 1 when the address
 * is not in the dump or no ROOT line reaches it.
 */
import { EngineSession } from '@leakpilot/shared/api/engine.ts';
import type { ObjectInspection } from '@leakpilot/shared/api/engine-api.ts';
import { ObjectNotFoundError } from '@leakpilot/shared/api/engine-errors.ts';
import { formatBytes, formatCount } from '../series/format.ts';
import { formatPathLines } from '../series/format-path.ts';
import { CliUsageError, loadDump, runSeriesCommand } from '../series/series-args.ts';

const USAGE = `usage: leakpilot path <dump> <address> [--json]

  The shortest path from a ROOT line to the object at <address> (0x…), each
  hop with its class, type and how it holds the next one.
  --json   print the object inspection (pathToRoot, retainers, retainedBytes...)
`;

export function run(argv: string[]): Promise<number> {
  return runSeriesCommand('path', USAGE, argv, async (args) => {
    if (args.paths.length !== 2) throw new CliUsageError('expected a dump file and an address');
    const [dumpPath, address] = args.paths;
    const session = new EngineSession();
    session.addDump('dump', await loadDump(dumpPath, true));
    let inspection: ObjectInspection;
    try {
      inspection = session.inspect('dump', address);
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
      process.stderr.write(`leakpilot path: no object at ${error.address} in ${dumpPath}\n`);
      return 1;
    }
    if (args.json) {
      process.stdout.write(`${JSON.stringify(inspection, null, 2)}\n`);
      return inspection.pathToRoot.length > 0 ? 0 : 1;
    }
    const lines = [
      `${inspection.className} (${inspection.type}) ${inspection.address}${inspection.location ? ` allocated at ${inspection.location}` : ''}`,
      `${formatBytes(inspection.memsizeBytes)} self, ${formatBytes(inspection.retainedBytes)} retained, ${formatCount(inspection.retainerCount)} retainer${inspection.retainerCount === 1 ? '' : 's'}`,
      '',
    ];
    if (inspection.pathToRoot.length === 0) {
      lines.push('No ROOT line reaches this object: it is garbage the GC had not swept yet (or the dump has no ROOT lines).');
      process.stdout.write(`${lines.join('\n')}\n`);
      return 1;
    }
    lines.push(`Shortest path from a ROOT line (${inspection.pathToRoot.length - 1} hops):`, ...formatPathLines(inspection.pathToRoot));
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  });
}
