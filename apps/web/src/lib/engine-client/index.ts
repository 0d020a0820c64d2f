/** The main thread's handle on the engine workers: EngineClient, its protocol types and errors. */
export * from './engine-client.ts';
export * from './engine-errors.ts';
export * from './engine-protocol.ts';
export { EngineWorkerCrashedError, EngineWorkerRestartedError } from './engine-worker-slot.ts';
