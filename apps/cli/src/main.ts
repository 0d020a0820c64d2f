/**
 * The `leakpilot` command dispatcher: parses the first argument and runs one
 * subcommand. Every subcommand returns its exit status; nothing here calls
 * process.exit, so tests can call main() in-process.
 */
export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  process.stderr.write(`leakpilot: unknown command ${command ?? ''}\n`);
  return 2;
}
