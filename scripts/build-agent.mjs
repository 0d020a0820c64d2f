#!/usr/bin/env node
// `npm run build:agent`: bundles the host agent (apps/agent/src/server.ts and
// everything it imports: hono, @hono/node-server, @leakpilot/shared) into one
// self-contained ES module, dist/leakpilot-agent.mjs, that runs with plain
// `node` (20+) and no node_modules, so it can be copied onto a production host.
import { chmodSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = process.argv[2] ?? join(root, 'dist', 'leakpilot-agent.mjs');

await build({
  entryPoints: [join(root, 'apps/agent/src/server.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner: {
    js: [
      '#!/usr/bin/env node',
      '// LeakPilot host agent, single file. Run: node leakpilot-agent.mjs --help',
      "import { createRequire as __leakpilotCreateRequire } from 'node:module';",
      'const require = __leakpilotCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});
chmodSync(outfile, 0o755);
process.stdout.write(`built ${outfile} (${(statSync(outfile).size / 1024).toFixed(0)} KiB)\n`);
