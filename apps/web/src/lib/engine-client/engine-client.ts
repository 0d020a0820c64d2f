/**
 * EngineClient: the main thread's handle on the analysis engine, which runs
 * only in Web Workers (the graph never lives on the main thread).
 *
 * - Every parse runs in a fresh worker of its own, at most `maxWorkers` at
 *   once (hardwareConcurrency - 1, between 1 and 4); the others wait in order
 *   (progress phase `queued`). So several dumps parse in parallel when the
 *   machine has cores to spare, and cancelling a parse terminates only its
 *   own worker: no other open dump is ever lost to a cancel.
 * - A parsed dump stays in its parse worker while there are fewer than
 *   `maxWorkers` holding workers; otherwise it is moved (buffers transferred,
 *   no copy) into the least-loaded holding worker and the parse worker ends.
 * - Each worker has one long-lived comlink Remote (EngineWorkerSlot).
 * - Progress arrives through a `Comlink.proxy` callback as structured
 *   `{ phase, doneBytes, totalBytes, objectCount }`; the UI formats it.
 * - A holding worker that dies on its own (out of memory) is replaced; its
 *   dumps are reported via `onDumpsLost` and calls waiting on it reject with
 *   EngineWorkerCrashedError.
 * - Analyses over several dumps (diff, suspects) run in the worker of the last
 *   dump; the others are moved there first, their buffers transferred.
 * - Dumps are handed over as File/Blob, file handle, OPFS path, URL or a
 *   transferred ReadableStream: never read whole on the main thread.
 */
import * as Comlink from 'comlink';
import { ensureReadPermission } from '../files/local-dump-files.ts';
import { EngineCancelledError, EngineDisposedError, EngineDumpNotOpenError, EngineFilePermissionError } from './engine-errors.ts';
import type { DumpInput, EngineProgressListener, ParsedDumpInfo, ParseRequestOptions } from './engine-protocol.ts';
import { EngineWorkerSlot, type EngineWorkerCrashedError, type WorkerFactory } from './engine-worker-slot.ts';
import { transferablesOfDump } from './heap-dump-transfer.ts';
import { ParseTurns } from './parse-turns.ts';

export interface EngineClientOptions {
  /** makes one engine worker; tests and benches may pass their own */
  createWorker?: WorkerFactory;
  /** parses at once, and workers holding dumps; default from navigator.hardwareConcurrency */
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

interface RunningParse {
  /** the parse's own worker, or null while waiting for a turn */
  slot: EngineWorkerSlot | null;
  cancel: () => void;
}

export class EngineClient {
  readonly maxWorkers: number;
  /** called with the ids of dumps dropped because their worker died */
  onDumpsLost: ((dumpIds: string[]) => void) | null = null;
  private readonly createWorker: WorkerFactory;
  /** workers holding parsed dumps (at most maxWorkers, each with at least one dump) */
  private readonly slots: EngineWorkerSlot[] = [];
  private readonly slotOfDump = new Map<string, EngineWorkerSlot>();
  private readonly parses = new Map<string, RunningParse>();
  private readonly turns: ParseTurns;
  private nextSlotIndex = 0;
  private disposed = false;

  constructor(options: EngineClientOptions = {}) {
    this.createWorker = options.createWorker ?? defaultWorkerFactory;
    this.maxWorkers = options.maxWorkers ?? defaultMaxWorkers(globalThis.navigator?.hardwareConcurrency);
    this.turns = new ParseTurns(this.maxWorkers);
  }

  get openDumpIds(): string[] {
    return [...this.slotOfDump.keys()];
  }

  /** workers alive now: those holding dumps plus those parsing */
  get workerCount(): number {
    return this.slots.length + [...this.parses.values()].filter((parse) => parse.slot !== null).length;
  }

  isOpen(dumpId: string): boolean {
    return this.slotOfDump.has(dumpId);
  }

  private newSlot(): EngineWorkerSlot {
    const slot = new EngineWorkerSlot(this.nextSlotIndex++, this.createWorker);
    slot.onCrash = (crashed, error) => this.handleCrash(crashed, error);
    return slot;
  }

