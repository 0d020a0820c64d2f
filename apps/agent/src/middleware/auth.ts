/**
 * Bearer-token check for /api and /metrics. The token is compared in constant
 * time: both sides are hashed with SHA-256 first, so timingSafeEqual always
 * compares 32 bytes and the comparison leaks neither content nor length. The
 * token is never logged and never echoed in an error.
 *
 * `?access_token=` is accepted as well (RFC 6750 §2.3) because EventSource
 * and plain download links cannot set an Authorization header.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { errorBody } from '../errors.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function tokenMatches(expectedDigest: Buffer, given: string | undefined): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(expectedDigest, digest(given));
}

export function bearerAuth(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('Authorization');
    const fromHeader = header !== undefined && /^Bearer /i.test(header) ? header.slice(7).trim() : undefined;
    const given = fromHeader ?? c.req.query('access_token');
    if (!tokenMatches(expected, given)) {
      return c.json(errorBody('unauthorized', 'a valid bearer token is required'), 401, {
        'WWW-Authenticate': 'Bearer realm="leakpilot-agent"',
      });
    }
    return next();
  };
}
