/**
 * /api/v1/history?pid=&since=: the sampled series with growth rates and
 * flags; /api/v1/history/stream: each new sample as a server-sent event
 * (`event: sample`, JSON data), with a comment line every 15 s so proxies
 * keep the connection open. Concurrent streams are capped (config.maxStreams).
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import {
  ESCALATE_RSS_BYTES,
  HIGH_RSS_BYTES,
  HISTORY_STREAM_EVENT,
  type HistoryResponse,
  type HistorySampleEvent,
} from '@leakpilot/shared/api/agent-api.ts';
import type { AgentDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

const KEEPALIVE_MS = 15_000;

function parseSince(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  const asNumber = Number(raw);
  const ms = Number.isFinite(asNumber) ? asNumber : Date.parse(raw);
  if (Number.isNaN(ms)) throw new ApiError('bad_request', 'since is epoch milliseconds or an ISO 8601 date');
  return ms;
}

function parsePid(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  if (!/^\d{1,10}$/.test(raw)) throw new ApiError('bad_request', 'pid is a process id');
  return Number(raw);
}

export function historyRoutes(deps: AgentDeps): Hono {
  const app = new Hono();

  app.get('/', (c) => {
    const sinceMs = parseSince(c.req.query('since'));
    const body: HistoryResponse = {
      limits: deps.sampler.ring.limits,
      thresholds: { highBytes: HIGH_RSS_BYTES, escalateBytes: ESCALATE_RSS_BYTES },
      sinceMs,
      series: deps.sampler.ring.query(sinceMs, parsePid(c.req.query('pid'))),
    };
    return c.json(body);
  });

  app.get('/stream', (c) => {
    if (deps.sampler.subscriberCount >= deps.config.maxStreams) {
      throw new ApiError('too_many_streams', `at most ${deps.config.maxStreams} history streams run at once`);
    }
    return streamSSE(c, async (stream) => {
      const queue: HistorySampleEvent[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = deps.sampler.subscribe((event) => {
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        while (!stream.aborted && !stream.closed) {
          const event = queue.shift();
          if (event !== undefined) {
            await stream.writeSSE({ event: HISTORY_STREAM_EVENT, id: String(event.atMs), data: JSON.stringify(event) });
            continue;
          }
          const woke = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), KEEPALIVE_MS);
            wake = () => {
              clearTimeout(timer);
              resolve(true);
            };
          });
          wake = null;
          if (!woke) await stream.write(': keepalive\n\n');
        }
      } finally {
        unsubscribe();
      }
    });
  });

  return app;
}
