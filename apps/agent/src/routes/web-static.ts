/**
 * Serves the built web app (`--web DIR`) from the agent's origin, so the PWA
 * and the API share one origin. Paths are decoded, normalized and must stay
 * inside DIR after symlinks are resolved; a missing path without a file
 * extension falls back to index.html (client-side routes of the SPA). The
 * service worker and the manifest get their MIME types, index.html and the
 * service worker are revalidated on every load (no-cache), and Vite's
 * content-hashed files under /assets/ are cached for a year.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { ApiError } from '../errors.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  // The session file type declared in the app's manifest (file_handlers).
  '.leakpilot': 'application/x-leakpilot-session',
};

const SERVICE_WORKER_NAMES = new Set(['/sw.js', '/service-worker.js']);

async function insideRoot(realRoot: string, candidate: string): Promise<string | null> {
  try {
    const real = await realpath(candidate);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

export function webStaticRoutes(webDir: string): Hono {
  const app = new Hono();
  const root = resolve(webDir);
  let realRoot: string | null = null;

  const serve = (c: Context, file: string, urlPath: string): Response => {
    const ext = extname(file);
    const headers: Record<string, string> = {
      'Content-Type': MIME[ext] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
    };
    if (SERVICE_WORKER_NAMES.has(urlPath)) {
      headers['Service-Worker-Allowed'] = '/';
      headers['Cache-Control'] = 'no-cache';
    } else if (urlPath.startsWith('/assets/')) {
      headers['Cache-Control'] = 'public, max-age=31536000, immutable';
    } else {
      headers['Cache-Control'] = 'no-cache';
    }
    if (c.req.raw.method === 'HEAD') return c.body(null, 200, headers);
    return c.body(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, 200, headers);
  };

  app.get('*', async (c) => {
    realRoot ??= await realpath(root).catch(() => root);
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      throw new ApiError('bad_request', 'malformed path');
    }
    if (urlPath.includes('\0') || urlPath.split('/').includes('..')) throw new ApiError('bad_request', 'malformed path');
    const wanted = urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath;
    const file = await insideRoot(realRoot, resolve(root, `.${wanted}`));
    if (file !== null) return serve(c, file, urlPath);
    if (extname(urlPath) !== '' || urlPath.startsWith('/api/') || urlPath === '/metrics') {
      throw new ApiError('not_found', `no such file: ${urlPath.slice(0, 200)}`);
    }
    const index = await insideRoot(realRoot, resolve(root, 'index.html'));
    if (index === null) throw new ApiError('not_found', 'the web app has no index.html; build it with npm run build:web');
    return serve(c, index, '/index.html');
  });

  return app;
}
