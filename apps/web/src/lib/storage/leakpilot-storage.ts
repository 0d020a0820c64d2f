/**
 * LeakPilotStorage: everything the web app keeps in IndexedDB, behind methods
 * that speak in sessions, hosts, dumps and results (schema in
 * storage-schema.ts, migrations in storage-migrations.ts).
 *
 * Invariants:
 * - A session's dumps and results are deleted with it, in one transaction.
 * - `importSession` writes a whole session in one transaction, under fresh
 *   ids (so importing the same file twice gives two sessions, never a mix);
 *   callers decode and validate the file first, so a damaged file never
 *   reaches storage and nothing stored changes.
 * - `getSession` returns the exact SessionData shape of the session file
 *   format; `exportSession` is what `encodeSessionFile` takes.
 * - Tokens stay in `hosts`; sessions only hold host snapshots without tokens.
 */
import { openDB, type IDBPDatabase, type IDBPObjectStore, type StoreNames } from 'idb';
import { createSessionData, validateSessionData, type SessionData, type SessionDump, type SessionResult } from '@leakpilot/shared/session/index.ts';
import { runMigrations } from './storage-migrations.ts';
import { DB_NAME, DB_VERSION, type DumpRow, type HostRecord, type LeakPilotDbSchema, type ResultRow, type SessionRow, type SettingKey, type SettingRow } from './storage-schema.ts';

export interface SessionListEntry {
  id: string;
  name: string;
  createdAtMs: number;
  updatedAtMs: number;
  dumpCount: number;
  resultCount: number;
}

/** The fields of a session row a caller may change directly. */
export type SessionPatch = Partial<Pick<SessionRow, 'name' | 'notes' | 'checklist' | 'deployMarkers' | 'hosts' | 'rootCauseFoundAtMs'>>;

type SessionStoreInTransaction = IDBPObjectStore<LeakPilotDbSchema, ArrayLike<StoreNames<LeakPilotDbSchema>>, 'sessions', 'readwrite'>;

export class StorageNotFoundError extends Error {
  override readonly name = 'StorageNotFoundError';
  constructor(what: string, id: string) {
    super(`${what} "${id}" is not in this browser's storage (it may have been deleted)`);
  }
}

export function newId(): string {
  return crypto.randomUUID();
}

function rowOfSession(session: SessionData): SessionRow {
  const { dumps: _dumps, results: _results, ...row } = session;
  return row;
}

function dumpOfRow(row: DumpRow): SessionDump {
  const { sessionId: _sessionId, fileHandle: _fileHandle, ...dump } = row;
  return dump;
}

function resultOfRow(row: ResultRow): SessionResult {
  const { sessionId: _sessionId, ...result } = row;
  return result;
}

export class LeakPilotStorage {
  private constructor(readonly db: IDBPDatabase<LeakPilotDbSchema>) {}

  /**
   * Opens (and migrates) the database. `dbName` differs only in tests.
   * `onVersionChange` is told when another tab (a newer app version) needs to
   * upgrade the database: this connection closes so it can, and this tab
   * should ask the person to reload.
   */
  static async open(dbName = DB_NAME, options: { onVersionChange?: () => void } = {}): Promise<LeakPilotStorage> {
    let opened: IDBPDatabase<LeakPilotDbSchema> | null = null;
    opened = await openDB<LeakPilotDbSchema>(dbName, DB_VERSION, {
      upgrade(database, oldVersion, newVersion, transaction) {
        runMigrations(database, transaction, oldVersion, newVersion ?? DB_VERSION);
      },
      blocking() {
        // another tab wants a newer version: close so it can upgrade (this tab must reload to follow)
        opened?.close();
        options.onVersionChange?.();
      },
    });
    return new LeakPilotStorage(opened);
  }

  close(): void {
    this.db.close();
  }

  // ------------------------------------------------------------ hosts

  async listHosts(): Promise<HostRecord[]> {
    return (await this.db.getAll('hosts')).sort((a, b) => a.addedAtMs - b.addedAtMs);
  }

