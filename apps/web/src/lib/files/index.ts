/** Opening local dump files: picker, drag and drop, file input fallback. */
export * from './local-dump-files.ts';
export * from './launched-files.ts';
