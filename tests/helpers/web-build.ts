/**
 * The browser tests' view of the PWA build: the one staleness rule lives in
 * scripts/web-build.mjs (shared with `npm start`); tests build quietly and get
 * vite's output in the thrown error when the build fails.
 */
export { REPO_ROOT, WEB_DIST, ensureWebBuilt } from '../../scripts/web-build.mjs';
