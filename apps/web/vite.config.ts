// Vite + Vitest configuration of the LeakPilot PWA.
//
// - Svelte 5 through @sveltejs/vite-plugin-svelte; workers are ES modules
//   (`new Worker(new URL('./x.worker.ts', import.meta.url), { type: 'module' })`).
// - `precacheServiceWorker` compiles src/sw/service-worker.ts at build time and
//   injects the list of every emitted file, so the service worker precaches the
//   whole app shell (no workbox: the list and a cache version are all we need).
// - The `test` block is the Vitest project `web` (node environment): pure
//   platform logic, downloads and the agent client against real local servers.
//   Storage (IndexedDB) is tested in real Chromium by the browser tests.
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { precacheServiceWorker } from './build/precache-plugin.ts';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  // configFile: false: all Svelte options live here (runes are on by default in Svelte 5)
  plugins: [svelte({ configFile: false }), precacheServiceWorker({ source: fileURLToPath(new URL('./src/sw/service-worker.ts', import.meta.url)) })],
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: { port: 5173, strictPort: false },
  test: {
    name: 'web',
    root: webRoot,
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
