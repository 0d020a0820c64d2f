/**
 * The only module that reads the environment and command line and listens:
 * `startAgent(config)` serves the app on @hono/node-server and starts the
 * memory sampler and the Docker stats follower (both stopped by `close`); `runAgentCli(argv)` is the `leakpilot agent` command and
 * the entry point of the single-file build (dist/leakpilot-agent.mjs).
 *
 * The token is printed only when it was generated here, once, to stderr;
 * a token given by flag or environment is never printed.
 */
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { createApp } from './app.ts';
import { AGENT_USAGE, isLoopbackHost, parseAgentArgs, type AgentConfig } from './config.ts';
import { createDefaultDeps, type AgentDeps, type DepsOverrides } from './deps.ts';
import { AgentConfigError, errorBody } from './errors.ts';
import { respondWithFileBodies } from './http/send-file-body.ts';
import { AGENT_VERSION } from './version.ts';

export interface RunningAgent {
  /** http://host:port of the listening server. */
  url: string;
  port: number;
  deps: AgentDeps;
  close(): Promise<void>;
}

export async function startAgent(config: AgentConfig, overrides: DepsOverrides = {}): Promise<RunningAgent> {
  if (!isLoopbackHost(config.host) && config.token === null) {
    throw new AgentConfigError(`refusing to listen on ${config.host} without a token`);
  }
  // The app needs the bound port (port 0 picks one) for its own CORS origin,
  // so the server listens first and answers 503 for the instant before the
  // app exists.
  let handle: (request: Request, env: HttpBindings) => Response | Promise<Response> = () => new Response(null, { status: 503 });
  // node:http, so the bindings are always HTTP/1 ones.
  const server = createServer(getRequestListener((request, env) => handle(request, env as HttpBindings)));
  // CONNECT never reaches a request handler in node:http; answer it 405 like every other write.
  server.on('connect', (_request, socket: Duplex) => {
    const body = JSON.stringify(errorBody('method_not_allowed', 'CONNECT is not allowed: the agent is read-only'));
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve((server.address() as AddressInfo).port));
  });
  const deps = createDefaultDeps({ ...config, port }, overrides);
  const app = createApp(deps);
  // Dump downloads skip the web stream adapter: see http/send-file-body.ts.
  handle = async (request, env) => respondWithFileBodies(request, await app.fetch(request, env), env.outgoing);
  deps.sampler.start();
  // Not awaited: a slow daemon must not delay listening. Without a Docker
  // socket it resolves false and leaves no timer behind.
  void deps.dockerStats.start();
  const hostPart = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${hostPart}:${port}`,
    port,
    deps,
    close: () =>
      new Promise<void>((resolve) => {
        deps.sampler.stop();
        deps.dockerStats.stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Resolves when the agent should stop; defaults to SIGINT or SIGTERM. */
  stopSignal?: Promise<unknown>;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function runAgentCli(argv: readonly string[], io: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${AGENT_USAGE}\n`);
    return 0;
  }
  let running: RunningAgent;
  try {
    const config = parseAgentArgs(argv, io.env);
    running = await startAgent(config);
    if (config.tokenGenerated) {
      io.stderr.write(`leakpilot agent: no token given, generated one (shown once): ${config.token}\n`);
    }
  } catch (error) {
    io.stderr.write(`leakpilot agent: ${(error as Error).message}\n`);
    return 2;
  }
  io.stdout.write(`leakpilot agent ${AGENT_VERSION} listening on ${running.url}\n`);
  await (io.stopSignal ?? untilSignal());
  await running.close();
  return 0;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  process.exitCode = await runAgentCli(process.argv.slice(2));
}
