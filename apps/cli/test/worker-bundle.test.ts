import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadDumpFile } from '../src/shared-cli/load-dump.ts';
import { PARSE_PART_WORKER, parseInParallel } from '../src/shared-cli/parallel-parse.ts';
import { bundledWorkerUrl, DEFAULT_CACHE_DIR, workerUrl, type WorkerEntry } from '../src/shared-cli/worker-bundle.ts';
import { expectSameDump } from '../../../packages/shared/test/parse/same-dump.ts';
import { railsSeries } from './diff-output-capture.ts';

/** What a worker started from `url` posts first. */
function firstMessage(url: URL): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { execArgv: [] });
    worker.once('message', (message: unknown) => {
      void worker.terminate();
      resolve(message);
    });
    worker.once('error', reject);
  });
}

/** A two-file worker entry in a fresh directory: entry.ts posts what greeting.ts exports. */
function tinyEntry(): { entry: WorkerEntry; greetingPath: string; cacheDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'leakpilot-bundle-'));
  const greetingPath = join(dir, 'greeting.ts');
  writeFileSync(greetingPath, "export const greeting: string = 'one';\n");
  writeFileSync(join(dir, 'entry.ts'), "import { parentPort } from 'node:worker_threads';\nimport { greeting } from './greeting.ts';\nparentPort?.postMessage(greeting);\n");
  const fallback = pathToFileURL(join(dir, 'fallback.mjs'));
  return { entry: { name: 'tiny-worker', source: pathToFileURL(join(dir, 'entry.ts')), fallback }, greetingPath, cacheDir: join(dir, 'cache') };
}

describe('worker entries bundled with esbuild', () => {
  it('starts the parsing workers from the bundle, which gives the same dump as one thread', async () => {
    const bundle = await workerUrl(PARSE_PART_WORKER);
    expect(bundle.pathname).toBe(join(DEFAULT_CACHE_DIR, 'parse-part-worker.mjs'));
    expect(await readFile(bundle, 'utf8')).toContain('scanHeapDumpPart');
    const plain = join(mkdtempSync(join(tmpdir(), 'leakpilot-bundled-parse-')), 'dump.json');
    writeFileSync(plain, gunzipSync(readFileSync(railsSeries[0])));
    expectSameDump(await parseInParallel(plain, 2), await loadDumpFile(plain, { strategy: 'one-thread' }));
  });

  it('reuses a bundle whose inputs are unchanged and rebuilds it when an input changes', async () => {
    const { entry, greetingPath, cacheDir } = tinyEntry();
    const first = await bundledWorkerUrl(entry, cacheDir);
    expect(first).not.toEqual(entry.fallback);
    expect(await firstMessage(first)).toBe('one');
    const builtMs = statSync(first).mtimeMs;

    const again = await bundledWorkerUrl(entry, cacheDir);
    expect(statSync(again).mtimeMs).toBe(builtMs);

    writeFileSync(greetingPath, "export const greeting: string = 'three';\n");
    // a later mtime even where the file system keeps whole seconds
    const later = new Date(Date.now() + 5_000);
    utimesSync(greetingPath, later, later);
    const rebuilt = await bundledWorkerUrl(entry, cacheDir);
    expect(await firstMessage(rebuilt)).toBe('three');
  });

  it('falls back to the tsx shim when the entry does not build', async () => {
    const { entry, greetingPath, cacheDir } = tinyEntry();
    writeFileSync(greetingPath, 'export const greeting: string = ;\n');
    expect(await bundledWorkerUrl(entry, cacheDir)).toEqual(entry.fallback);
  });
});
