/**
 * Analysis of the open session's dumps: parsing them in the engine workers
 * (EngineClient, one long-lived comlink Remote per worker) with byte progress,
 * phase and cancel, and running summary, compare (2 or 3 dumps) and leak
 * suspects. Every result is stored in the session (IndexedDB), and the views
 * read results from the session, so an imported or reloaded session shows
 * them without the dumps; only paging, search and the inspector need the
 * dump open in a worker.
 */
import type { SessionDump, SessionResult, SessionResultKind, JsonValue } from '@leakpilot/shared/session/session-types.ts';
import { EngineClient } from '../engine-client/engine-client.ts';
import type { DumpInput, EngineProgress, ParsedDumpInfo } from '../engine-client/engine-protocol.ts';
import { newId } from '../storage/index.ts';
import type { SessionsState } from './sessions.svelte.ts';

export interface ParseView {
  progress: EngineProgress | null;
  info: ParsedDumpInfo | null;
  error: string | null;
}

export class DumpUnavailableError extends Error {
  override readonly name = 'DumpUnavailableError';
}

export class AnalysisState {
  /** parse state by session dump id */
  parses = $state.raw<Record<string, ParseView>>({});
  /** dumps chosen for compare, in order (before, after[, later]) */
  compareIds = $state.raw<string[]>([]);
  running = $state<string | null>(null);
  error = $state<string | null>(null);
  /** what the inspector shows: an address or a class name, in which dump */
  inspectorQuery = $state('');
  inspectorDumpId = $state<string | null>(null);
  /** File objects opened in this page, by session dump id */
  readonly localFiles = new Map<string, File>();

  readonly #sessions: SessionsState;
  #engine: EngineClient | null = null;

  constructor(sessions: SessionsState) {
    this.#sessions = sessions;
  }

