/** The agent client: typed requests, actionable errors, the history stream reader. */
export * from './agent-client.ts';
export * from './agent-errors.ts';
export * from './sse-reader.ts';
