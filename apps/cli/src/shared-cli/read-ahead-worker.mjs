// Worker entry for read-ahead.worker.ts: worker threads do not inherit the
// tsx loader that the leakpilot bin registers, so this shim registers it in
// the worker before importing the TypeScript module (as bin/leakpilot.mjs does).
import { register } from 'tsx/esm/api';

register();
await import('./read-ahead.worker.ts');
