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
 * in about a second). Both files are written under a temporary name and
 * renamed, so a command running at the same time sees the old bundle or the
 * new one, never half of one. Same scheme as the workers' bundles
 * (apps/cli/src/shared-cli/worker-bundle.ts), written in plain JavaScript
 * here because it must run before any TypeScript can be loaded.
 *
 * `import.meta.url` in the CLI's own sources is replaced by each source
 * file's URL, so the URLs built from it (worker entries, the cache folder)
 * point where they did when run from source. esbuild itself stays external
 * (native binary, imported lazily to bundle the workers).
 *
 * When bundling fails (esbuild missing) or LEAKPILOT_FROM_SOURCE=1 is set,
 * the CLI runs from source through tsx, as before: slower start, same result.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SOURCE_PATH = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const CACHE_DIR = fileURLToPath(new URL('../../../node_modules/.cache/leakpilot/', import.meta.url));
const BUNDLE_PATH = join(CACHE_DIR, 'cli.mjs');
const MANIFEST_PATH = join(CACHE_DIR, 'cli.json');

/** CommonJS dependencies bundled into ESM call `require`; this gives them one. */
const REQUIRE_BANNER = "import { createRequire as __leakpilotCreateRequire } from 'node:module'; const require = __leakpilotCreateRequire(import.meta.url);";

async function fingerprint(path) {
  try {
    const info = await stat(path);
    return `${info.mtimeMs}:${info.size}`;
  } catch {
    return null;
  }
}

async function isFresh() {
  let inputs;
  try {
    inputs = Object.entries(JSON.parse(await readFile(MANIFEST_PATH, 'utf8')).inputs ?? {});
    await stat(BUNDLE_PATH);
  } catch {
    return false;
  }
  if (inputs.length === 0) return false;
  const current = await Promise.all(inputs.map(([path]) => fingerprint(path)));
  return inputs.every(([, recorded], index) => current[index] === recorded);
}

async function writeAtomically(path, contents) {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

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

async function build() {
  const esbuild = await import('esbuild');
  const workingDir = dirname(SOURCE_PATH);
  const result = await esbuild.build({
    entryPoints: [SOURCE_PATH],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: workingDir,
    external: ['esbuild'],
    banner: { js: REQUIRE_BANNER },
    plugins: [sourceUrlPlugin],
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild wrote no output for ${SOURCE_PATH}`);
  // fingerprints taken after the build: an input edited during it makes the next start rebuild
  const inputPaths = Object.keys(result.metafile.inputs).map((input) => resolve(workingDir, input));
  const fingerprints = await Promise.all(inputPaths.map(fingerprint));
  const inputs = {};
  inputPaths.forEach((path, index) => {
    if (fingerprints[index] !== null) inputs[path] = fingerprints[index];
  });
  await mkdir(CACHE_DIR, { recursive: true });
  await writeAtomically(BUNDLE_PATH, output.text);
  await writeAtomically(MANIFEST_PATH, JSON.stringify({ inputs }));
}

/** The path of a fresh CLI bundle (built when missing or stale), or null when it cannot be built. */
export async function freshCliBundle() {
  if (process.env.LEAKPILOT_FROM_SOURCE === '1') return null;
  try {
    if (!(await isFresh())) await build();
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
