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

export interface ChromiumDownloadMeasurement {
  receivedBytes: number;
  storedBytes: number;
  durationMs: number;
  tabPeakRssBytes: number;
}

export function measureParseInChromium(dumpPath: string): Promise<ChromiumParseMeasurement> {
  return measureInHarness<Omit<ChromiumParseMeasurement, 'tabPeakRssBytes'>>(dumpPath, 'measureParse');
}

export function measureDownloadInChromium(dumpPath: string): Promise<ChromiumDownloadMeasurement> {
  return measureInHarness<Omit<ChromiumDownloadMeasurement, 'tabPeakRssBytes'>>(dumpPath, 'measureDownload');
}

/** Serves the dump's folder beside the harness, runs one harness method on it, samples the tab's memory. */
async function measureInHarness<T>(dumpPath: string, method: 'measureParse' | 'measureDownload'): Promise<T & { tabPeakRssBytes: number }> {
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
      ([name, url]) => (window as unknown as { harness: Record<string, (url: string) => Promise<unknown>> }).harness[name](url),
      [method, `/dump/${encodeURIComponent(basename(absolute))}`] as const,
    )) as T;
    return { ...measured, tabPeakRssBytes: sampler.stop() };
  } finally {
    await browser.close();
    await server.close();
    rmSync(harnessDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const [dumpPath, mode = 'parse'] = process.argv.slice(2);
  if (!dumpPath || (mode !== 'parse' && mode !== 'download')) {
    console.error('usage: npx tsx apps/web/test/browser/measure-parse.ts <dump.json[.gz]> [parse|download]');
    process.exit(2);
  }
  console.log(JSON.stringify(mode === 'parse' ? await measureParseInChromium(dumpPath) : await measureDownloadInChromium(dumpPath)));
}
