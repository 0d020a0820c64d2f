/**
 * The PWA's parallel parse (LeakPilot issue 2) in Debian's Chromium: a plain
 * dump File parsed in 3 byte ranges (the engine worker plus two dump part
 * workers, forced on a file under the 64 MiB default) gives the engine the
 * same dump as the one-thread parse: same info, summary (type, class,
 * location and generation tables, problems with their line numbers), first
 * object rows, and references and retainers of the largest object; its byte
 * progress only grows and ends at the file size. A file that is not a dump
 * is refused with the one-thread parse's error, and so is a file changed
 * after it was chosen (Chromium no longer reads it); without the part
 * worker's script the file is parsed on one thread; a cancel during the read
 * stops the parse. Every part worker (seen through Chromium's DevTools
 * protocol, which lists nested workers) ends when its parse ends.
 */
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProfile, type BrowserProfile } from './helpers/chromium.ts';
import { serveParallelParseHarness, type HarnessServer } from './helpers/parallel-parse-harness/harness-server.ts';
import { REPO_ROOT } from './helpers/web-build.ts';

const RAILS_DUMP = join(REPO_ROOT, 'fixtures/rails-series-a/heap_dump_signal_24329_1795949061.json.gz');
/** object lines of that dump (fixtures/README.md) */
const RAILS_DUMP_OBJECTS = 127_719;

interface ProgressEvent {
  phase: string;
  doneBytes: number;
  totalBytes: number | null;
  objectCount: number;
}

type ParseResult =
  | {
      ok: true;
      info: { objectCount: number; referenceCount: number; byteCount: number; problemCount: number; rangeCount: number };
      summary: unknown;
      firstRows: unknown;
      inspection: unknown;
      progress: ProgressEvent[];
    }
  | { ok: false; error: { name: string; kind: string; message: string }; progress: ProgressEvent[] };

type Harness = Window & { harness: Record<string, (...args: never[]) => Promise<unknown>> };

let workDir = '';
let plainDump = '';
let harnessServer: HarnessServer;
let profile: BrowserProfile;
let page: Page;
/** dump part workers Chromium reported, and how many of them have ended */
const partWorkers = { started: 0, ended: 0 };

function call<T>(name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([fn, fnArgs]) => (window as unknown as Harness).harness[fn as string](...(fnArgs as never[])), [name, args] as const) as Promise<T>;
}

/** Parses `file`; the dump stays open (its engine worker alive) until `call('close', dumpId)`. */
async function parse(file: string, dumpId: string, rangeCount: number): Promise<ParseResult> {
  await page.locator('#dump').setInputFiles(file);
  return call<ParseResult>('parse', dumpId, rangeCount);
}

async function expectPartWorkersEnded(): Promise<void> {
  await expect.poll(() => partWorkers.ended, { timeout: 10_000 }).toBe(partWorkers.started);
}

function expectParsed(result: ParseResult): asserts result is Extract<ParseResult, { ok: true }> {
  if (!result.ok) throw new Error(`parse failed: ${result.error.name}: ${result.error.message}`);
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'leakpilot-parallel-parse-'));
  plainDump = join(workDir, 'heap_dump_signal_24329_1795949061.json');
  writeFileSync(plainDump, gunzipSync(readFileSync(RAILS_DUMP)));
  harnessServer = await serveParallelParseHarness();
  profile = await openProfile();
  page = profile.context.pages()[0] ?? (await profile.context.newPage());
  page.on('pageerror', (error) => console.error('page error:', error));
  page.on('worker', (worker) => {
    if (!worker.url().includes('dump-part.worker')) return;
    partWorkers.started++;
    worker.on('close', () => partWorkers.ended++);
  });
  await page.goto(`${harnessServer.origin}/`);
  await page.waitForFunction(() => document.title === 'harness ready');
});

