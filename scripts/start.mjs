#!/usr/bin/env node
// `npm start`: the product on one machine. Builds the PWA when its sources are
// newer than the last build, makes the bundled demo session when missing, then
// runs the local agent on http://127.0.0.1:7373 serving the app from the same
// origin, so the local machine is already connected when the page opens.
// Extra arguments are passed to `leakpilot agent` (e.g. `npm start -- --port 8080`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT as repoRoot, WEB_DIST as webDist, ensureWebBuilt, webBuildIsStale } from './web-build.mjs';

const demoSession = join(repoRoot, 'apps/web/public/demo.leakpilot');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`leakpilot start: \`${command} ${args.join(' ')}\` failed`);
    process.exit(result.status ?? 1);
  }
}

const demoScript = join(repoRoot, 'scripts/make-demo-session.ts');
if (!existsSync(demoSession) && existsSync(demoScript)) {
  console.error('leakpilot start: making the demo session from fixtures/ruby-3.3.8 …');
  run('npx', ['tsx', demoScript]);
}

if (webBuildIsStale()) {
  console.error('leakpilot start: building the web app …');
  ensureWebBuilt({ quiet: false });
}

const agent = spawn(
  process.execPath,
  [join(repoRoot, 'apps/cli/bin/leakpilot.mjs'), 'agent', '--web', webDist, ...process.argv.slice(2)],
  { cwd: repoRoot, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => agent.kill(signal));
agent.on('exit', (code) => process.exit(code ?? 0));
