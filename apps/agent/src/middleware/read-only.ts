/**
 * The agent is read-only: GET (and HEAD, which Hono answers from the GET
 * handler without a body) everywhere, OPTIONS only as a CORS preflight (see
 * cors.ts); every other method is answered 405 with `Allow: GET, HEAD`,
 * whether or not the path exists, before any route or body parsing runs.
 */
import type { MiddlewareHandler } from 'hono';
import { errorBody } from '../errors.ts';

export function readOnly(): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    return c.json(errorBody('method_not_allowed', `${method} is not allowed: the agent is read-only`), 405, { Allow: 'GET, HEAD' });
  };
}
