// A real static HTTP server for browser tests: serves files from mounted
// folders (`/` -> a build folder, `/fixtures/` -> the repository fixtures)
// with Content-Length, an ETag and single-range Range support, and can drop
// the connection of the first response of a path after some bytes (to test
// resumed downloads in the browser). Bound to 127.0.0.1 on a free port.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gz': 'application/gzip',
};

export interface StaticServer {
  origin: string;
  /** the next response for `path` is cut after `afterBytes` bytes */
  dropNext(path: string, afterBytes: number): void;
  requests: { path: string; range: string | null }[];
  close(): Promise<void>;
}

export async function startStaticServer(mounts: Record<string, string>): Promise<StaticServer> {
  const drops = new Map<string, number>();
  const requests: { path: string; range: string | null }[] = [];
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push({ path, range: req.headers.range ?? null });
    const prefix = prefixes.find((candidate) => path.startsWith(candidate));
    const relative = prefix === undefined ? null : normalize(path.slice(prefix.length) || 'index.html');
    const file = prefix === undefined || relative === null || relative.startsWith('..') ? null : join(mounts[prefix], relative === '.' ? 'index.html' : relative);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const size = statSync(file).size;
    const etag = `"${size}-${statSync(file).mtimeMs}"`;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const headers: Record<string, string> = { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', etag, 'accept-ranges': 'bytes', 'content-length': String(size - start), 'cache-control': 'no-cache' };
    if (range) headers['content-range'] = `bytes ${start}-${size - 1}/${size}`;
    res.writeHead(range ? 206 : 200, headers);
    const dropAfter = drops.get(path);
    if (dropAfter !== undefined) {
      drops.delete(path);
      createReadStream(file, { start, end: start + dropAfter - 1 }).on('end', () => setTimeout(() => res.socket?.destroy(), 20)).pipe(res, { end: false });
      return;
    }
    createReadStream(file, { start }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dropNext: (path, afterBytes) => drops.set(path, afterBytes),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
