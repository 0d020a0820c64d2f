/**
 * The migrations of the "leakpilot" IndexedDB database, one per version:
 * `MIGRATIONS[v - 1]` upgrades a database at version v - 1 to version v. On
 * open, every migration after the stored version runs, in order, inside the
 * one versionchange transaction, so a failed upgrade leaves the old version
 * intact. Migrations are typed against the latest schema (idb types a single
 * schema); each touches only what existed at its version.
 */
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { LeakPilotDbSchema } from './storage-schema.ts';

type UpgradeTransaction = IDBPTransaction<LeakPilotDbSchema, StoreNames<LeakPilotDbSchema>[], 'versionchange'>;
export type Migration = (db: IDBPDatabase<LeakPilotDbSchema>, transaction: UpgradeTransaction) => void;

export const MIGRATIONS: readonly Migration[] = [
  // version 1: hosts, sessions, dumps and results by session
  (db) => {
    db.createObjectStore('hosts', { keyPath: 'id' });
    db.createObjectStore('sessions', { keyPath: 'id' });
    db.createObjectStore('dumps', { keyPath: 'id' }).createIndex('by-session', 'sessionId');
    db.createObjectStore('results', { keyPath: 'id' }).createIndex('by-session', 'sessionId');
  },
  // version 2: app-wide settings; sessions listed most recently updated first
  (db, transaction) => {
    db.createObjectStore('settings', { keyPath: 'key' });
    transaction.objectStore('sessions').createIndex('by-updated', 'updatedAtMs');
  },
];

/** Runs the migrations from `oldVersion` (0 for a new database) to `newVersion`. */
export function runMigrations(db: IDBPDatabase<LeakPilotDbSchema>, transaction: UpgradeTransaction, oldVersion: number, newVersion: number): void {
  if (newVersion > MIGRATIONS.length) throw new Error(`no migration to version ${newVersion}`);
  for (let version = oldVersion + 1; version <= newVersion; version += 1) MIGRATIONS[version - 1](db, transaction);
}