  /**
   * Parses a dump in a worker of its own and keeps it under `dumpId`. Opening
   * an id that is already open replaces it. Rejects with EngineCancelledError
   * after cancel(dumpId), EngineWorkerCrashedError if the worker died, or the
   * engine's typed error (e.g. NotAHeapDumpError).
   */
  async openDump(dumpId: string, input: DumpInput, request: OpenDumpRequest = {}): Promise<ParsedDumpInfo> {
    if (this.disposed) throw new EngineDisposedError();
    if (this.slotOfDump.has(dumpId) || this.parses.has(dumpId)) await this.close(dumpId);
    const { onProgress, ...options } = request;
    // The worker cannot ask for permission (no user activation there): do it here, where the click was.
    if (input.kind === 'file-handle' && !(await ensureReadPermission(input.handle))) throw new EngineFilePermissionError(input.handle.name);
    onProgress?.({ phase: 'queued', doneBytes: 0, totalBytes: null, objectCount: 0 });

    let rejectCancelled: (error: Error) => void = () => undefined;
    const cancelled = new Promise<never>((_, reject) => (rejectCancelled = reject));
    cancelled.catch(() => undefined);
    const parse: RunningParse = {
      slot: null,
      cancel: () => {
        if (!this.turns.withdraw(dumpId, new EngineCancelledError(dumpId))) rejectCancelled(new EngineCancelledError(dumpId));
        parse.slot?.terminate(new EngineCancelledError(dumpId));
      },
    };
    this.parses.set(dumpId, parse);
    let slot: EngineWorkerSlot | null = null;
    try {
      await this.turns.acquire(dumpId);
      try {
        slot = this.newSlot();
        parse.slot = slot;
        const transferred = input.kind === 'stream' ? Comlink.transfer(input, [input.stream]) : input;
        const progress = onProgress ? Comlink.proxy(onProgress) : null;
        const parsing = slot;
        const info = await Promise.race([parsing.guard((remote) => remote.parse(dumpId, transferred, progress, options)), cancelled]);
        await this.keep(dumpId, parsing);
        slot = null;
        onProgress?.({ phase: 'done', doneBytes: info.compressedByteCount, totalBytes: info.compressedByteCount, objectCount: info.objectCount });
        return info;
      } finally {
        this.turns.release();
      }
    } finally {
      slot?.terminate();
      this.parses.delete(dumpId);
    }
  }

  /** Keeps the parse worker as a holding worker, or moves the dump into the least-loaded one. */
  private async keep(dumpId: string, parseSlot: EngineWorkerSlot): Promise<void> {
    if (this.slots.length < this.maxWorkers) {
      parseSlot.dumpIds.add(dumpId);
      this.slots.push(parseSlot);
      this.slotOfDump.set(dumpId, parseSlot);
      return;
    }
    const target = this.slots.reduce((best, candidate) => (candidate.dumpIds.size < best.dumpIds.size ? candidate : best));
    const dump = await parseSlot.guard((remote) => remote.takeDump(dumpId));
    await target.guard((remote) => remote.adoptDump(dumpId, Comlink.transfer(dump, transferablesOfDump(dump))));
    target.dumpIds.add(dumpId);
    this.slotOfDump.set(dumpId, target);
    parseSlot.terminate();
  }

  /** Stops a parse now (terminates its worker, or withdraws it from the queue). False if it was not parsing. */
  cancel(dumpId: string): boolean {
    const parse = this.parses.get(dumpId);
    if (!parse) return false;
    parse.cancel();
    return true;
  }

  private handleCrash(slot: EngineWorkerSlot, error: EngineWorkerCrashedError): void {
    const held = this.slots.indexOf(slot);
    if (held < 0) {
      // a parse worker: its own parse rejects through guard(), nothing else lived there
      slot.terminate(error);
      return;
    }
    const lost = [...slot.dumpIds];
    slot.terminate(error);
    this.slots.splice(held, 1);
    for (const dumpId of lost) this.slotOfDump.delete(dumpId);
    if (lost.length > 0) this.onDumpsLost?.(lost);
  }

  /** Frees a dump's memory; a worker left holding nothing ends. */
  async close(dumpId: string): Promise<void> {
    if (this.cancel(dumpId)) return;
    const slot = this.slotOfDump.get(dumpId);
    if (!slot) return;
    this.slotOfDump.delete(dumpId);
    slot.dumpIds.delete(dumpId);
    if (slot.dumpIds.size > 0) {
      await slot.guard((remote) => remote.release(dumpId));
      return;
    }
    this.slots.splice(this.slots.indexOf(slot), 1);
    slot.terminate();
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
      if (source.dumpIds.size === 0) {
        this.slots.splice(this.slots.indexOf(source), 1);
        source.terminate();
      }
    }
    return target;
  }

  /**
   * Calls an engine session method by name (ENGINE_METHODS of
   * packages/shared/src/api/engine-api.ts) in the worker that holds
   * `dumpIds`, all moved into one worker first; returns its plain-data result.
   */
  async call<T>(method: string, dumpIds: string[], args: unknown[]): Promise<T> {
    if (dumpIds.length === 0) throw new Error(`engine call "${method}" needs at least one dump id`);
    const slot = await this.colocate(dumpIds);
    return (await slot.guard((remote) => remote.call(method, args))) as T;
  }

  /** Terminates every worker; the client cannot be used afterwards. */
  dispose(): void {
    this.disposed = true;
    this.turns.rejectAll((dumpId) => new EngineCancelledError(dumpId));
    for (const [dumpId, parse] of this.parses) parse.slot?.terminate(new EngineCancelledError(dumpId));
    for (const slot of this.slots) slot.terminate();
    this.slots.length = 0;
    this.slotOfDump.clear();
    this.parses.clear();
  }
}
