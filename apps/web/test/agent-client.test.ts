// The agent client against a real local HTTP server speaking the agent's wire
// format: the token is sent as a bearer header, each failure becomes an
// AgentError of the right kind with a sentence a person can act on, and the
// history stream is read over fetch (chunked at awkward places) and
// reconnects after a drop.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistorySampleEvent, HostResponse } from '@leakpilot/shared/api/agent-api.ts';
import { AgentClient } from '../src/lib/agent-client/agent-client.ts';
import { AgentError } from '../src/lib/agent-client/agent-errors.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server | null = null;

async function serve(handler: Handler): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function failure(promise: Promise<unknown>): Promise<AgentError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AgentError);
  return error as AgentError;
}

const hostBody = { hostname: 'web-3', apiVersion: 1, agentVersion: '0.1.0' } as Partial<HostResponse>;

describe('AgentClient requests', () => {
  it('sends the token as a bearer header and returns the parsed body', async () => {
    const seen: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers.authorization);
      json(res, 200, hostBody);
    });
    const host = await new AgentClient({ baseUrl: `${url}/`, token: 't0ken' }).testConnection();
    expect(host.hostname).toBe('web-3');
    expect(seen).toEqual(['Bearer t0ken']);
  });

  it('sends no Authorization header without a token', async () => {
    const seen: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers.authorization);
      json(res, 200, hostBody);
    });
    await new AgentClient({ baseUrl: url, token: null }).host();
    expect(seen).toEqual([undefined]);
  });

  it('calls a refused token a wrong token and says where to find the right one', async () => {
    const url = await serve((_req, res) => json(res, 401, { error: { code: 'unauthorized', message: 'missing or wrong bearer token' } }));
    const error = await failure(new AgentClient({ baseUrl: url, token: 'wrong' }).host());
    expect(error.kind).toBe('unauthorized');
    expect(error.status).toBe(401);
    expect(error.detail).toBe('missing or wrong bearer token');
    expect(error.message).toMatch(/refused the token/);
  });

  it('calls a closed port unreachable and suggests starting the agent or the SSH tunnel', async () => {
    const url = await serve((_req, res) => json(res, 200, hostBody));
    server?.close();
    server = null;
    const error = await failure(new AgentClient({ baseUrl: url, token: null }, { pageOrigin: null }).host());
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/SSH tunnel/);
  });

  it('maps the agent\'s process_gone error to process-gone', async () => {
    const url = await serve((_req, res) => json(res, 404, { error: { code: 'process_gone', message: 'pid 4242 has exited' } }));
    const error = await failure(new AgentClient({ baseUrl: url, token: null }).process(4242));
    expect(error.kind).toBe('process-gone');
    expect(error.message).toMatch(/4242 has exited/);
  });

  it('maps 429 to busy and 500 with a plain-text body to a server error with the status', async () => {
    let status = 429;
    const url = await serve((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end('nope');
    });
    const client = new AgentClient({ baseUrl: url, token: null });
    expect((await failure(client.dumps())).kind).toBe('busy');
    status = 500;
    const error = await failure(client.dumps());
    expect(error.kind).toBe('server');
    expect(error.message).toMatch(/HTTP 500/);
  });

  it('says when a URL answers but is not a LeakPilot agent', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>nginx</title>');
    });
    const error = await failure(new AgentClient({ baseUrl: url, token: null }).testConnection());
    expect(error.kind).toBe('bad-response');
    expect(error.message).toMatch(/LeakPilot agent/);
  });

  it('times out a request that never answers', async () => {
    const url = await serve(() => undefined);
    const error = await failure(new AgentClient({ baseUrl: url, token: null }, { timeoutMs: 200 }).host());
    expect(error.kind).toBe('timeout');
  });

  it('builds history queries with each pid and the since time', async () => {
    const paths: string[] = [];
    const url = await serve((req, res) => {
      paths.push(req.url ?? '');
      json(res, 200, { series: [] });
    });
    await new AgentClient({ baseUrl: url, token: null }).history({ pids: [12, 34], sinceMs: 1700.9 });
    expect(paths).toEqual(['/api/v1/history?pid=12&pid=34&since=1700']);
  });
});

describe('AgentClient.streamHistory', () => {
  it('reads samples split across chunks, reconnects after a drop, and stops on abort', async () => {
    const sample = (atMs: number): HistorySampleEvent => ({ atMs, host: { usedBytes: 1, availableBytes: 2 }, processes: [{ key: 'pid:1:0', pid: 1, label: 'puma', rssBytes: atMs }] });
    let connections = 0;
    const authorizations: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      connections += 1;
      authorizations.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (connections === 1) {
        const text = `retry: 20\r\n: comment\r\nevent: sample\r\ndata: ${JSON.stringify(sample(1))}\r\n\r\nevent: other\ndata: x\n\nevent: sample\ndata: ${JSON.stringify(sample(2))}\n\n`;
        // split mid-CRLF and mid-field to exercise the line reader
        const cut = text.indexOf('\r\n\r\n') + 1;
        res.write(text.slice(0, cut));
        setTimeout(() => {
          res.write(text.slice(cut));
          setTimeout(() => res.socket?.destroy(), 20);
        }, 20);
      } else {
        res.write(`event: sample\ndata: ${JSON.stringify(sample(3))}\n\n`);
      }
    });
    const client = new AgentClient({ baseUrl: url, token: 'tk' });
    const controller = new AbortController();
    const received: number[] = [];
    const done = client.streamHistory({
      signal: controller.signal,
      // longer than the test timeout: only the server's `retry: 20` lets the test finish
      retryMs: 600_000,
      onSample: (s) => {
        received.push(s.atMs);
        if (s.atMs === 3) controller.abort();
      },
    });
    await done;
    expect(received).toEqual([1, 2, 3]);
    expect(connections).toBe(2);
    expect(authorizations).toEqual(['Bearer tk', 'Bearer tk']);
  });
});
