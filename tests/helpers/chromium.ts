/**
 * Debian's Chromium driven by playwright-core, with a fresh profile folder per
 * call (a persistent context, so IndexedDB, OPFS and the service worker's
 * cache survive a reload, and a second profile is a really fresh browser).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserProfile {
  context: BrowserContext;
  userDataDir: string;
  close: () => Promise<void>;
}

export async function openProfile(options: { downloadsDir?: string } = {}): Promise<BrowserProfile> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'leakpilot-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    ...(options.downloadsDir ? { downloadsPath: options.downloadsDir } : {}),
  });
  return {
    context,
    userDataDir,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
