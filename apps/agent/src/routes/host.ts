/** /api/v1/host: the machine, its memory (as `free -h` shows it), and which sources the agent has. */
import { Hono } from 'hono';
import {
  AGENT_API_VERSION,
  ESCALATE_RSS_BYTES,
  HIGH_RSS_BYTES,
  type HostResponse,
} from '@leakpilot/shared/api/agent-api.ts';
import type { AgentDeps } from '../deps.ts';
import { AGENT_VERSION } from '../version.ts';

export function hostRoutes(deps: AgentDeps): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const facts = deps.proc.host();
    const body: HostResponse = {
      ...facts,
      agentVersion: AGENT_VERSION,
      apiVersion: AGENT_API_VERSION,
      nowMs: deps.now(),
      match: deps.match.source,
      sources: {
        proc: deps.proc.available(),
        docker: await deps.docker.availability(),
        dumpGlobs: deps.dumps.globs.map((g) => g.source),
      },
      history: deps.sampler.ring.limits,
      thresholds: { highBytes: HIGH_RSS_BYTES, escalateBytes: ESCALATE_RSS_BYTES },
    };
    return c.json(body);
  });
  return app;
}
