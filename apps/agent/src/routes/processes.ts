/**
 * /api/v1/processes?match=REGEX: matched processes by RSS, and
 * /api/v1/processes/:pid: one process with its file descriptor breakdown.
 */
import { Hono } from 'hono';
import type { ProcessDetailResponse, ProcessesResponse } from '@leakpilot/shared/api/agent-api.ts';
import { compileMatch } from '../config.ts';
import type { AgentDeps } from '../deps.ts';
import { AgentConfigError, ApiError } from '../errors.ts';

function matchFromQuery(query: string | undefined, fallback: RegExp): RegExp {
  if (query === undefined || query === '') return fallback;
  try {
    return compileMatch(query);
  } catch (error) {
    if (error instanceof AgentConfigError) throw new ApiError('bad_request', error.message.replace('--match', 'match'));
    throw error;
  }
}

export function processRoutes(deps: AgentDeps): Hono {
  const app = new Hono();

  app.get('/', (c) => {
    const match = matchFromQuery(c.req.query('match'), deps.match);
    const body: ProcessesResponse = { match: match.source, sampledAtMs: deps.now(), processes: deps.proc.list(match) };
    return c.json(body);
  });

  app.get('/:pid', (c) => {
    const raw = c.req.param('pid');
    if (!/^\d{1,10}$/.test(raw) || Number(raw) === 0) throw new ApiError('bad_request', `not a pid: ${raw.slice(0, 40)}`);
    const body: ProcessDetailResponse = { sampledAtMs: deps.now(), process: deps.proc.detail(Number(raw)) };
    return c.json(body);
  });

  return app;
}
