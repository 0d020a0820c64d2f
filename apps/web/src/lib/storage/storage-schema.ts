/**
 * The IndexedDB schema of the web app (database "leakpilot"), typed for idb.
 *
 * Stores:
 * - `hosts`: the agents a person added, with their tokens (tokens live only
 *   here, never in a session or a session file).
 * - `sessions`: one row per session without its dumps and results
 *   (SessionRow), so listing sessions stays cheap.
 * - `dumps`: a session's dumps, with the FileSystemFileHandle of a local file
 *   where the browser gave one (handles are cloneable into IndexedDB, not JSON).
 * - `results`: analysis results (plain engine data), possibly large.
 * - `settings` (since version 2): small app-wide values (active session,
 *   whether the demo was offered).
 *
 * Every schema change adds a version and one migration (storage-migrations.ts);
 * existing versions are never edited.
 */
import type { DBSchema } from 'idb';
import type { SessionData, SessionDump, SessionResult } from '@leakpilot/shared/session/session-types.ts';

export const DB_NAME = 'leakpilot';
export const DB_VERSION = 2;

/** An agent as stored: its URL and token, and how a person named it. */
export interface HostRecord {
  id: string;
  name: string;
  url: string;
  /** bearer token, or null for a loopback agent without one */
  token: string | null;
  addedAtMs: number;
  updatedAtMs: number;
  /** added automatically because the app is served by this agent (same origin) */
  sameOrigin: boolean;
}

/** A session without its dumps and results. */
export type SessionRow = Omit<SessionData, 'dumps' | 'results'>;

export interface DumpRow extends SessionDump {
  sessionId: string;
  /** handle of a local file (File System Access API), when the browser provided one */
  fileHandle: FileSystemFileHandle | null;
}

export interface ResultRow extends SessionResult {
  sessionId: string;
}

export type SettingKey = 'active-session-id' | 'demo-offered' | 'local-host-id';

export interface SettingRow {
  key: SettingKey;
  value: string | number | boolean | null;
}

export interface LeakPilotDbSchema extends DBSchema {
  hosts: { key: string; value: HostRecord };
  sessions: { key: string; value: SessionRow; indexes: { 'by-updated': number } };
  dumps: { key: string; value: DumpRow; indexes: { 'by-session': string } };
  results: { key: string; value: ResultRow; indexes: { 'by-session': string } };
  settings: { key: SettingKey; value: SettingRow };
}
