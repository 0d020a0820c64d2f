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
export * from './graph/object-graph.ts';
export * from './graph/dominators.ts';
export * from './graph/retained-sizes.ts';
export * from './graph/retainers.ts';
export * from './graph/shortest-paths.ts';
export * from './graph/retainer-path.ts';
export * from './graph/retaining-edge.ts';
export * from './diff/diff-types.ts';
export * from './diff/series-diff.ts';
export * from './diff/identity-keys.ts';
export * from './diff/dump-digest.ts';
export * from './diff/match-identities.ts';
export * from './analyses/suspects.ts';
export * from './analyses/suspect-hints.ts';
export * from './analyses/suspect-holder.ts';
export * from './api/engine-api.ts';
export * from './api/engine-errors.ts';
export * from './api/engine.ts';
export * from './analyses/summary.ts';
export * from './analyses/app-root.ts';
export * from './parse/parse-parts.ts';
