/**
 * Renders public/icons/icon.svg to the PNG icons the web app manifest needs
 * (192 and 512 pixels) with the system Chromium through playwright-core, so
 * the PNGs are always the SVG's exact pixels. Run after editing the SVG:
 *   npx tsx apps/web/build/make-icons.ts
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const iconsFolder = new URL('../public/icons/', import.meta.url);
const svg = readFileSync(new URL('icon.svg', iconsFolder), 'utf8');
const profile = mkdtempSync(join(tmpdir(), 'leakpilot-icons-'));

const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  deviceScaleFactor: 1,
});
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage();
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('width="512" height="512"', `width="${size}" height="${size}"`)}</body></html>`);
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    writeFileSync(new URL(`icon-${size}.png`, iconsFolder), png);
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