  get engine(): EngineClient {
    if (!this.#engine) {
      this.#engine = new EngineClient();
      this.#engine.onDumpsLost = (dumpIds) => {
        const next = { ...this.parses };
        for (const dumpId of dumpIds) delete next[dumpId];
        this.parses = next;
      };
    }
    return this.#engine;
  }

  isOpen(dumpId: string): boolean {
    return this.#engine?.isOpen(dumpId) ?? false;
  }

  /** the newest stored result of a kind (for these dumps, when given) */
  latestResult(kind: SessionResultKind, dumpIds?: readonly string[]): SessionResult | null {
    const results = this.#sessions.current?.results ?? [];
    for (let index = results.length - 1; index >= 0; index -= 1) {
      const result = results[index];
      if (result.kind !== kind) continue;
      if (dumpIds && result.dumpIds.join() !== dumpIds.join()) continue;
      return result;
    }
    return null;
  }

  #setParse(dumpId: string, patch: Partial<ParseView>): void {
    const previous = this.parses[dumpId] ?? { progress: null, info: null, error: null };
    this.parses = { ...this.parses, [dumpId]: { ...previous, ...patch } };
  }

  async #inputOf(dump: SessionDump): Promise<DumpInput> {
    const file = this.localFiles.get(dump.id);
    if (file) return { kind: 'blob', blob: file };
    if (dump.source.kind === 'agent' && dump.source.opfsPath) return { kind: 'opfs', path: dump.source.opfsPath };
    const row = await this.#sessions.storage.getDumpRow(dump.id);
    if (row?.fileHandle) return { kind: 'file-handle', handle: row.fileHandle };
    throw new DumpUnavailableError(
      dump.source.kind === 'generated'
        ? `${dump.name} came with an imported session: its results are here, its bytes are not. Open the original file to analyse it again.`
        : `The bytes of ${dump.name} are not available in this browser any more. Open the file again.`,
    );
  }

  /** Parses a dump of the session in a worker, unless it is open already. */
  async ensureOpen(dump: SessionDump): Promise<ParsedDumpInfo | null> {
    const existing = this.parses[dump.id];
    if (existing?.info && this.isOpen(dump.id)) return existing.info;
    this.#setParse(dump.id, { progress: null, info: null, error: null });
    try {
      const input = await this.#inputOf(dump);
      const info = await this.engine.openDump(dump.id, input, {
        onProgress: (progress) => this.#setParse(dump.id, { progress }),
      });
      this.#setParse(dump.id, { info });
      return info;
    } catch (error) {
      this.#setParse(dump.id, { error: (error as Error).message });
      return null;
    }
  }

  cancelParse(dumpId: string): void {
    this.#engine?.cancel(dumpId);
  }

  async close(dumpId: string): Promise<void> {
    await this.#engine?.close(dumpId);
    const next = { ...this.parses };
    delete next[dumpId];
    this.parses = next;
  }

  #dumpsOf(dumpIds: readonly string[]): SessionDump[] {
    const dumps = this.#sessions.current?.dumps ?? [];
    return dumpIds.map((id) => {
      const dump = dumps.find((candidate) => candidate.id === id);
      if (!dump) throw new DumpUnavailableError(`dump ${id} is not in this session`);
      return dump;
    });
  }

  /** Opens the dumps, runs one engine method over them and stores its result in the session. */
  async #runAndStore(kind: SessionResultKind, method: string, dumpIds: string[], args: unknown[], title: string): Promise<SessionResult | null> {
    this.error = null;
    this.running = title;
    try {
      const dumps = this.#dumpsOf(dumpIds);
      for (const dump of dumps) {
        if (!(await this.ensureOpen(dump))) throw new DumpUnavailableError(this.parses[dump.id]?.error ?? `${dump.name} could not be opened`);
      }
      const data = await this.engine.call<JsonValue>(method, dumpIds, args);
      const result: SessionResult = { id: newId(), kind, dumpIds, title, createdAtMs: Date.now(), data };
      await this.#sessions.addResult(result);
      return result;
    } catch (error) {
      this.error = `${title} failed: ${(error as Error).message}`;
      return null;
    } finally {
      this.running = null;
    }
  }

  summarize(dumpId: string): Promise<SessionResult | null> {
    const [dump] = this.#dumpsOf([dumpId]);
    return this.#runAndStore('summary', 'summary', [dumpId], [dumpId], `Summary of ${dump.name}`);
  }

  compare(dumpIds: string[]): Promise<SessionResult | null> {
    return this.#runAndStore('diff', 'diff', dumpIds, [dumpIds], `Compare ${this.#namesOf(dumpIds)}`);
  }

  suspects(dumpIds: string[]): Promise<SessionResult | null> {
    return this.#runAndStore('suspects', 'suspects', dumpIds, [dumpIds], `Leak suspects in ${this.#namesOf(dumpIds)}`);
  }

  /** "a.json.gz → b.json.gz → c.json.gz", for result titles */
  #namesOf(dumpIds: readonly string[]): string {
    const dumps = this.#sessions.current?.dumps ?? [];
    return dumpIds.map((id) => dumps.find((dump) => dump.id === id)?.name ?? id).join(' → ');
  }

  /** Compare and suspects in one go, for the guided flow and the compare view. */
  async compareAndSuspects(dumpIds: string[]): Promise<void> {
    const diff = await this.compare(dumpIds);
    if (diff && dumpIds.length === 3) await this.suspects(dumpIds);
  }

  /** A live engine query (not stored): paging, search, inspector. */
  async query<T>(method: string, dumpIds: string[], args: unknown[]): Promise<T> {
    for (const dump of this.#dumpsOf(dumpIds)) {
      if (!(await this.ensureOpen(dump))) throw new DumpUnavailableError(this.parses[dump.id]?.error ?? `${dump.name} could not be opened`);
    }
    return this.engine.call<T>(method, dumpIds, args);
  }

  /** Stores an inspector answer so it is in the session (and in exports). */
  async keepInspection(dumpId: string, title: string, data: JsonValue): Promise<void> {
    await this.#sessions.addResult({ id: newId(), kind: 'inspect', dumpIds: [dumpId], title, createdAtMs: Date.now(), data });
  }
}
