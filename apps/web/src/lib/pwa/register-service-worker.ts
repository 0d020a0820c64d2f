/**
 * Registers the precaching service worker (dist/sw.js, made by
 * build/precache-plugin.ts) in built apps. In `vite dev` there is no sw.js
 * (`__LEAKPILOT_HAS_SERVICE_WORKER__` is false), so nothing is registered and
 * the dev server is never shadowed by a cache. Call once from main.ts; failures are reported, never thrown, because
 * the app works without offline support.
 */
declare const __LEAKPILOT_HAS_SERVICE_WORKER__: boolean;

export interface ServiceWorkerStatus {
  registered: boolean;
  /** why it was not registered, for a person */
  reason?: string;
}

export async function registerServiceWorker(scriptUrl = '/sw.js'): Promise<ServiceWorkerStatus> {
  if (typeof __LEAKPILOT_HAS_SERVICE_WORKER__ === 'undefined' || !__LEAKPILOT_HAS_SERVICE_WORKER__) return { registered: false, reason: 'development server: no service worker' };
  if (!('serviceWorker' in navigator)) return { registered: false, reason: 'this browser has no service workers' };
  try {
    await navigator.serviceWorker.register(scriptUrl, { scope: '/', type: 'classic' });
    return { registered: true };
  } catch (error) {
    return { registered: false, reason: `the offline cache could not be installed: ${(error as Error).message}` };
  }
}
