/**
 * The agent's configuration and its command-line flags. Parsing is pure: the
 * caller (server.ts) hands in argv and the environment, and gets a validated
 * `AgentConfig` or an `AgentConfigError` whose message names the bad flag.
 *
 * Security defaults: loopback only; off loopback a token is mandatory, and
 * one is generated (and printed once by server.ts) when none is given. The
 * token may come from LEAKPILOT_AGENT_TOKEN instead of --token, since a
 * command line is readable by every user through /proc/PID/cmdline.
 */
import { randomBytes } from 'node:crypto';
import { AGENT_DEFAULT_HOST, AGENT_DEFAULT_PORT } from '@leakpilot/shared/api/agent-api.ts';
import { AgentConfigError } from './errors.ts';
import { DEFAULT_DOCKER_SOCKET } from './sources/docker/docker-client.ts';
import { DEFAULT_DUMP_GLOB, parseDumpGlob, type DumpGlob } from './sources/dumps/glob.ts';

export const DEFAULT_MATCH = 'puma|unicorn|sidekiq|ruby';
export const MAX_MATCH_LENGTH = 256;
export const DEFAULT_DOCKER_MAX_CONTAINERS = 16;

export interface AgentConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  dumpGlobs: DumpGlob[];
  /** Regular expression source matched against process command lines. */
  match: string;
  token: string | null;
  /** True when the token was generated here and must be shown once. */
  tokenGenerated: boolean;
  allowOrigins: string[];
  webDir: string | null;
  historyIntervalMs: number;
  historyCapacity: number;
  historyMaxSeries: number;
  maxDownloads: number;
  maxStreams: number;
  dockerSocket: string;
  /** Containers whose stats stream is kept open at once (the rest get one-shot stats). */
  dockerMaxContainers: number;
}

export const AGENT_USAGE = `usage: leakpilot agent [options]
  --host ADDR            listen address (default ${AGENT_DEFAULT_HOST}; off loopback a token is required)
  --port N               port (default ${AGENT_DEFAULT_PORT}; 0 picks a free one)
  --dumps GLOB           heap dump glob, repeatable (default ${DEFAULT_DUMP_GLOB}, also .gz and .tmp)
  --match REGEX          processes to watch (default ${DEFAULT_MATCH})
  --token TOKEN          bearer token (or env LEAKPILOT_AGENT_TOKEN)
  --allow-origin URL     extra origin allowed by CORS, repeatable
  --web DIR              serve the built web app from DIR
  --interval SECONDS     memory sampling interval (default 5)
  --history-samples N    samples kept per series (default 4320)
  --max-downloads N      concurrent dump downloads (default 4)
  --docker-socket PATH   Docker Engine socket (default ${DEFAULT_DOCKER_SOCKET})
  --docker-max-containers N  containers whose stats stream is followed (default ${DEFAULT_DOCKER_MAX_CONTAINERS})`;

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function compileMatch(source: string): RegExp {
  if (source.length > MAX_MATCH_LENGTH) throw new AgentConfigError(`--match is longer than ${MAX_MATCH_LENGTH} characters`);
  try {
    return new RegExp(source);
  } catch (error) {
    throw new AgentConfigError(`--match is not a valid regular expression: ${(error as Error).message}`);
  }
}

function positiveInt(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new AgentConfigError(`${flag} needs an integer >= ${min}, got ${value}`);
  return n;
}

function normalizeOrigin(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return url.origin;
  } catch {
    throw new AgentConfigError(`--allow-origin needs an http(s) origin like https://leakpilot.example, got ${value}`);
  }
}

export function parseAgentArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): AgentConfig {
  const globs: string[] = [];
  const origins: string[] = [];
  let host = AGENT_DEFAULT_HOST;
  let port = AGENT_DEFAULT_PORT;
  let match = DEFAULT_MATCH;
  let token: string | null = env.LEAKPILOT_AGENT_TOKEN ?? null;
  let webDir: string | null = null;
  let intervalSeconds = 5;
  let historyCapacity = 4320;
  let maxDownloads = 4;
  let dockerSocket = DEFAULT_DOCKER_SOCKET;
  let dockerMaxContainers = DEFAULT_DOCKER_MAX_CONTAINERS;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new AgentConfigError(`${name} needs a value`);
      return next;
    };
    switch (name) {
      case '--host': host = value(); break;
      case '--port': port = positiveInt(name, value(), 0); break;
      case '--dumps': globs.push(value()); break;
      case '--match': match = value(); break;
      case '--token': token = value(); break;
      case '--allow-origin': origins.push(normalizeOrigin(value())); break;
      case '--web': webDir = value(); break;
      case '--interval': {
        const seconds = Number(value());
        if (!(seconds >= 0.05)) throw new AgentConfigError('--interval needs a number of seconds >= 0.05');
        intervalSeconds = seconds;
        break;
      }
      case '--history-samples': historyCapacity = positiveInt(name, value(), 2); break;
      case '--max-downloads': maxDownloads = positiveInt(name, value(), 1); break;
      case '--docker-socket': dockerSocket = value(); break;
      case '--docker-max-containers': dockerMaxContainers = positiveInt(name, value(), 0); break;
      default: throw new AgentConfigError(`unknown option ${flag}\n${AGENT_USAGE}`);
    }
  }
  if (port > 65535) throw new AgentConfigError(`--port ${port} is not a port`);
  compileMatch(match);
  if (token !== null && token.length < 16) throw new AgentConfigError('a token needs at least 16 characters');
  let tokenGenerated = false;
  if (token === null && !isLoopbackHost(host)) {
    token = randomBytes(24).toString('base64url');
    tokenGenerated = true;
  }
  return {
    host,
    port,
    dumpGlobs: (globs.length > 0 ? globs : [DEFAULT_DUMP_GLOB]).map(parseDumpGlob),
    match,
    token,
    tokenGenerated,
    allowOrigins: origins,
    webDir,
    historyIntervalMs: Math.round(intervalSeconds * 1000),
    historyCapacity,
    historyMaxSeries: 64,
    maxDownloads,
    maxStreams: 32,
    dockerSocket,
    dockerMaxContainers,
  };
}
