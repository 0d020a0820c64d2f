// The offline app shell in real Chromium: the production build (vite build
// with the precache plugin) is served once, the service worker installs and
// takes control, and after going offline a reload still renders the app from
// the cache, while agent data (/api/) is never answered from it. The manifest
// and icons make the app installable (Chromium's own installability check
// over the DevTools protocol reports no errors).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type ChromiumProfile } from './chromium.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

const webRoot = fileURLToPath(new URL('../..', import.meta.url));
let outDir = '';
let server: StaticServer;
let browser: ChromiumProfile;
let page: Page;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'leakpilot-shell-'));
  // A child process, as `npm start` builds it (NODE_ENV stays "test" from Vitest: the worker must be registered anyway).
  const built = spawnSync('npx', ['vite', 'build', webRoot, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`vite build failed: ${built.stderr}`);
  server = await startStaticServer({ '/': outDir });
  browser = await launchChromium();
  page = await browser.context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('offline app shell', () => {
  it('precaches every emitted file listed in sw.js, including index.html, the worker and the demo session', () => {
    const sw = readFileSync(join(outDir, 'sw.js'), 'utf8');
    const list = JSON.parse(/\[("\/[^\]]*)\]/.exec(sw)?.[0] ?? '[]') as string[];
    expect(list).toEqual(expect.arrayContaining(['/', '/index.html', '/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png', '/demo.leakpilot']));
    expect(list.some((url) => /^\/assets\/engine\.worker-.*\.js$/.test(url))).toBe(true);
    expect(list.some((url) => url.endsWith('.map'))).toBe(false);
  });

  it('is installable: Chromium reports no installability errors for the manifest and icons', async () => {
    await page.goto(`${server.origin}/`);
    // the worker claims the page once activated (clients.claim), so a controller means installed and active
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
    const cdp = await browser.context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
    expect(installabilityErrors.map((error) => error.errorId)).toEqual([]);
  });

  it('starts with no network after one visit, and never serves agent data from the cache', async () => {
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    const onlineTitle = await page.title();
    await browser.context.setOffline(true);
    try {
      await page.reload();
      await page.waitForFunction(() => (document.getElementById('app')?.childElementCount ?? 0) > 0, null, { timeout: 30_000 });
      expect(await page.title()).toBe(onlineTitle);
      const offline = await page.evaluate(async () => {
        const manifest = await fetch('/manifest.webmanifest').then((r) => r.status, () => 'failed');
        const demo = await fetch('/demo.leakpilot').then(async (r) => (await r.arrayBuffer()).byteLength, () => 'failed');
        const api = await fetch('/api/v1/host').then((r) => r.status, () => 'failed');
        return { manifest, demo, api };
      });
      expect(offline.manifest).toBe(200);
      expect(offline.demo).toBe(readFileSync(join(outDir, 'demo.leakpilot')).byteLength);
      expect(offline.api).toBe('failed');
    } finally {
      await browser.context.setOffline(false);
    }
  });
});
