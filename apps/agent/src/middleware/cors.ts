/**
 * CORS for the configured origins and the agent's own, with Chromium's
 * Private Network Access preflight: a page on a public origin that fetches
 * the agent on loopback first sends `Access-Control-Request-Private-Network:
 * true`, and only an allowed origin gets `Access-Control-Allow-Private-Network`.
 * Any other origin gets no CORS headers at all (so the browser blocks the
 * read), and its preflight is answered 403. OPTIONS without an Origin is not
 * a preflight and gets 405 like every other non-GET method.
 */
import type { MiddlewareHandler } from 'hono';
import { errorBody } from '../errors.ts';

const ALLOWED_HEADERS = 'Authorization, Range, If-Range, If-None-Match, If-Modified-Since, Cache-Control, Last-Event-ID';
const EXPOSED_HEADERS = 'Content-Range, Content-Length, Content-Encoding, Content-Disposition, Accept-Ranges, ETag, Last-Modified';

export function cors(allowedOrigins: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('Origin');
    const allowed = origin !== undefined && allowedOrigins.has(origin);
    if (c.req.method === 'OPTIONS') {
      if (origin === undefined || c.req.header('Access-Control-Request-Method') === undefined) {
        return c.json(errorBody('method_not_allowed', 'OPTIONS is only answered as a CORS preflight'), 405, { Allow: 'GET, HEAD' });
      }
      if (!allowed) return c.json(errorBody('forbidden', `origin ${origin} is not allowed`), 403, { Vary: 'Origin' });
      const headers: Record<string, string> = {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'GET, HEAD',
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
        Vary: 'Origin, Access-Control-Request-Private-Network',
      };
      if (c.req.header('Access-Control-Request-Private-Network') === 'true') {
        headers['Access-Control-Allow-Private-Network'] = 'true';
      }
      return c.body(null, 204, headers);
    }
    await next();
    c.res.headers.append('Vary', 'Origin');
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
  };
}
