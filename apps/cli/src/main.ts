/**
 * The `leakpilot` command dispatcher: looks the first argument up in a table
 * of lazily imported command modules and runs it. Each command module exports
 * `run(argv): Promise<number>` and returns its exit status; nothing here calls
 * process.exit, so tests can call main() in-process.
 *
 * Commands are imported lazily so `leakpilot summary` never loads the agent's
 * server code, and so a command whose module does not exist yet (owned by
 * another engineer) fails with a clear message instead of breaking the rest.
 */
export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

/**
 * Imports a command module by path relative to this file. The specifier is a
 * computed string on purpose: commands owned by other engineers may not exist
 * yet, and a literal `import('./commands/x.ts')` of a missing file would fail
 * the whole repository's typecheck instead of just that one command.
 */
async function importCommand(relativePath: string): Promise<CommandModule> {
  const loaded: unknown = await import(new URL(relativePath, import.meta.url).href);
  if (typeof (loaded as Partial<CommandModule>).run !== 'function') {
    throw new TypeError(`${relativePath} does not export run(argv)`);
  }
  return loaded as CommandModule;
}

export const COMMANDS: Record<string, CommandEntry> = {
  summary: { summary: 'counts, classes, sites, duplicate and large strings of one dump', load: () => importCommand('./commands/summary.ts') },
  diff: { summary: 'objects new between dumps and still alive in the last', load: () => importCommand('./commands/diff.ts') },
  suspects: { summary: 'ranked leak suspects across a series of dumps', load: () => importCommand('./commands/suspects.ts') },
  path: { summary: 'retainer path from a root to an object', load: () => importCommand('./commands/path.ts') },
  agent: { summary: 'run the LeakPilot agent (HTTP API for the web app)', load: () => importCommand('./commands/agent.ts') },
};

export function usageText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return ['usage: leakpilot <command> [options]', '', 'commands:', ...lines, '', 'Run `leakpilot <command> --help` for its options.', ''].join('\n');
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
  return command.run(rest);
}
