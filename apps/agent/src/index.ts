/** The @leakpilot/agent package: the app factory, its dependencies and the server. */
export { createApp, ownOrigins } from './app.ts';
export { parseAgentArgs, AGENT_USAGE, DEFAULT_MATCH, type AgentConfig } from './config.ts';
export { createDefaultDeps, type AgentDeps, type DepsOverrides } from './deps.ts';
export { runAgentCli, startAgent, type CliIo, type RunningAgent } from './server.ts';
