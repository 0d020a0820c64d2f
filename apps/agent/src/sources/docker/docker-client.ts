/**
 * A read-only Docker Engine API client over the daemon's unix socket. It can
 * only send GET requests, and only to a fixed allowlist of endpoints (the
 * version, the container list, one container's one-shot stats or its stats
 * stream); any other path is refused before a byte is written. JSON answers
 * are capped in size and time, so a stuck or hostile daemon cannot hold the
 * agent; a stream is capped by its reader (stats-stream.ts) and by an idle
 * timeout here.
 *
 * Endpoint shapes follow the Docker Engine API reference (v1.41+):
 * GET /version, GET /containers/json, GET /containers/{id}/stats?stream=false&one-shot=true,
 * GET /containers/{id}/stats?stream=true.
 */
import { request, type IncomingMessage } from 'node:http';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

const ALLOWED_PATHS: readonly RegExp[] = [
  /^\/version$/,
  /^\/containers\/json$/,
  /^\/containers\/[0-9a-f]{12,64}\/stats\?stream=false&one-shot=true$/,
  /^\/containers\/[0-9a-f]{12,64}\/stats\?stream=true$/,
];

const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const TIMEOUT_MS = 3000;

export class DockerRequestError extends Error {
  override readonly name = 'DockerRequestError';

  /** The daemon's HTTP status when it answered with an error (404: no such container). */
  constructor(message: string, readonly status: number | null = null) {
    super(message);
  }
}

export function isAllowedDockerPath(path: string): boolean {
  return ALLOWED_PATHS.some((pattern) => pattern.test(path));
}

/** An open streaming GET: `response` settles once the status line arrived; `close` ends it at any time. */
export interface DockerStream {
  response: Promise<IncomingMessage>;
  close(): void;
}

export class DockerClient {
  constructor(readonly socketPath: string = DEFAULT_DOCKER_SOCKET) {}

  /**
   * GET an allowlisted path and hand over the response body as it arrives.
   * Each stream has a connection of its own (no keep-alive agent), so
   * `close` really closes it. A non-2xx status rejects with the daemon's
   * message; `idleTimeoutMs` without a byte destroys the response with a
   * DockerRequestError.
   */
  openStream(path: string, idleTimeoutMs: number): DockerStream {
    if (!isAllowedDockerPath(path)) {
      return { response: Promise.reject(new DockerRequestError(`refusing Docker API path ${path}`)), close: () => {} };
    }
    const req = request({
      socketPath: this.socketPath,
      path,
      method: 'GET',
      agent: false,
      headers: { Host: 'docker', Accept: 'application/json' },
      timeout: idleTimeoutMs,
    });
    req.on('timeout', () => req.destroy(new DockerRequestError(`Docker API ${path} sent nothing for ${idleTimeoutMs} ms`)));
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        const status = res.statusCode ?? 500;
        if (status < 300) {
          resolve(res);
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 200) text += chunk;
        });
        res.on('end', () => reject(new DockerRequestError(`Docker API ${path} answered ${status}: ${text.slice(0, 200)}`, status)));
        res.on('error', reject);
      });
    });
    response.catch(() => undefined);
    req.end();
    return { response, close: () => req.destroy() };
  }

  /** GET an allowlisted path and parse its JSON body. */
  getJson(path: string): Promise<unknown> {
    if (!isAllowedDockerPath(path)) return Promise.reject(new DockerRequestError(`refusing Docker API path ${path}`));
    return new Promise((resolve, reject) => {
      const req = request(
        { socketPath: this.socketPath, path, method: 'GET', headers: { Host: 'docker', Accept: 'application/json' }, timeout: TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          let received = 0;
          res.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > MAX_RESPONSE_BYTES) {
              req.destroy(new DockerRequestError(`Docker API response to ${path} exceeds ${MAX_RESPONSE_BYTES} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 300) {
              reject(new DockerRequestError(`Docker API ${path} answered ${res.statusCode}: ${text.slice(0, 200)}`, res.statusCode ?? null));
              return;
            }
            try {
              resolve(JSON.parse(text));
            } catch {
              reject(new DockerRequestError(`Docker API ${path} answered with invalid JSON`));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new DockerRequestError(`Docker API ${path} timed out after ${TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end();
    });
  }
}
