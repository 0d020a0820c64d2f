/**
 * Worker entries bundled once into plain ESM so worker threads start fast.
 * A worker started from a `.mjs` shim registers tsx and loads the TypeScript
 * sources one by one, ~0.3-0.5 s of CPU per worker on this 2-vCPU box;
 * started from one bundled `.mjs` file it runs in tens of milliseconds.
 *
 * Cache: `<cacheDir>/<name>.mjs` plus `<name>.json`, the manifest of the
 * inputs esbuild read (path, mtime, size) when it wrote that bundle. The
 * bundle is reused only while every input still has the size and mtime the
 * manifest records; otherwise it is rebuilt. Both files are written to a
 * temporary name and renamed, so a process running at the same time reads
 * either the old bundle or the new one, never half of one.
 *
 * If esbuild is missing or the build fails, the caller gets the tsx shim
 * instead: slower start, same result. One lookup per entry per process.
 *
 * A bundled worker gets no execArgv: by default a worker inherits the
 * parent's, and under `tsx` (the bench, scripts) that is tsx's loader, which
 * the worker would load for nothing (measured: 160 ms to the first message
 * with it, 87 ms without, 48 ms for an empty worker).
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface WorkerEntry {
  /** names the bundle in the cache directory */
  name: string;
  /** the TypeScript module the worker runs */
  source: URL;
  /** the `.mjs` shim that registers tsx, used when bundling fails */
  fallback: URL;
}

interface Manifest {
  /** absolute input path -> `${mtimeMs}:${sizeBytes}` when the bundle was built */
  inputs: Record<string, string>;
}

/** node_modules/.cache/leakpilot at the repository root (this file is apps/cli/src/shared-cli/). */
export const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../../../../node_modules/.cache/leakpilot/', import.meta.url));

const resolved = new Map<string, Promise<URL>>();

async function fingerprint(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    return `${info.mtimeMs}:${info.size}`;
  } catch {
    return null;
  }
}

async function isFresh(bundlePath: string, manifestPath: string): Promise<boolean> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    await stat(bundlePath);
  } catch {
    return false;
  }
  const inputs = Object.entries(manifest.inputs ?? {});
  if (inputs.length === 0) return false;
  const current = await Promise.all(inputs.map(([path]) => fingerprint(path)));
  return inputs.every(([, recorded], index) => current[index] === recorded);
}

async function writeAtomically(path: string, contents: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

async function build(entry: WorkerEntry, bundlePath: string, manifestPath: string): Promise<void> {
  const esbuild = await import('esbuild');
  const sourcePath = fileURLToPath(entry.source);
  const result = await esbuild.build({
    entryPoints: [sourcePath],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: dirname(sourcePath),
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild wrote no output for ${sourcePath}`);
  // Fingerprints are taken after the build: an input edited during it makes the next start rebuild.
  const inputPaths = Object.keys(result.metafile.inputs).map((input) => resolve(dirname(sourcePath), input));
  const fingerprints = await Promise.all(inputPaths.map(fingerprint));
  const inputs: Record<string, string> = {};
  inputPaths.forEach((path, index) => {
    const recorded = fingerprints[index];
    if (recorded !== null && recorded !== undefined) inputs[path] = recorded;
  });
  await mkdir(dirname(bundlePath), { recursive: true });
  await writeAtomically(bundlePath, output.text);
  await writeAtomically(manifestPath, JSON.stringify({ inputs } satisfies Manifest));
}

/** The bundle of `entry`, built or rebuilt when stale; its tsx shim when bundling fails. */
export async function bundledWorkerUrl(entry: WorkerEntry, cacheDir = DEFAULT_CACHE_DIR): Promise<URL> {
  const bundlePath = join(cacheDir, `${entry.name}.mjs`);
  const manifestPath = join(cacheDir, `${entry.name}.json`);
  try {
    if (!(await isFresh(bundlePath, manifestPath))) await build(entry, bundlePath, manifestPath);
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
