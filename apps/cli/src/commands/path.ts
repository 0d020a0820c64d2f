/**
 * `leakpilot path <dump> <address> [--json]`
 *
 * The shortest retainer path from a ROOT line to one object (breadth-first
 * over retaining references), each hop with its class, type and how it holds
 * the next, plus the object's retained size. Exit status 1 when the address
 * is not in the dump or no ROOT line reaches it; 2 for a malformed address
 * (checked before the dump is parsed) and the input errors of
 * run-command.ts.
 */
import { EngineSession } from '@leakpilot/shared/api/engine.ts';
import type { ObjectInspection } from '@leakpilot/shared/api/engine-api.ts';
import { ObjectNotFoundError } from '@leakpilot/shared/api/engine-errors.ts';
import { formatBytes, formatCount } from '../series/format.ts';
import { formatPathLines } from '../series/format-path.ts';
import { checkDumpFile } from '../shared-cli/check-dump-files.ts';
import { CliUsageError } from '../shared-cli/command-args.ts';
import { loadDumpFile } from '../shared-cli/load-dump.ts';
import { clearStatus, showStatus } from '../shared-cli/progress.ts';
import { EXIT_NOTHING_FOUND, runCommand, type CommandSpec } from '../shared-cli/run-command.ts';

const USAGE = `usage: leakpilot path <dump> <address> [--json]

  The shortest path from a ROOT line to the object at <address> (0x…), each
  hop with its class, type and how it holds the next one.
  --json   print the object inspection (pathToRoot, retainers, retainedBytes...)
  Exit status 1 when the dump has no object at <address> or no ROOT line
  reaches it.

examples:
  leakpilot path heap-3.json.gz 0x7f3a1c2b4d80
  leakpilot path heap-3.json 0x7f3a1c2b4d80 --json
`;

const SPEC: CommandSpec = { name: 'path', usage: USAGE, options: ['json'] };
const ADDRESS = /^0x[0-9a-f]+$/i;

export function run(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, async (args) => {
    if (args.positionals.length !== 2) throw new CliUsageError(`expected a dump file and an address, got ${args.positionals.length} arguments`);
    const [dumpPath, address] = args.positionals;
    if (!ADDRESS.test(address)) throw new CliUsageError(`the address must be 0x followed by hex digits, as in the dump's "address" field; got ${JSON.stringify(address)}`);
    await checkDumpFile(dumpPath);
    const session = new EngineSession();
    session.addDump('dump', await loadDumpFile(dumpPath, { references: true }));
    showStatus(process.stderr, 'finding the shortest path from a ROOT line and the retained size…');
    let inspection: ObjectInspection;
    try {
      inspection = session.inspect('dump', address);
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
      clearStatus(process.stderr);
      process.stderr.write(`leakpilot path: no object at ${error.address} in ${dumpPath}\n`);
      return EXIT_NOTHING_FOUND;
    }
    clearStatus(process.stderr);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(inspection, null, 2)}\n`);
      return inspection.pathToRoot.length > 0 ? 0 : EXIT_NOTHING_FOUND;
    }
    const lines = [
      `${inspection.className} (${inspection.type}) ${inspection.address}${inspection.location ? ` allocated at ${inspection.location}` : ''}`,
      `${formatBytes(inspection.memsizeBytes)} self, ${formatBytes(inspection.retainedBytes)} retained, ${formatCount(inspection.retainerCount)} retainer${inspection.retainerCount === 1 ? '' : 's'}`,
      '',
    ];
    if (inspection.pathToRoot.length === 0) {
      lines.push('No ROOT line reaches this object: it is garbage the GC had not swept yet (or the dump has no ROOT lines).');
      process.stdout.write(`${lines.join('\n')}\n`);
      return EXIT_NOTHING_FOUND;
    }
    lines.push(`Shortest path from a ROOT line (${inspection.pathToRoot.length - 1} hops):`, ...formatPathLines(inspection.pathToRoot));
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  });
}
