/**
 * What went wrong talking to an agent, in words a person can act on. The
 * kinds map the failures people actually meet: the agent is not running or
 * the tunnel is down (`unreachable`), the token is wrong or missing
 * (`unauthorized`), the agent does not allow this page's origin (`cors`), a
 * process exited (`process-gone`), and the rest. `message` is the sentence to
 * show; `detail` the server's own message when there is one.
 */
import type { ApiErrorCode } from '@leakpilot/shared/api/agent-api.ts';

export type AgentErrorKind =
  | 'unreachable'
  | 'cors'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'process-gone'
  | 'busy'
  | 'range'
  | 'server'
  | 'bad-response'
  | 'timeout'
  | 'aborted';

export class AgentError extends Error {
  override readonly name = 'AgentError';
  constructor(
    readonly kind: AgentErrorKind,
    message: string,
    /** HTTP status, when a response came back */
    readonly status: number | null = null,
    /** the agent's error code from its JSON error body */
    readonly code: ApiErrorCode | null = null,
    /** the agent's own message, for the curious */
    readonly detail: string | null = null,
  ) {
    super(message);
  }
}

/** The sentence for a failure with no HTTP response. */
export function networkFailureMessage(kind: 'unreachable' | 'cors' | 'timeout', baseUrl: string, pageOrigin: string | null): string {
  switch (kind) {
    case 'unreachable':
      return `Cannot reach the agent at ${baseUrl}. Is it running (npx leakpilot agent), and if it is on another machine, is the SSH tunnel up (ssh -N -L 7373:127.0.0.1:7373 user@host)?`;
    case 'cors':
      return `The agent at ${baseUrl} is running but does not allow this page (${pageOrigin ?? 'this origin'}). Restart it with --allow-origin ${pageOrigin ?? '<this page origin>'}, or open the app the agent serves itself at ${baseUrl}/.`;
    case 'timeout':
      return `The agent at ${baseUrl} did not answer in time. It may be overloaded, or the network or tunnel is very slow.`;
  }
}

/** The sentence for an HTTP error status (with the agent's error code when it sent one). */
export function httpFailure(status: number, code: ApiErrorCode | null, detail: string | null, baseUrl: string): AgentError {
  if (status === 401 || code === 'unauthorized') {
    return new AgentError('unauthorized', `The agent at ${baseUrl} refused the token. Check the token (it is printed when the agent starts with --token or generates one) and edit this host.`, status, code, detail);
  }
  if (status === 403 || code === 'forbidden') {
    return new AgentError('forbidden', `The agent at ${baseUrl} refused this request${detail ? `: ${detail}` : ''}.`, status, code, detail);
  }
  if (code === 'process_gone') {
    return new AgentError('process-gone', `That process has exited or is not visible to the agent${detail ? ` (${detail})` : ''}.`, status, code, detail);
  }
  if (status === 404 || code === 'not_found') {
    return new AgentError('not-found', `Not found on the agent${detail ? `: ${detail}` : ''}. The file or process may be gone; refresh the list.`, status, code, detail);
  }
  if (status === 416 || code === 'range_not_satisfiable') {
    return new AgentError('range', 'The agent could not resume this download from where it stopped (the file changed or shrank). Start the download again.', status, code, detail);
  }
  if (status === 429 || status === 503 || code === 'too_many_downloads') {
    return new AgentError('busy', `The agent at ${baseUrl} is busy (too many downloads at once). Try again in a moment.`, status, code, detail);
  }
  return new AgentError('server', `The agent at ${baseUrl} answered with an error (HTTP ${status})${detail ? `: ${detail}` : ''}.`, status, code, detail);
}
