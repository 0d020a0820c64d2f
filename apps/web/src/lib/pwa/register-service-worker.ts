/**
 * Registers the precaching service worker (dist/sw.js, made by
 * build/precache-plugin.ts) in production builds. In `vite dev` there is no
 * sw.js, so nothing is registered and the dev server is never shadowed by a
 * cache. Call once from main.ts; failures are reported, never thrown, because
 * the app works without offline support.
 */
export interface ServiceWorkerStatus {
  registered: boolean;
  /** why it was not registered, for a person */
  reason?: string;
}

export async function registerServiceWorker(scriptUrl = '/sw.js'): Promise<ServiceWorkerStatus> {
  if (!import.meta.env.PROD) return { registered: false, reason: 'development build: no service worker' };
  if (!('serviceWorker' in navigator)) return { registered: false, reason: 'this browser has no service workers' };
  try {
    await navigator.serviceWorker.register(scriptUrl, { scope: '/', type: 'classic' });
    return { registered: true };
  } catch (error) {
    return { registered: false, reason: `the offline cache could not be installed: ${(error as Error).message}` };
  }
}
