/**
 * One esbuild bundle of a TypeScript entry, cached with a manifest of the
 * inputs esbuild read, shared by the CLI's own bundle (cli-bundle.mjs) and
 * its workers' (src/shared-cli/worker-bundle.ts). Plain JavaScript because
 * the CLI bundle is made before any TypeScript can be loaded.
 *
 * The manifest maps each absolute input path to `mtimeMs:size` as it was
 * after the build; the bundle is reused while every input still has that
 * fingerprint, else rebuilt. Both files are written under a temporary name
 * and renamed, so a process running at the same time reads the old bundle
 * or the new one, never half of one.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

async function fingerprint(path) {
  try {
    const info = await stat(path);
    return `${info.mtimeMs}:${info.size}`;
  } catch {
    return null;
  }
}

async function isFresh(bundlePath, manifestPath) {
  let inputs;
  try {
    inputs = Object.entries(JSON.parse(await readFile(manifestPath, 'utf8')).inputs ?? {});
    await stat(bundlePath);
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

async function build({ sourcePath, bundlePath, manifestPath, esbuildOptions }) {
  const esbuild = await import('esbuild');
  const workingDir = dirname(sourcePath);
  const result = await esbuild.build({
    entryPoints: [sourcePath],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: workingDir,
    ...esbuildOptions,
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild wrote no output for ${sourcePath}`);
  // fingerprints taken after the build: an input edited during it makes the next start rebuild
  const inputPaths = Object.keys(result.metafile.inputs).map((input) => resolve(workingDir, input));
  const fingerprints = await Promise.all(inputPaths.map(fingerprint));
  const inputs = {};
  inputPaths.forEach((path, index) => {
    if (fingerprints[index] !== null) inputs[path] = fingerprints[index];
  });
  await mkdir(dirname(bundlePath), { recursive: true });
  await writeAtomically(bundlePath, output.text);
  await writeAtomically(manifestPath, JSON.stringify({ inputs }));
}

/** Makes sure `bundlePath` is a fresh bundle of `sourcePath` (built when missing or stale); throws when it cannot be built. */
export async function ensureBundle(target) {
  if (!(await isFresh(target.bundlePath, target.manifestPath))) await build({ esbuildOptions: {}, ...target });
}
