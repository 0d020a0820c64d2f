/**
 * Builds the parallel-parse harness page (index.html + harness.ts here) with
 * Vite, workers as ES modules as in apps/web/vite.config.ts, so the engine
 * worker and its dump part workers are bundled and started exactly as in the
 * PWA; then serves the build with `vite preview` on a free loopback port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

export interface HarnessServer {
  origin: string;
  /** the build being served (served with no-cache: a file removed here is gone for the page at once) */
  outDir: string;
  close(): Promise<void>;
}

export async function serveParallelParseHarness(): Promise<HarnessServer> {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const outDir = mkdtempSync(join(tmpdir(), 'leakpilot-parallel-harness-'));
  const config = {
    root,
    configFile: false as const,
    logLevel: 'warn' as const,
    worker: { format: 'es' as const },
    build: { outDir, emptyOutDir: true, target: 'es2022', sourcemap: true },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  };
  await build(config);
  const server = await preview(config);
  const address = server.httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('vite preview did not listen on a TCP port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    outDir,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
