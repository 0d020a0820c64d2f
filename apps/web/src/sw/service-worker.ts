/**
 * The LeakPilot service worker: precaches the app shell so the app starts with
 * no network after one visit.
 *
 * Compiled by build/precache-plugin.ts into dist/sw.js, which defines
 * `__PRECACHE_URLS__` (every emitted file and public/ file) and
 * `__CACHE_VERSION__` (a hash of them). Invariants:
 * - only same-origin GET requests for shell files are answered from the cache;
 * - agent data (`/api/`, `/metrics`) is never cached: it must be live, and a
 *   heap dump download must stream straight through (Range requests included);
 * - navigations go to the network first (a fresh index.html after a deploy)
 *   and fall back to the cached shell when offline;
 * - a new version activates at once and deletes the caches of older versions.
 */
declare const __PRECACHE_URLS__: string[];
declare const __CACHE_VERSION__: string;

/* The DOM lib's `self` is a Window; these are the few service worker types we use. */
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface ServiceWorkerScope {
  readonly location: Location;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const scope = globalThis as unknown as ServiceWorkerScope;
const CACHE_PREFIX = 'leakpilot-shell-';
const cacheName = `${CACHE_PREFIX}${__CACHE_VERSION__}`;
const precached = new Set(__PRECACHE_URLS__);
const LIVE_PATH_PREFIXES = ['/api/', '/metrics'];

scope.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      // `cache: 'reload'` so an HTTP-cached old file never enters a new shell.
      await cache.addAll(__PRECACHE_URLS__.map((url) => new Request(url, { cache: 'reload' })));
      await scope.skipWaiting();
    })(),
  );
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== cacheName) await caches.delete(name);
      }
      await scope.clients.claim();
    })(),
  );
});

async function networkFirstShell(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (networkError) {
    const cache = await caches.open(cacheName);
    const shell = (await cache.match('/index.html')) ?? (await cache.match('/'));
    if (shell) return shell;
    throw networkError;
  }
}

async function cacheFirst(request: Request, path: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(path);
  return cached ?? fetch(request);
}

scope.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.location.origin) return;
  if (LIVE_PATH_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirstShell(request));
    return;
  }
  if (precached.has(url.pathname)) event.respondWith(cacheFirst(request, url.pathname));
});
