/**
 * The public surface of @leakpilot/shared: the engine and the shared API types.
 */
export * from './api/agent-api.ts';
export * from './session/index.ts';
