/**
 * EngineClient: the main thread's handle on the analysis engine, which runs
 * only in Web Workers (the graph never lives on the main thread).
 *
 * - A small pool: one worker per open dump while the machine has cores to
 *   spare (`maxWorkers` = hardwareConcurrency - 1, at most 4, at least 1), so
 *   several dumps parse in parallel; past that, dumps share the least-loaded
 *   worker.
 * - Each worker has one long-lived comlink Remote (EngineWorkerSlot).
 * - Progress arrives through a `Comlink.proxy` callback as structured
 *   `{ phase, doneBytes, totalBytes, objectCount }`; the UI formats it.
 * - `cancel(dumpId)` terminates the worker parsing it and spawns a fresh one;
 *   other dumps held by that worker are lost and reported via `onDumpsLost`.
 *   A worker that dies on its own (out of memory) is replaced the same way,
 *   and what was running in it rejects with EngineWorkerCrashedError.
 * - Analyses over several dumps (diff, suspects) run in the worker of the last
 *   dump; the others are moved there first, their buffers transferred.
 * - Dumps are handed over as File/Blob, file handle, OPFS path, URL or a
 *   transferred ReadableStream: never read whole on the main thread.
 */
import * as Comlink from 'comlink';
import { ensureReadPermission } from '../files/local-dump-files.ts';
import { EngineCancelledError, EngineDisposedError, EngineDumpLostError, EngineDumpNotOpenError, EngineFilePermissionError } from './engine-errors.ts';
import type { DumpInput, EngineProgressListener, ParsedDumpInfo, ParseRequestOptions } from './engine-protocol.ts';
import { EngineWorkerSlot, type WorkerFactory } from './engine-worker-slot.ts';
import { transferablesOfDump } from './heap-dump-transfer.ts';

export interface EngineClientOptions {
  /** makes one engine worker; tests and benches may pass their own */
  createWorker?: WorkerFactory;
  /** upper bound of workers; default from navigator.hardwareConcurrency */
  maxWorkers?: number;
}

export interface OpenDumpRequest extends ParseRequestOptions {
  onProgress?: EngineProgressListener;
}

export function defaultMaxWorkers(hardwareConcurrency: number | undefined): number {
  const cores = hardwareConcurrency && hardwareConcurrency > 0 ? hardwareConcurrency : 2;
  return Math.max(1, Math.min(4, cores - 1));
}

function defaultWorkerFactory(): Worker {
  return new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'leakpilot-engine' });
}

interface PendingParse {
  slot: EngineWorkerSlot;
  reject: (error: Error) => void;
}

export class EngineClient {
  readonly maxWorkers: number;
  /** called with the ids of dumps dropped because their worker was restarted */
  onDumpsLost: ((dumpIds: string[]) => void) | null = null;
  private readonly createWorker: WorkerFactory;
  private readonly slots: EngineWorkerSlot[] = [];
  private readonly slotOfDump = new Map<string, EngineWorkerSlot>();
  private readonly pendingParses = new Map<string, PendingParse>();
  private disposed = false;

  constructor(options: EngineClientOptions = {}) {
    this.createWorker = options.createWorker ?? defaultWorkerFactory;
    this.maxWorkers = options.maxWorkers ?? defaultMaxWorkers(globalThis.navigator?.hardwareConcurrency);
  }

  get openDumpIds(): string[] {
    return [...this.slotOfDump.keys()];
  }

  get workerCount(): number {
    return this.slots.length;
  }

  isOpen(dumpId: string): boolean {
    return this.slotOfDump.has(dumpId);
  }

  private pickSlotForParse(): EngineWorkerSlot {
    const idle = this.slots.find((slot) => slot.load === 0);
    if (idle) return idle;
    if (this.slots.length < this.maxWorkers) {
      const slot = new EngineWorkerSlot(this.slots.length, this.createWorker);
      slot.onCrash = (crashed, error) => this.restartSlot(crashed, null, error);
      this.slots.push(slot);
      return slot;
    }
    return this.slots.reduce((best, slot) => (slot.load < best.load ? slot : best));
  }

