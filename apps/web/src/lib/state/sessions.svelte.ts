/**
 * The sessions a person keeps in this browser and the one that is open. Every
 * change goes to IndexedDB first (LeakPilotStorage) and then replaces
 * `current` as a whole ($state.raw: a session can hold large results), so the
 * views always show what is stored.
 *
 * Import decodes and validates the whole file before anything is written; a
 * damaged or foreign file leaves storage as it was and sets `importError` to
 * the reader's message.
 */
import {
  decodeSessionFile,
  encodeSessionFile,
  SESSION_FILE_EXTENSION,
  SessionFileError,
  type ChecklistStepRecord,
  type SessionData,
  type SessionDump,
  type SessionResult,
} from '@leakpilot/shared/session/index.ts';
import { deleteOpfsFile } from '../downloads/index.ts';
import { newId, type LeakPilotStorage, type SessionListEntry, type SessionPatch } from '../storage/index.ts';

export const PRODUCER = 'LeakPilot 0.1.0';

export class SessionsState {
  list = $state.raw<SessionListEntry[]>([]);
  current = $state.raw<SessionData | null>(null);
  importError = $state<string | null>(null);
  lastImportedName = $state<string | null>(null);
  busy = $state(false);

  #storage: LeakPilotStorage | null = null;

  /** the newest deploy marker of the open session */
  readonly deployTimeMs = $derived.by(() => {
    const markers = this.current?.deployMarkers ?? [];
    return markers.length === 0 ? null : Math.max(...markers.map((marker) => marker.atMs));
  });

  attach(storage: LeakPilotStorage): void {
    this.#storage = storage;
  }

  get storage(): LeakPilotStorage {
    if (!this.#storage) throw new Error('storage is not open yet');
    return this.#storage;
  }

  async refreshList(): Promise<void> {
    this.list = await this.storage.listSessions();
  }

  async open(id: string): Promise<void> {
    this.current = await this.storage.getSession(id);
    await this.storage.putSetting('active-session-id', id);
  }

  async reloadCurrent(): Promise<void> {
    if (this.current) this.current = await this.storage.getSession(this.current.id);
    await this.refreshList();
  }

  async create(name: string): Promise<SessionData> {
    const session = await this.storage.createSession(name.trim() || 'Untitled session');
    await this.open(session.id);
    await this.refreshList();
    return session;
  }

  async rename(id: string, name: string): Promise<void> {
    await this.storage.renameSession(id, name.trim() || 'Untitled session');
    if (this.current?.id === id) await this.reloadCurrent();
    else await this.refreshList();
  }

  /** Deletes a session with its dumps and results, and the dump copies it kept in OPFS. */
  async remove(id: string): Promise<void> {
    const opfsPaths = await this.storage.deleteSession(id);
    for (const path of opfsPaths) await deleteOpfsFile(path).catch(() => undefined);
    if (this.current?.id === id) {
      this.current = null;
      await this.storage.putSetting('active-session-id', null);
    }
    await this.refreshList();
  }

  async patch(patch: SessionPatch): Promise<void> {
    if (!this.current) return;
    await this.storage.updateSession(this.current.id, patch);
    await this.reloadCurrent();
  }

  setNotes(notes: string): Promise<void> {
    return this.patch({ notes });
  }

  setChecklist(checklist: ChecklistStepRecord[]): Promise<void> {
    return this.patch({ checklist });
  }

  setRootCauseFound(found: boolean): Promise<void> {
    return this.patch({ rootCauseFoundAtMs: found ? Date.now() : null });
  }

  markDeploy(atMs: number, hostId: string | null): Promise<void> {
    const markers = [...(this.current?.deployMarkers ?? []), { id: newId(), hostId, atMs, label: 'deploy' }];
    return this.patch({ deployMarkers: markers });
  }

  clearDeploy(): Promise<void> {
    return this.patch({ deployMarkers: [] });
  }

  /** Records the agent in the open session (name and URL, never the token) if it is not there yet. */
  async rememberHost(host: { id: string; name: string; url: string }): Promise<void> {
    if (!this.current || this.current.hosts.some((known) => known.id === host.id)) return;
    await this.patch({ hosts: [...this.current.hosts, { id: host.id, name: host.name, url: host.url, addedAtMs: Date.now() }] });
  }

  async addDump(dump: SessionDump, fileHandle: FileSystemFileHandle | null = null): Promise<void> {
    if (!this.current) return;
    await this.storage.putDump(this.current.id, dump, fileHandle);
    await this.reloadCurrent();
  }

  async removeDump(dumpId: string): Promise<void> {
    if (!this.current) return;
    const dump = this.current.dumps.find((candidate) => candidate.id === dumpId);
    await this.storage.deleteDump(this.current.id, dumpId);
    if (dump?.source.kind === 'agent' && dump.source.opfsPath) await deleteOpfsFile(dump.source.opfsPath).catch(() => undefined);
    await this.reloadCurrent();
  }

  async addResult(result: SessionResult): Promise<void> {
    if (!this.current) return;
    await this.storage.putResult(this.current.id, result);
    await this.reloadCurrent();
  }

  /** Reads, validates and stores a `.leakpilot` file; opens it. Nothing is stored on failure. */
  async importFile(file: Blob, fileName: string): Promise<SessionData | null> {
    this.importError = null;
    this.busy = true;
    try {
      const decoded = await decodeSessionFile(file);
      const stored = await this.storage.importSession(decoded.session);
      await this.open(stored.id);
      await this.refreshList();
      this.lastImportedName = stored.name;
      return stored;
    } catch (error) {
      this.importError =
        error instanceof SessionFileError
          ? `${fileName} was not imported: ${error.message} Nothing was changed.`
          : `${fileName} was not imported: ${(error as Error).message}. Nothing was changed.`;
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** The session as a `.leakpilot` file (gzip), with its file name. */
  async exportFile(id: string): Promise<{ blob: Blob; fileName: string }> {
    const session = await this.storage.exportSession(id);
    const bytes = await encodeSessionFile(session, { producer: PRODUCER, exportedAtMs: Date.now() });
    const safeName = session.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'session';
    return { blob: new Blob([bytes as BlobPart], { type: 'application/gzip' }), fileName: `${safeName}${SESSION_FILE_EXTENSION}` };
  }
}

/** Saves a Blob as a file download (an <a download> click). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