afterAll(async () => {
  await profile?.close();
  await harnessServer?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('parsing a plain dump file in byte ranges in Chromium', () => {
  it('gives the engine the same dump as the one-thread parse, with monotonic byte progress', async () => {
    const partWorkersBefore = partWorkers.started;
    // parsed first, so its engine worker is the one kept holding the dump
    const ranges = await parse(plainDump, 'three-ranges', 3);
    expectParsed(ranges);
    expect(partWorkers.started - partWorkersBefore).toBe(2);
    // ended with the parse, while the engine worker that started them lives on holding the dump
    await expectPartWorkersEnded();
    expect(page.workers().filter((worker) => worker.url().includes('engine.worker')).length).toBeGreaterThan(0);
    const single = await parse(plainDump, 'one-thread', 1);
    expectParsed(single);
    await call('close', 'one-thread');
    await call('close', 'three-ranges');
    expect(single.info.rangeCount).toBe(1);
    expect(ranges.info.rangeCount).toBe(3);
    expect(ranges.info.objectCount).toBe(RAILS_DUMP_OBJECTS);
    expect({ ...ranges.info, rangeCount: 1 }).toEqual(single.info);
    expect(ranges.summary).toEqual(single.summary);
    expect(ranges.firstRows).toEqual(single.firstRows);
    expect(ranges.inspection).toEqual(single.inspection);

    const fileBytes = readFileSync(plainDump).length;
    const read = ranges.progress.filter((event) => event.phase === 'read');
    expect(read.length).toBeGreaterThan(0);
    for (let index = 1; index < ranges.progress.length; index++) {
      expect(ranges.progress[index].doneBytes).toBeGreaterThanOrEqual(ranges.progress[index - 1].doneBytes);
    }
    for (const event of read) expect(event.totalBytes).toBe(fileBytes);
    expect(ranges.progress.at(-1)).toMatchObject({ phase: 'done', doneBytes: fileBytes, totalBytes: fileBytes });
  });

  it('parses the file in 4 ranges, the most the PWA uses, into the same dump', async () => {
    const single = await parse(plainDump, 'one-thread-again', 1);
    const many = await parse(plainDump, 'four-ranges', 4);
    expectParsed(single);
    expectParsed(many);
    expect(many.info.rangeCount).toBe(4);
    expect(many.summary).toEqual(single.summary);
    await call('close', 'one-thread-again');
    await call('close', 'four-ranges');
  });

  it('falls back to one thread, with every object, when the part workers cannot start', async () => {
    // the part worker's script taken out of the build: its fetch answers 404
    const assets = join(harnessServer.outDir, 'assets');
    const script = readdirSync(assets).find((name) => /^dump-part\.worker-.*\.js$/.test(name));
    if (!script) throw new Error(`no dump part worker script in ${assets}`);
    renameSync(join(assets, script), join(assets, `${script}.away`));
    try {
      const fallback = await parse(plainDump, 'no-part-workers', 3);
      expectParsed(fallback);
      expect(fallback.info.rangeCount).toBe(1);
      // Chromium lists the part workers it tried to start; they end with the attempt
      await expectPartWorkersEnded();
      expect(fallback.info.objectCount).toBe(RAILS_DUMP_OBJECTS);
      const doneBytes = fallback.progress.map((event) => event.doneBytes);
      expect(doneBytes).toEqual([...doneBytes].sort((a, b) => a - b));
      await call('close', 'no-part-workers');
    } finally {
      renameSync(join(assets, `${script}.away`), join(assets, script));
    }
  });

  it('refuses a file that is not a dump with the one-thread parse error and message', async () => {
    const page404 = join(workDir, 'not-a-dump.json');
    writeFileSync(page404, `<!doctype html><html><body>${'<p>not found</p>\n'.repeat(20_000)}</body></html>\n`);
    const single = await parse(page404, 'html-one-thread', 1);
    const ranges = await parse(page404, 'html-ranges', 3);
    expect(single.ok).toBe(false);
    expect(ranges.ok).toBe(false);
    if (single.ok || ranges.ok) return;
    expect(single.error.kind).toBe('not-a-dump');
    expect(ranges.error).toEqual(single.error);
    expect(ranges.error.message).toContain('an HTML page');
    await expectPartWorkersEnded();
  });

  it('fails on a file changed after it was chosen with the one-thread parse error and message', async () => {
    const failures = [];
    for (const rangeCount of [1, 3]) {
      const changing = join(workDir, `changing-${rangeCount}.json`);
      copyFileSync(plainDump, changing);
      await page.locator('#dump').setInputFiles(changing);
      // the File's size and time are what Chromium checks later: make sure it has taken them before the change
      expect(await page.evaluate(() => (document.getElementById('dump') as HTMLInputElement).files?.[0]?.lastModified ?? 0)).toBeGreaterThan(0);
      appendFileSync(changing, '\n');
      // Chromium refuses to read a chosen file whose modification time changed (appending alone was not enough)
      utimesSync(changing, new Date(), new Date(Date.now() + 60_000));
      const result = await call<ParseResult>('parse', `changed-${rangeCount}`, rangeCount);
      if (result.ok) throw new Error(`a file changed after it was chosen parsed in ${rangeCount} range(s)`);
      failures.push(result.error);
    }
    expect(failures[1]).toEqual(failures[0]);
    await expectPartWorkersEnded();
  });

  it('stops a parse in ranges when it is cancelled during the read', async () => {
    await page.locator('#dump').setInputFiles(plainDump);
    const result = await call<{ cancelled: boolean; error: { name: string; kind: string } | null }>('cancelWhileReading', 3);
    expect(result.cancelled).toBe(true);
    expect(result.error).toEqual({ name: 'EngineCancelledError', kind: 'cancelled' });
    // the cancelled engine worker took its part workers with it (page.workers()
    // is not checked: DevTools sometimes misses the end of a worker whose nested
    // workers ended a moment before, and lists it until the page closes)
    await expectPartWorkersEnded();
    // the engine still parses afterwards
    const again = await parse(plainDump, 'after-cancel', 3);
    expectParsed(again);
    expect(again.info.objectCount).toBe(RAILS_DUMP_OBJECTS);
    await call('close', 'after-cancel');
  });
});
