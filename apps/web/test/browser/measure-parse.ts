/**
 * Measures a dump parse in real Chromium through the production EngineClient
 * and engine worker: wall time, the worker's own parse time, and the longest
 * main-thread task meanwhile (PerformanceObserver 'longtask': tasks over
 * 50 ms; 0 means none), and the tab's peak resident memory. For the benchmark (bench/sections/browser.ts can
 * import `measureParseInChromium`) and by hand:
 *   npx tsx apps/web/test/browser/measure-parse.ts /tmp/leakpilot-bench/large-rails.json
 * Prints one JSON object. Never used to assert timings in tests.
 */
import { rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { buildHarness } from './harness/harness-build.ts';
import { launchChromium } from './chromium.ts';
import { sampleRendererPeak } from './renderer-memory.ts';
import { startStaticServer } from './static-server.ts';

export interface ChromiumParseMeasurement {
  objectCount: number;
  byteCount: number;
  durationMs: number;
  workerParseMs: number;
  progressEvents: number;
  longTaskCount: number;
  longestTaskMs: number;
  /** peak resident memory of the tab's renderer process (page + its workers), bytes */
  tabPeakRssBytes: number;
}

export async function measureParseInChromium(dumpPath: string): Promise<ChromiumParseMeasurement> {
  const harnessDir = await buildHarness();
  const absolute = resolve(dumpPath);
  const server = await startStaticServer({ '/dump/': dirname(absolute), '/': harnessDir });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => document.title === 'harness ready');
    const sampler = sampleRendererPeak(browser.profileDir);
    const measured = (await page.evaluate(
      (url) => (window as unknown as { harness: { measureParse(url: string): Promise<unknown> } }).harness.measureParse(url),
      `/dump/${encodeURIComponent(basename(absolute))}`,
    )) as Omit<ChromiumParseMeasurement, 'tabPeakRssBytes'>;
    return { ...measured, tabPeakRssBytes: sampler.stop() };
  } finally {
    await browser.close();
    await server.close();
    rmSync(harnessDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const dumpPath = process.argv[2];
  if (!dumpPath) {
    console.error('usage: npx tsx apps/web/test/browser/measure-parse.ts <dump.json[.gz]>');
    process.exit(2);
  }
  console.log(JSON.stringify(await measureParseInChromium(dumpPath)));
}
