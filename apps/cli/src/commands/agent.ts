/**
 * `leakpilot agent [options]`: runs the read-only host agent in the
 * foreground until SIGINT or SIGTERM. The flags and the server live in
 * @leakpilot/agent (apps/agent/src/config.ts and server.ts); this module only
 * hands argv over, so `leakpilot agent` and the single-file build
 * (`node leakpilot-agent.mjs`) accept exactly the same options.
 */
import { runAgentCli } from '@leakpilot/agent/server.ts';

export async function run(argv: string[]): Promise<number> {
  return runAgentCli(argv);
}
