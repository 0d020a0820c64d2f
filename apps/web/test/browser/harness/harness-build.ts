// Bundles the browser-test harness page and the real engine worker with
// esbuild into a temporary folder, plus an index.html that loads the page.
// The worker is the production source (src/workers/engine.worker.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export async function buildHarness(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'leakpilot-harness-'));
  const entry = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
  await build({
    entryPoints: { harness: entry('./harness-entry.ts'), 'engine.worker': entry('../../../src/workers/engine.worker.ts') },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outdir: outDir,
    sourcemap: 'inline',
    logLevel: 'warning',
    define: { __LEAKPILOT_HAS_SERVICE_WORKER__: 'false' },
  });
  writeFileSync(join(outDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>loading</title><script type="module" src="/harness.js"></script>');
  return outDir;
}
