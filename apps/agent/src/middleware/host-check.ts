/**
 * DNS-rebinding guard for an agent on loopback: a web page can make its own
 * host name resolve to 127.0.0.1 and then read the agent as "same origin".
 * The browser still sends that page's name in Host, so on loopback only
 * loopback Host names are accepted. Off loopback the token does this job.
 */
import type { MiddlewareHandler } from 'hono';
import { errorBody } from '../errors.ts';
import { isLoopbackHost } from '../config.ts';

export function loopbackHostOnly(): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('Host') ?? new URL(c.req.url).host;
    const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
    if (!isLoopbackHost(name)) {
      return c.json(errorBody('forbidden', `Host ${name} is not a loopback name`), 403);
    }
    return next();
  };
}
