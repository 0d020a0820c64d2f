/**
 * A small Vite plugin that turns src/sw/service-worker.ts into dist/sw.js at
 * build time, with the exact list of files to precache baked in.
 *
 * The list is every file Vite emitted (hashed JS/CSS chunks, workers,
 * index.html) plus every file of `public/` (manifest, icons, demo session),
 * as root-relative URLs. Source maps and the service worker itself are left
 * out. The cache version is a hash of the list and of the bytes of the files,
 * so any change to the shell installs a new service worker, which then drops
 * the old cache.
 *
 * Why not workbox: all we need is "precache this list, serve it offline"; a
 * 100-line service worker we can read beats a dependency we would configure.
 * In `vite dev` nothing is emitted and `__LEAKPILOT_HAS_SERVICE_WORKER__` is
 * false, so the app registers no worker.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { transform } from 'esbuild';
import type { Plugin, ResolvedConfig } from 'vite';

export interface PrecachePluginOptions {
  /** absolute path of the service worker's TypeScript source */
  source: string;
  /** output file name, served at the site root so its scope is the whole app */
  fileName?: string;
}

/** Files never precached: maps, and the worker itself (the browser fetches it). */
function isPrecachable(fileName: string, serviceWorkerFileName: string): boolean {
  return !fileName.endsWith('.map') && fileName !== serviceWorkerFileName;
}

function listFilesRecursively(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const name of names) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...listFilesRecursively(path));
    else files.push(path);
  }
  return files;
}

export function precacheServiceWorker(options: PrecachePluginOptions): Plugin {
  const serviceWorkerFileName = options.fileName ?? 'sw.js';
  let config: ResolvedConfig | undefined;
  return {
    name: 'leakpilot:precache-service-worker',
    enforce: 'post',
    // Tells the app whether a sw.js exists: true in every `vite build`, whatever NODE_ENV
    // says (under Vitest it is "test", which turns import.meta.env.PROD off).
    config(_userConfig, env) {
      return { define: { __LEAKPILOT_HAS_SERVICE_WORKER__: JSON.stringify(env.command === 'build') } };
    },
    configResolved(resolved) {
      config = resolved;
    },
    async generateBundle(_outputOptions, bundle) {
      if (config?.command !== 'build') return;
      const versionHash = createHash('sha256');
      const urls = new Set<string>(['/']);
      for (const [fileName, output] of Object.entries(bundle)) {
        if (!isPrecachable(fileName, serviceWorkerFileName)) continue;
        urls.add(`/${fileName}`);
        versionHash.update(fileName);
        versionHash.update(output.type === 'chunk' ? output.code : output.source);
      }
      const publicDir = config?.publicDir;
      if (publicDir) {
        for (const path of listFilesRecursively(publicDir)) {
          const fileName = relative(publicDir, path).split(sep).join('/');
          if (!isPrecachable(fileName, serviceWorkerFileName)) continue;
          urls.add(`/${fileName}`);
          versionHash.update(fileName);
          versionHash.update(readFileSync(path));
        }
      }
      const precacheUrls = [...urls].sort();
      const compiled = await transform(readFileSync(options.source, 'utf8'), {
        loader: 'ts',
        format: 'iife',
        target: 'es2022',
        define: {
          __PRECACHE_URLS__: JSON.stringify(precacheUrls),
          __CACHE_VERSION__: JSON.stringify(versionHash.digest('hex').slice(0, 16)),
        },
      });
      this.emitFile({ type: 'asset', fileName: serviceWorkerFileName, source: compiled.code });
    },
  };
}
