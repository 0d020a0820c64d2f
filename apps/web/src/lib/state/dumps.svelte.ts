/**
 * Dumps: the connected agent's dump list, downloads of those dumps into OPFS
 * (or a file the person picks) with progress, speed, cancel and resume, and
 * local dump files opened from disk. Every dump that arrives is recorded in
 * the open session; parsing is AnalysisState's.
 *
 * Invariants: a dump is never read whole on the main thread (downloads
 * stream to a file; local files stay File objects or handles); local File
 * objects opened in this page are kept in `AnalysisState.localFiles` by
 * session dump id so they can be parsed without asking again.
 */
import type { DumpFile } from '@leakpilot/shared/api/agent-api.ts';
import type { SessionDump } from '@leakpilot/shared/session/session-types.ts';
import {
  DownloadAbortedError,
  canPickSaveLocation,
  downloadAgentDump,
  pickSaveLocation,
  type DownloadProgress,
} from '../downloads/index.ts';
import { pickLocalDumps, type LocalDumpFile } from '../files/index.ts';
import { newId } from '../storage/index.ts';
import type { AnalysisState } from './analysis.svelte.ts';
import type { HostsState } from './hosts.svelte.ts';
import type { SessionsState } from './sessions.svelte.ts';

export interface DownloadView {
  agentDumpId: string;
  name: string;
  progress: DownloadProgress | null;
  error: string | null;
  done: boolean;
}

export class DumpsState {
  agentDumps = $state.raw<DumpFile[]>([]);
  listError = $state<string | null>(null);
  /** downloads by agent dump id */
  downloads = $state.raw<Record<string, DownloadView>>({});
  localError = $state<string | null>(null);
  readonly canPickSaveLocation = canPickSaveLocation();

  readonly #sessions: SessionsState;
  readonly #hosts: HostsState;
  readonly #analysis: AnalysisState;
  readonly #aborts = new Map<string, AbortController>();

  constructor(sessions: SessionsState, hosts: HostsState, analysis: AnalysisState) {
    this.#sessions = sessions;
    this.#hosts = hosts;
    this.#analysis = analysis;
  }

  /** the session dump that came from this agent dump, if it was downloaded into the open session */
  sessionDumpOf(agentDumpId: string): SessionDump | undefined {
    return this.#sessions.current?.dumps.find(
      (dump) => dump.source.kind === 'agent' && dump.source.agentDumpId === agentDumpId,
    );
  }

  async refreshAgentDumps(): Promise<void> {
    const client = this.#hosts.client;
    if (!client) {
      this.agentDumps = [];
      return;
    }
    try {
      this.agentDumps = (await client.dumps()).dumps;
      this.listError = null;
    } catch (error) {
      this.listError = (error as Error).message;
    }
  }

  #setDownload(agentDumpId: string, patch: Partial<DownloadView>): void {
    const previous = this.downloads[agentDumpId];
    this.downloads = { ...this.downloads, [agentDumpId]: { ...previous, ...patch } as DownloadView };
  }

  /** Streams an agent dump to OPFS (or to a picked file) and records it in the open session. */
  async download(dump: DumpFile, pickLocation = false): Promise<SessionDump | null> {
    const client = this.#hosts.client;
    const host = this.#hosts.active;
    if (!client || !host || !this.#sessions.current) return null;
    let target: { kind: 'opfs' } | { kind: 'file-handle'; handle: FileSystemFileHandle } = { kind: 'opfs' };
    if (pickLocation) {
      const handle = await pickSaveLocation(dump.name);
      if (!handle) return null;
      target = { kind: 'file-handle', handle };
    }
    const abort = new AbortController();
    this.#aborts.set(dump.id, abort);
    this.#setDownload(dump.id, { agentDumpId: dump.id, name: dump.name, progress: null, error: null, done: false });
    try {
      const result = await downloadAgentDump({
        client,
        dump,
        target,
        signal: abort.signal,
        onProgress: (progress) => this.#setDownload(dump.id, { progress }),
      });
      const sessionDump: SessionDump = {
        id: newId(),
        name: dump.name,
        sizeBytes: result.receivedBytes,
        pid: dump.pid,
        capturedAtMs: dump.dumpedAtMs ?? dump.mtimeMs,
        source: { kind: 'agent', hostId: host.id, agentDumpId: dump.id, opfsPath: result.opfsPath },
        addedAtMs: Date.now(),
      };
      await this.#sessions.rememberHost(host);
      await this.#sessions.addDump(sessionDump, result.opfsPath ? null : result.handle);
      this.#setDownload(dump.id, { done: true });
      return sessionDump;
    } catch (error) {
      const message = error instanceof DownloadAbortedError ? 'Cancelled.' : (error as Error).message;
      this.#setDownload(dump.id, { error: message });
      return null;
    } finally {
      this.#aborts.delete(dump.id);
    }
  }

  cancelDownload(agentDumpId: string): void {
    this.#aborts.get(agentDumpId)?.abort();
  }

  /** Adds local dump files (picker, drop or file input) to the open session. */
  async addLocalFiles(files: readonly LocalDumpFile[]): Promise<SessionDump[]> {
    const added: SessionDump[] = [];
    if (!this.#sessions.current) return added;
    for (const { file, handle } of files) {
      const match = /heap_dump_signal_(\d+)_(\d+)/.exec(file.name);
      const sessionDump: SessionDump = {
        id: newId(),
        name: file.name,
        sizeBytes: file.size,
        pid: match ? Number(match[1]) : null,
        capturedAtMs: match ? Number(match[2]) * 1000 : file.lastModified,
        source: { kind: 'local-file', fileName: file.name },
        addedAtMs: Date.now(),
      };
      this.#analysis.localFiles.set(sessionDump.id, file);
      await this.#sessions.addDump(sessionDump, handle);
      added.push(sessionDump);
    }
    return added;
  }

  async pickLocal(): Promise<void> {
    this.localError = null;
    try {
      await this.addLocalFiles(await pickLocalDumps());
    } catch (error) {
      this.localError = (error as Error).message;
    }
  }

  async removeDump(dumpId: string): Promise<void> {
    await this.#analysis.close(dumpId);
    this.#analysis.localFiles.delete(dumpId);
    await this.#sessions.removeDump(dumpId);
  }
}
