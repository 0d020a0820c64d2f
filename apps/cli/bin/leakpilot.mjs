#!/usr/bin/env node
// Entry point of the `leakpilot` command. The CLI is TypeScript consumed from
// source (like every internal package), so this shim registers tsx's loader
// and hands over to src/main.ts. No build step is needed after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
