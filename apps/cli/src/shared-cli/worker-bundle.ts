/**
 * Worker entries bundled once into plain ESM so worker threads start fast.
 * A worker started from a `.mjs` shim registers tsx and loads the TypeScript
 * sources one by one, ~0.3-0.5 s of CPU per worker on this 2-vCPU box;
 * started from one bundled `.mjs` file it runs in tens of milliseconds.
 *
 * Cache: `<cacheDir>/<name>.mjs` plus `<name>.json`, the manifest of its
 * inputs, kept fresh by apps/cli/bin/bundle-cache.mjs (shared with the CLI's
 * own bundle).
 *
 * If esbuild is missing or the build fails, the caller gets the tsx shim
 * instead: slower start, same result. One lookup per entry per process.
 *
 * A bundled worker gets no execArgv: by default a worker inherits the
 * parent's, and under `tsx` (the bench, scripts) that is tsx's loader, which
 * the worker would load for nothing (measured: 160 ms to the first message
 * with it, 87 ms without, 48 ms for an empty worker).
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ensureBundle } from '../../bin/bundle-cache.mjs';

export interface WorkerEntry {
  /** names the bundle in the cache directory */
  name: string;
  /** the TypeScript module the worker runs */
  source: URL;
  /** the `.mjs` shim that registers tsx, used when bundling fails */
  fallback: URL;
}

/** node_modules/.cache/leakpilot at the repository root (this file is apps/cli/src/shared-cli/). */
export const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../../../../node_modules/.cache/leakpilot/', import.meta.url));

const resolved = new Map<string, Promise<URL>>();

/** The bundle of `entry`, built or rebuilt when stale; its tsx shim when bundling fails. */
export async function bundledWorkerUrl(entry: WorkerEntry, cacheDir = DEFAULT_CACHE_DIR): Promise<URL> {
  const bundlePath = join(cacheDir, `${entry.name}.mjs`);
  const manifestPath = join(cacheDir, `${entry.name}.json`);
  try {
    await ensureBundle({ sourcePath: fileURLToPath(entry.source), bundlePath, manifestPath });
    return pathToFileURL(bundlePath);
  } catch {
    return entry.fallback;
  }
}

/** `bundledWorkerUrl` looked up once per process and entry (the fingerprint check costs a few ms). */
export function workerUrl(entry: WorkerEntry): Promise<URL> {
  let url = resolved.get(entry.name);
  if (url === undefined) {
    url = bundledWorkerUrl(entry);
    resolved.set(entry.name, url);
  }
  return url;
}

/** A worker running `entry`, from its bundle when there is one (see the header on execArgv). */
export async function startWorker(entry: WorkerEntry, workerData: unknown): Promise<Worker> {
  const url = await workerUrl(entry);
  return new Worker(url, { workerData, execArgv: url === entry.fallback ? undefined : [] });
}
