/**
 * The `leakpilot` command dispatcher: looks the first argument up in a table
 * of lazily imported command modules and runs it. Each command module exports
 * `run(argv): Promise<number>` and returns its exit status; nothing here calls
 * process.exit, so tests can call main() in-process.
 *
 * Commands are imported lazily so `leakpilot summary` never loads the agent's
 * server code; a command module that fails to load because it is missing
 * (a partial checkout) still gets a clear message instead of a stack.
 */
import { tuneV8ForParsing } from './shared-cli/v8-tuning.ts';

export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

/**
 * Checks what a lazily imported command module exports. Each `load` below is
 * a literal `import('./commands/x.ts')`, so esbuild bundles the commands into
 * the CLI bundle (bin/cli-bundle.mjs) and still evaluates a command's module
 * (and what it imports: the agent's server for `agent`) only when it runs.
 */
async function importCommand(load: () => Promise<unknown>, name: string): Promise<CommandModule> {
  const loaded = await load();
  if (typeof (loaded as Partial<CommandModule>).run !== 'function') {
    throw new TypeError(`commands/${name}.ts does not export run(argv)`);
  }
  return loaded as CommandModule;
}

export const COMMANDS: Record<string, CommandEntry> = {
  summary: { summary: 'what one dump holds: objects by type, class, site and generation; duplicate and large strings', load: () => importCommand(() => import('./commands/summary.ts'), 'summary') },
  diff: { summary: 'objects new and freed between 2 dumps; with 3, those still alive in the last (likely retained)', load: () => importCommand(() => import('./commands/diff.ts'), 'diff') },
  suspects: { summary: 'leak suspects of 3 dumps, ranked by retained bytes, with holder, path and hint', load: () => importCommand(() => import('./commands/suspects.ts'), 'suspects') },
  path: { summary: 'shortest retainer path from a ROOT line to one object, and its retained size', load: () => importCommand(() => import('./commands/path.ts'), 'path') },
  agent: { summary: 'run the LeakPilot agent (HTTP API for the web app)', load: () => importCommand(() => import('./commands/agent.ts'), 'agent') },
};

const EXAMPLES = [
  'leakpilot summary heap.json.gz',
  'leakpilot diff heap-1.json.gz heap-2.json.gz heap-3.json.gz',
  'leakpilot suspects heap-1.json.gz heap-2.json.gz heap-3.json.gz --json',
  'leakpilot path heap-3.json.gz 0x7f3a1c2b4d80',
  'leakpilot agent --port 7373',
];

export function usageText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'usage: leakpilot <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'examples:',
    ...EXAMPLES.map((example) => `  ${example}`),
    '',
    'Dumps are ObjectSpace.dump_all output, plain or gzip-compressed.',
    'Run `leakpilot <command> --help` (or `leakpilot help <command>`) for its options.',
    'Exit status: 0 done, 1 nothing found (path), 2 bad arguments or a file that is not a readable heap dump.',
    '',
  ].join('\n');
}

/** True when the command's own module is missing (not a module it imports). */
function isCommandModuleMissing(error: unknown, name: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(error.message);
  return notFound && error.message.includes(`commands/${name}`);
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest.length > 0) return main([rest[0], '--help']);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(usageText());
    return name === undefined ? 2 : 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    process.stderr.write(`leakpilot: unknown command "${name}"\n\n${usageText()}`);
    return 2;
  }
  let command: CommandModule;
  try {
    command = await entry.load();
  } catch (error) {
    if (!isCommandModuleMissing(error, name)) throw error;
    process.stderr.write(`leakpilot: the "${name}" command is not available yet in this build\n`);
    return 2;
  }
  tuneV8ForParsing();
  return command.run(rest);
}
