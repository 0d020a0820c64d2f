/**
 * AgentClient: a typed fetch client for one LeakPilot agent (apps/agent),
 * using the response types of packages/shared/src/api/agent-api.ts.
 *
 * - The bearer token goes in `Authorization` on every request (never in a URL).
 * - Every failure is an AgentError whose message a person can act on:
 *   unreachable (agent down or tunnel down), wrong token, CORS not allowed for
 *   this origin (told apart from "unreachable" by a no-cors probe: an opaque
 *   answer means the agent is up but refuses this origin), and the agent's own
 *   JSON errors.
 * - `streamHistory` follows /api/v1/history/stream with fetch streaming (not
 *   EventSource, which cannot send the token) and reconnects until aborted.
 */
import {
  AGENT_ROUTES,
  HISTORY_STREAM_EVENT,
  isApiErrorBody,
  type ContainersResponse,
  type DumpsResponse,
  type HistoryResponse,
  type HistorySampleEvent,
  type HostResponse,
  type ProcessDetailResponse,
  type ProcessesResponse,
} from '@leakpilot/shared/api/agent-api.ts';
import { AgentError, httpFailure, networkFailureMessage } from './agent-errors.ts';
import { SseParser, readEventStream } from './sse-reader.ts';

export interface AgentConnection {
  /** e.g. http://127.0.0.1:7373 (no trailing slash needed) */
  baseUrl: string;
  /** bearer token, or null when the agent runs on loopback without one */
  token: string | null;
}

export interface AgentClientOptions {
  fetch?: typeof fetch;
  /** per-request timeout for JSON requests; default 15 s */
  timeoutMs?: number;
  /** the page's origin, for the CORS message; default location.origin in a browser */
  pageOrigin?: string | null;
}

export interface HistoryQuery {
  pids?: number[];
  sinceMs?: number;
}

export interface HistoryStreamOptions {
  signal: AbortSignal;
  onSample: (sample: HistorySampleEvent) => void;
  /** told about each failed connection; the stream retries after `retryMs` */
  onError?: (error: AgentError) => void;
  /** delay before reconnecting; default 3 s, or what the server's `retry:` says */
  retryMs?: number;
}

export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '');
}

export class AgentClient {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly pageOrigin: string | null;

  constructor(
    private readonly connection: AgentConnection,
    options: AgentClientOptions = {},
  ) {
    this.baseUrl = normalizeBaseUrl(connection.baseUrl);
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.pageOrigin = options.pageOrigin !== undefined ? options.pageOrigin : (globalThis.location?.origin ?? null);
  }

  /** Headers for any request to this agent (also used by downloads and the engine worker). */
  authHeaders(): Record<string, string> {
    return this.connection.token ? { authorization: `Bearer ${this.connection.token}` } : {};
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /** The URL of a dump's bytes (send authHeaders() with it). */
  dumpUrl(dumpId: string): string {
    return this.url(AGENT_ROUTES.dump(dumpId));
  }

  private isCrossOrigin(): boolean {
    if (!this.pageOrigin) return false;
    try {
      return new URL(this.baseUrl).origin !== this.pageOrigin;
    } catch {
      return false;
    }
  }

  /** Classifies a fetch that threw (no HTTP response at all). */
  private async networkFailure(error: unknown, signal: AbortSignal | undefined): Promise<AgentError> {
    if (signal?.aborted) return new AgentError('aborted', 'The request was cancelled.');
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      return new AgentError('timeout', networkFailureMessage('timeout', this.baseUrl, this.pageOrigin));
    }
    if (this.isCrossOrigin()) {
      try {
        // An opaque answer to a no-cors request proves the agent is up: the real request was refused by CORS.
        await this.fetchImpl(this.url(AGENT_ROUTES.host), { mode: 'no-cors', signal: AbortSignal.timeout(5_000) });
        return new AgentError('cors', networkFailureMessage('cors', this.baseUrl, this.pageOrigin));
      } catch {
        // unreachable either way
      }
    }
    return new AgentError('unreachable', networkFailureMessage('unreachable', this.baseUrl, this.pageOrigin));
  }

