/** /api/v1/containers: running containers and their memory, or `available: false` with the reason. */
import { Hono } from 'hono';
import type { ContainersResponse } from '@leakpilot/shared/api/agent-api.ts';
import type { AgentDeps } from '../deps.ts';

export function containerRoutes(deps: AgentDeps): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    let body: ContainersResponse;
    try {
      body = await deps.docker.containers();
    } catch (error) {
      body = { available: false, reason: `Docker API failed: ${(error as Error).message}`, containers: [] };
    }
    return c.json(body);
  });
  return app;
}
