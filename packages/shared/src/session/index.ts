/**
 * The `.leakpilot` session format: what a session holds (session-types.ts),
 * how a file is validated (session-validate.ts) and read/written with gzip
 * (session-codec.ts), and its typed error (session-errors.ts).
 */
export * from './session-types.ts';
export * from './session-errors.ts';
export * from './session-validate.ts';
export * from './session-codec.ts';