  /**
   * Parses a dump in a worker and keeps it there under `dumpId`. Opening an id
   * that is already open replaces it. Rejects with EngineCancelledError after
   * cancel(dumpId), or the engine's typed error (e.g. NotAHeapDumpError).
   */
  async openDump(dumpId: string, input: DumpInput, request: OpenDumpRequest = {}): Promise<ParsedDumpInfo> {
    if (this.disposed) throw new EngineDisposedError();
    if (this.slotOfDump.has(dumpId) || this.pendingParses.has(dumpId)) await this.close(dumpId);
    const { onProgress, ...options } = request;
    // The worker cannot ask for permission (no user activation there): do it here, where the click was.
    if (input.kind === 'file-handle' && !(await ensureReadPermission(input.handle))) throw new EngineFilePermissionError(input.handle.name);
    onProgress?.({ phase: 'queued', doneBytes: 0, totalBytes: null, objectCount: 0 });
    const slot = this.pickSlotForParse();
    slot.parsingDumpIds.add(dumpId);
    const transferred = input.kind === 'stream' ? Comlink.transfer(input, [input.stream]) : input;
    const progress = onProgress ? Comlink.proxy(onProgress) : null;
    const cancelled = new Promise<never>((_, reject) => this.pendingParses.set(dumpId, { slot, reject }));
    try {
      const info = await Promise.race([slot.remote.parse(dumpId, transferred, progress, options), cancelled]);
      slot.dumpIds.add(dumpId);
      this.slotOfDump.set(dumpId, slot);
      onProgress?.({ phase: 'done', doneBytes: info.compressedByteCount, totalBytes: info.compressedByteCount, objectCount: info.objectCount });
      return info;
    } finally {
      slot.parsingDumpIds.delete(dumpId);
      this.pendingParses.delete(dumpId);
      cancelled.catch(() => undefined);
    }
  }

  /** Stops a running parse now (terminates its worker). Returns false if it was not parsing. */
  cancel(dumpId: string): boolean {
    const pending = this.pendingParses.get(dumpId);
    if (!pending) return false;
    this.restartSlot(pending.slot, dumpId);
    return true;
  }

  /** Restarts a worker: to cancel `cancelledDumpId`, or because it crashed (`crash`). */
  private restartSlot(slot: EngineWorkerSlot, cancelledDumpId: string | null, crash: Error | null = null): void {
    const lost = crash ? slot.restart(crash) : slot.restart();
    const lostOpen: string[] = [];
    for (const dumpId of lost) {
      const pending = this.pendingParses.get(dumpId);
      if (pending) pending.reject(dumpId === cancelledDumpId ? new EngineCancelledError(dumpId) : (crash ?? new EngineDumpLostError(dumpId)));
      if (this.slotOfDump.delete(dumpId)) lostOpen.push(dumpId);
    }
    if (lostOpen.length > 0) this.onDumpsLost?.(lostOpen);
  }

  /** Frees a dump's memory in its worker. */
  async close(dumpId: string): Promise<void> {
    if (this.cancel(dumpId)) return;
    const slot = this.slotOfDump.get(dumpId);
    if (!slot) return;
    this.slotOfDump.delete(dumpId);
    slot.dumpIds.delete(dumpId);
    await slot.guard((remote) => remote.release(dumpId));
  }

  private slotHolding(dumpId: string): EngineWorkerSlot {
    if (this.disposed) throw new EngineDisposedError();
    const slot = this.slotOfDump.get(dumpId);
    if (!slot) throw new EngineDumpNotOpenError(dumpId);
    return slot;
  }

  /** Moves every named dump into the worker of the last one; returns that worker. */
  private async colocate(dumpIds: string[]): Promise<EngineWorkerSlot> {
    const target = this.slotHolding(dumpIds[dumpIds.length - 1]);
    for (const dumpId of dumpIds) {
      const source = this.slotHolding(dumpId);
      if (source === target) continue;
      const dump = await source.guard((remote) => remote.takeDump(dumpId));
      source.dumpIds.delete(dumpId);
      await target.guard((remote) => remote.adoptDump(dumpId, Comlink.transfer(dump, transferablesOfDump(dump))));
      target.dumpIds.add(dumpId);
      this.slotOfDump.set(dumpId, target);
    }
    return target;
  }

  /**
   * Calls an engine session method by name in the worker that holds
   * `dumpIds` (all moved into one worker first). The typed wrappers in
   * engine-queries.ts are what the UI uses.
   */
  async call<T>(method: string, dumpIds: string[], args: unknown[]): Promise<T> {
    if (dumpIds.length === 0) throw new Error(`engine call "${method}" needs at least one dump id`);
    const slot = await this.colocate(dumpIds);
    return (await slot.guard((remote) => remote.call(method, args))) as T;
  }

  /** Terminates every worker; the client cannot be used afterwards. */
  dispose(): void {
    this.disposed = true;
    for (const [dumpId, pending] of this.pendingParses) pending.reject(new EngineCancelledError(dumpId));
    for (const slot of this.slots) slot.terminate();
    this.slots.length = 0;
    this.slotOfDump.clear();
    this.pendingParses.clear();
  }
}