  async getHost(id: string): Promise<HostRecord | undefined> {
    return this.db.get('hosts', id);
  }

  /** Adds or replaces a host; returns it with its `updatedAtMs` set. */
  async putHost(host: HostRecord, nowMs = Date.now()): Promise<HostRecord> {
    const stored = { ...host, updatedAtMs: nowMs };
    await this.db.put('hosts', stored);
    return stored;
  }

  async deleteHost(id: string): Promise<void> {
    await this.db.delete('hosts', id);
  }

  // ------------------------------------------------------------ sessions

  async listSessions(): Promise<SessionListEntry[]> {
    const tx = this.db.transaction(['sessions', 'dumps', 'results'], 'readonly');
    const rows = await tx.objectStore('sessions').index('by-updated').getAll();
    const entries: SessionListEntry[] = [];
    for (const row of rows.reverse()) {
      entries.push({
        id: row.id,
        name: row.name,
        createdAtMs: row.createdAtMs,
        updatedAtMs: row.updatedAtMs,
        dumpCount: await tx.objectStore('dumps').index('by-session').count(row.id),
        resultCount: await tx.objectStore('results').index('by-session').count(row.id),
      });
    }
    await tx.done;
    return entries;
  }

  async createSession(name: string, nowMs = Date.now()): Promise<SessionData> {
    const session = createSessionData(newId(), name, nowMs);
    await this.db.add('sessions', rowOfSession(session));
    return session;
  }

  /** The whole session: row, dumps (in the order added) and results. */
  async getSession(id: string): Promise<SessionData> {
    const tx = this.db.transaction(['sessions', 'dumps', 'results'], 'readonly');
    const row = await tx.objectStore('sessions').get(id);
    const dumps = await tx.objectStore('dumps').index('by-session').getAll(id);
    const results = await tx.objectStore('results').index('by-session').getAll(id);
    await tx.done;
    if (!row) throw new StorageNotFoundError('Session', id);
    return {
      ...row,
      dumps: dumps.sort((a, b) => a.addedAtMs - b.addedAtMs).map(dumpOfRow),
      results: results.sort((a, b) => a.createdAtMs - b.createdAtMs).map(resultOfRow),
    };
  }

  /** Changes some fields of a session and bumps `updatedAtMs`. */
  async updateSession(id: string, patch: SessionPatch, nowMs = Date.now()): Promise<SessionRow> {
    const tx = this.db.transaction('sessions', 'readwrite');
    const row = await tx.store.get(id);
    if (!row) throw new StorageNotFoundError('Session', id);
    const updated: SessionRow = { ...row, ...patch, updatedAtMs: nowMs };
    await tx.store.put(updated);
    await tx.done;
    return updated;
  }

  renameSession(id: string, name: string, nowMs = Date.now()): Promise<SessionRow> {
    return this.updateSession(id, { name }, nowMs);
  }

  /**
   * Deletes a session with its dumps and results. Returns the OPFS paths of
   * its downloaded dumps, which the caller may delete (OPFS is not IndexedDB).
   */
  async deleteSession(id: string): Promise<string[]> {
    const tx = this.db.transaction(['sessions', 'dumps', 'results'], 'readwrite');
    const opfsPaths: string[] = [];
    for (const dump of await tx.objectStore('dumps').index('by-session').getAll(id)) {
      if (dump.source.kind === 'agent' && dump.source.opfsPath) opfsPaths.push(dump.source.opfsPath);
      await tx.objectStore('dumps').delete(dump.id);
    }
    for (const key of await tx.objectStore('results').index('by-session').getAllKeys(id)) await tx.objectStore('results').delete(key);
    await tx.objectStore('sessions').delete(id);
    await tx.done;
    return opfsPaths;
  }

