// Worker entry for digest.worker.ts when it cannot be bundled: registers the
// tsx loader in the worker before importing the TypeScript module (see
// shared-cli/read-ahead-worker.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./digest.worker.ts');
