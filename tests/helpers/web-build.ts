/**
 * Builds the PWA (`vite build apps/web`) when apps/web/dist is missing or
 * older than any source file of the app or of packages/shared, so browser
 * tests always run the current code without rebuilding on every run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_DIST = join(REPO_ROOT, 'apps/web/dist');

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  }
  return newest;
}

export function ensureWebBuilt(): string {
  const web = join(REPO_ROOT, 'apps/web');
  const sourcesMs = Math.max(
    newestMtimeMs(join(web, 'src')),
    newestMtimeMs(join(web, 'public')),
    newestMtimeMs(join(web, 'index.html')),
    newestMtimeMs(join(web, 'vite.config.ts')),
    newestMtimeMs(join(REPO_ROOT, 'packages/shared/src')),
  );
  const builtMs = existsSync(join(WEB_DIST, 'index.html')) ? statSync(join(WEB_DIST, 'index.html')).mtimeMs : 0;
  if (builtMs < sourcesMs) {
    const result = spawnSync('npx', ['vite', 'build', 'apps/web', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`vite build apps/web failed:\n${result.stdout}\n${result.stderr}`);
  }
  return WEB_DIST;
}
