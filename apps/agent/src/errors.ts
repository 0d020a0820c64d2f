/**
 * The agent's expected failures. Every route throws `ApiError` for a failure it
 * can name (a vanished pid, an unknown dump id, a Range past the end); the one
 * `onError` in app.ts turns it, and anything unexpected, into the JSON body
 * `{ "error": { "code", "message" } }` of @leakpilot/shared's agent API.
 *
 * Messages never contain a secret (the token) and never a path of the host
 * that the client did not already know.
 */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorBody, ApiErrorCode } from '@leakpilot/shared/api/agent-api.ts';

const STATUS_OF_CODE: Record<ApiErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  process_gone: 404,
  method_not_allowed: 405,
  range_not_satisfiable: 416,
  too_many_downloads: 429,
  too_many_streams: 429,
  internal: 500,
};

export class ApiError extends HTTPException {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly extraHeaders: Record<string, string> = {},
  ) {
    super(STATUS_OF_CODE[code], { message });
  }

  body(): ApiErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export function errorBody(code: ApiErrorCode, message: string): ApiErrorBody {
  return { error: { code, message } };
}

export function statusOf(code: ApiErrorCode): ContentfulStatusCode {
  return STATUS_OF_CODE[code];
}

/** Thrown by config parsing: a bad flag, a glob the matcher cannot handle. */
export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
}
