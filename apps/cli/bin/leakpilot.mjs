#!/usr/bin/env node
// Entry point of the `leakpilot` command: runs src/main.ts from a bundle
// cached in node_modules/.cache/leakpilot, rebuilt when a source changed, or
// from source through tsx when it cannot be bundled (see cli-bundle.mjs).
// No build step is needed after `npm install`.
import { loadCli } from './cli-bundle.mjs';

const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2));
