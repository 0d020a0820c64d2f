// Builds the PWA (`vite build apps/web`) when apps/web/dist is missing or
// older than any file it is made from: the app's sources, public files, build
// plugins and config, and packages/shared. Used by `npm start` and by the
// browser tests, so both always serve the current code without rebuilding on
// every run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIST = join(REPO_ROOT, 'apps/web/dist');

const WEB_ROOT = join(REPO_ROOT, 'apps/web');
const BUILD_INPUTS = [
  join(WEB_ROOT, 'src'),
  join(WEB_ROOT, 'public'),
  join(WEB_ROOT, 'build'),
  join(WEB_ROOT, 'index.html'),
  join(WEB_ROOT, 'vite.config.ts'),
  join(REPO_ROOT, 'packages/shared/src'),
];

function newestMtimeMs(path) {
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

export function webBuildIsStale() {
  const builtMs = existsSync(join(WEB_DIST, 'index.html')) ? statSync(join(WEB_DIST, 'index.html')).mtimeMs : 0;
  return builtMs < Math.max(...BUILD_INPUTS.map(newestMtimeMs));
}

/** Builds when stale; returns the dist folder. Throws with vite's output when the build fails. */
export function ensureWebBuilt({ quiet = true } = {}) {
  if (webBuildIsStale()) {
    const result = spawnSync('npx', ['vite', 'build', 'apps/web', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: quiet ? 'pipe' : 'inherit',
    });
    if (result.status !== 0) throw new Error(`vite build apps/web failed:\n${result.stdout ?? ''}\n${result.stderr ?? ''}`);
  }
  return WEB_DIST;
}
