// Worker entry for parse-part.worker.ts (worker threads do not inherit the
// tsx loader the leakpilot bin registers; see read-ahead-worker.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./parse-part.worker.ts');
