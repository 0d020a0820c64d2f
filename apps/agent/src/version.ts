/** The agent's version, reported by /api/v1/host and /metrics. Bumped with apps/agent/package.json. */
export const AGENT_VERSION = '0.1.0';
