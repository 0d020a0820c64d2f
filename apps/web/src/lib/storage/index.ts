/** IndexedDB storage of sessions, hosts, dumps, results and settings. */
export * from './leakpilot-storage.ts';
export * from './storage-schema.ts';
export { MIGRATIONS, runMigrations } from './storage-migrations.ts';
