/**
 * The public surface of @leakpilot/shared: the engine and the shared API types.
 */
export * from './api/agent-api.ts';
export * from './session/index.ts';
export * from './store/heap-dump.ts';
export * from './store/object-types.ts';
export * from './store/flags.ts';
export * from './store/lookup.ts';
export * from './store/address-order.ts';
export * from './parse/errors.ts';
export * from './parse/problems.ts';
export * from './parse/parse-heap-dump.ts';
