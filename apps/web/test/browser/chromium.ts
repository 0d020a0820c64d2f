// Launches the system Chromium (Debian's /usr/bin/chromium) through
// playwright-core with a fresh profile folder, as the project's browser tests
// do; closing removes the profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface ChromiumProfile {
  context: BrowserContext;
  /** the profile folder: it appears in every Chromium process's command line */
  profileDir: string;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<ChromiumProfile> {
  const profile = mkdtempSync(join(tmpdir(), 'leakpilot-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 } });
  return {
    context,
    profileDir: profile,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