  /** Sends a GET with the token and returns the response if it is 2xx, else throws an AgentError. */
  async request(path: string, init: { signal?: AbortSignal; headers?: Record<string, string>; timeoutMs?: number | null } = {}): Promise<Response> {
    const timeoutMs = init.timeoutMs === undefined ? this.timeoutMs : init.timeoutMs;
    const signals = [init.signal, timeoutMs === null ? undefined : AbortSignal.timeout(timeoutMs)].filter((s): s is AbortSignal => s !== undefined);
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path), {
        headers: { ...this.authHeaders(), ...init.headers },
        signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
      });
    } catch (error) {
      throw await this.networkFailure(error, init.signal);
    }
    if (response.ok) return response;
    let code = null;
    let detail = null;
    try {
      const body: unknown = await response.json();
      if (isApiErrorBody(body)) {
        code = body.error.code;
        detail = body.error.message;
      }
    } catch {
      // not a JSON error body: the status says enough
    }
    throw httpFailure(response.status, code, detail, this.baseUrl);
  }

  private async getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
    const response = await this.request(path, { signal });
    try {
      return (await response.json()) as T;
    } catch {
      throw new AgentError('bad-response', `${this.baseUrl} answered, but not with LeakPilot agent data. Is this URL really a LeakPilot agent?`, response.status);
    }
  }

  host(signal?: AbortSignal): Promise<HostResponse> {
    return this.getJson<HostResponse>(AGENT_ROUTES.host, signal);
  }

  processes(match?: string, signal?: AbortSignal): Promise<ProcessesResponse> {
    const query = match ? `?match=${encodeURIComponent(match)}` : '';
    return this.getJson<ProcessesResponse>(`${AGENT_ROUTES.processes}${query}`, signal);
  }

  process(pid: number, signal?: AbortSignal): Promise<ProcessDetailResponse> {
    return this.getJson<ProcessDetailResponse>(AGENT_ROUTES.process(pid), signal);
  }

  containers(signal?: AbortSignal): Promise<ContainersResponse> {
    return this.getJson<ContainersResponse>(AGENT_ROUTES.containers, signal);
  }

  history(query: HistoryQuery = {}, signal?: AbortSignal): Promise<HistoryResponse> {
    const params = new URLSearchParams();
    for (const pid of query.pids ?? []) params.append('pid', String(pid));
    if (query.sinceMs !== undefined) params.set('since', String(Math.floor(query.sinceMs)));
    const search = params.size > 0 ? `?${params}` : '';
    return this.getJson<HistoryResponse>(`${AGENT_ROUTES.history}${search}`, signal);
  }

  dumps(signal?: AbortSignal): Promise<DumpsResponse> {
    return this.getJson<DumpsResponse>(AGENT_ROUTES.dumps, signal);
  }

  /** Checks URL and token: resolves with the host info, or rejects with an actionable AgentError. */
  async testConnection(signal?: AbortSignal): Promise<HostResponse> {
    const host = await this.host(signal);
    if (typeof host !== 'object' || host === null || typeof host.apiVersion !== 'number') {
      throw new AgentError('bad-response', `${this.baseUrl} answered, but not like a LeakPilot agent. Check the URL and port.`);
    }
    return host;
  }

  /**
   * Follows the live history stream until `signal` aborts, reconnecting after
   * each dropped connection. Resolves when aborted; never rejects.
   */
  async streamHistory(options: HistoryStreamOptions): Promise<void> {
    let retryMs = options.retryMs ?? 3_000;
    while (!options.signal.aborted) {
      const parser = new SseParser();
      try {
        const response = await this.request(AGENT_ROUTES.historyStream, {
          signal: options.signal,
          headers: { accept: 'text/event-stream' },
          timeoutMs: null,
        });
        if (!response.body) throw new AgentError('bad-response', 'The history stream had no body.');
        await readEventStream(
          response.body,
          (event) => {
            if (event.event !== HISTORY_STREAM_EVENT) return;
            try {
              options.onSample(JSON.parse(event.data) as HistorySampleEvent);
            } catch {
              options.onError?.(new AgentError('bad-response', 'The agent sent a history sample that is not valid JSON.'));
            }
          },
          options.signal,
          parser,
        );
      } catch (error) {
        if (options.signal.aborted) return;
        options.onError?.(error instanceof AgentError ? error : new AgentError('unreachable', (error as Error).message));
      }
      if (parser.retryMs !== null) retryMs = parser.retryMs;
      if (options.signal.aborted) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, retryMs);
        options.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  }
}
