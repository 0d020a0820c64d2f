/**
 * The CLI as one bundled ESM file, so `leakpilot` runs on plain Node instead
 * of loading its TypeScript sources through tsx at every start. tsx's loader
 * hooks run on their own thread: measured on the 3-dump diff of the ~1 GB
 * bench dumps, ~35-40 MB of peak RSS and a few hundred ms of start-up that
 * the bundle does not pay (node alone starts at ~40 MB).
 *
 * Cache: node_modules/.cache/leakpilot/cli.mjs plus cli.json, the manifest of
 * the inputs esbuild read (absolute path -> `mtimeMs:size`) when it wrote the
 * bundle. The bundle is reused while every input still has the recorded
 * fingerprint, else rebuilt (a fresh clone builds it on its first command,
 * in about a second); the caching is bundle-cache.mjs, shared with the
 * workers' bundles (apps/cli/src/shared-cli/worker-bundle.ts).
 *
 * `import.meta.url` in the CLI's own sources is replaced by each source
 * file's URL, so the URLs built from it (worker entries, the cache folder)
 * point where they did when run from source. esbuild itself stays external
 * (native binary, imported lazily to bundle the workers).
 *
 * When bundling fails (esbuild missing) or LEAKPILOT_FROM_SOURCE=1 is set,
 * the CLI runs from source through tsx, as before: slower start, same result.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBundle } from './bundle-cache.mjs';

const SOURCE_PATH = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const CACHE_DIR = fileURLToPath(new URL('../../../node_modules/.cache/leakpilot/', import.meta.url));
const BUNDLE_PATH = join(CACHE_DIR, 'cli.mjs');
const MANIFEST_PATH = join(CACHE_DIR, 'cli.json');

/** CommonJS dependencies bundled into ESM call `require`; this gives them one. */
const REQUIRE_BANNER = "import { createRequire as __leakpilotCreateRequire } from 'node:module'; const require = __leakpilotCreateRequire(import.meta.url);";

/** esbuild plugin: `import.meta.url` of each own source becomes that source's file URL. */
const sourceUrlPlugin = {
  name: 'leakpilot-source-url',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const loader = extname(args.path).endsWith('ts') ? 'ts' : 'js';
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader };
    });
  },
};

/** The path of a fresh CLI bundle (built when missing or stale), or null when it cannot be built. */
export async function freshCliBundle() {
  if (process.env.LEAKPILOT_FROM_SOURCE === '1') return null;
  try {
    await ensureBundle({
      sourcePath: SOURCE_PATH,
      bundlePath: BUNDLE_PATH,
      manifestPath: MANIFEST_PATH,
      esbuildOptions: { external: ['esbuild'], banner: { js: REQUIRE_BANNER }, plugins: [sourceUrlPlugin] },
    });
    return BUNDLE_PATH;
  } catch {
    return null;
  }
}

/** The CLI's main module: from the bundle, or from source through tsx. */
export async function loadCli() {
  const bundle = await freshCliBundle();
  if (bundle !== null) return import(pathToFileURL(bundle).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(SOURCE_PATH).href);
}
