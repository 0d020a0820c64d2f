/** Streaming, resumable dump downloads into OPFS or a user-picked file. */
export * from './agent-dump-download.ts';
export * from './download-sink.ts';
export * from './opfs.ts';
export * from './rate-meter.ts';
export * from './resumable-download.ts';
export * from './body-chunks.ts';