  /** Bumps a session's `updatedAtMs` inside the caller's transaction (which must include `sessions`). */
  private async touch(sessions: SessionStoreInTransaction, sessionId: string, nowMs: number): Promise<void> {
    const row = await sessions.get(sessionId);
    if (!row) throw new StorageNotFoundError('Session', sessionId);
    await sessions.put({ ...row, updatedAtMs: nowMs });
  }

  // ------------------------------------------------------------ dumps and results

  /** Adds or replaces a dump of a session, with its local file handle if any. */
  async putDump(sessionId: string, dump: SessionDump, fileHandle: FileSystemFileHandle | null = null, nowMs = Date.now()): Promise<void> {
    const tx = this.db.transaction(['sessions', 'dumps'], 'readwrite');
    await this.touch(tx.objectStore('sessions'), sessionId, nowMs);
    await tx.objectStore('dumps').put({ ...dump, sessionId, fileHandle });
    await tx.done;
  }

  async getDumpRow(dumpId: string): Promise<DumpRow | undefined> {
    return this.db.get('dumps', dumpId);
  }

  /** Removes a dump and every result computed from it. */
  async deleteDump(sessionId: string, dumpId: string, nowMs = Date.now()): Promise<void> {
    const tx = this.db.transaction(['sessions', 'dumps', 'results'], 'readwrite');
    await this.touch(tx.objectStore('sessions'), sessionId, nowMs);
    await tx.objectStore('dumps').delete(dumpId);
    for (const result of await tx.objectStore('results').index('by-session').getAll(sessionId)) {
      if (result.dumpIds.includes(dumpId)) await tx.objectStore('results').delete(result.id);
    }
    await tx.done;
  }

  async putResult(sessionId: string, result: SessionResult, nowMs = Date.now()): Promise<void> {
    const tx = this.db.transaction(['sessions', 'results'], 'readwrite');
    await this.touch(tx.objectStore('sessions'), sessionId, nowMs);
    await tx.objectStore('results').put({ ...result, sessionId });
    await tx.done;
  }

  async deleteResult(sessionId: string, resultId: string, nowMs = Date.now()): Promise<void> {
    const tx = this.db.transaction(['sessions', 'results'], 'readwrite');
    await this.touch(tx.objectStore('sessions'), sessionId, nowMs);
    await tx.objectStore('results').delete(resultId);
    await tx.done;
  }

  // ------------------------------------------------------------ import / export

  /** The session as the session file format holds it (no file handles, no tokens). */
  exportSession(id: string): Promise<SessionData> {
    return this.getSession(id);
  }

  /**
   * Stores a decoded, validated session under fresh ids in one transaction
   * and returns the stored copy. Re-validates first: nothing is written if the
   * data is not a valid session.
   */
  async importSession(session: SessionData, nowMs = Date.now()): Promise<SessionData> {
    const valid = validateSessionData(session);
    const dumpIdMap = new Map(valid.dumps.map((dump) => [dump.id, newId()]));
    const imported: SessionData = {
      ...valid,
      id: newId(),
      updatedAtMs: nowMs,
      dumps: valid.dumps.map((dump) => ({ ...dump, id: dumpIdMap.get(dump.id) ?? newId() })),
      results: valid.results.map((result) => ({ ...result, id: newId(), dumpIds: result.dumpIds.map((id) => dumpIdMap.get(id) ?? id) })),
    };
    const tx = this.db.transaction(['sessions', 'dumps', 'results'], 'readwrite');
    await tx.objectStore('sessions').add(rowOfSession(imported));
    for (const dump of imported.dumps) await tx.objectStore('dumps').add({ ...dump, sessionId: imported.id, fileHandle: null });
    for (const result of imported.results) await tx.objectStore('results').add({ ...result, sessionId: imported.id });
    await tx.done;
    return imported;
  }

  // ------------------------------------------------------------ settings

  async getSetting(key: SettingKey): Promise<SettingRow['value'] | undefined> {
    return (await this.db.get('settings', key))?.value;
  }

  async putSetting(key: SettingKey, value: SettingRow['value']): Promise<void> {
    await this.db.put('settings', { key, value });
  }
}
