/**
 * One engine worker and the long-lived comlink Remote that talks to it, held
 * in a field for the worker's whole life (a garbage-collected Remote can drop
 * an await: comlink issue 692). A slot knows which dumps live in its worker
 * and how many parses are running there. `restart()` is how a parse is
 * cancelled: terminate the worker (the only way to stop a tight parse loop at
 * once), spawn a fresh one, and report the dumps that were lost with it.
 */
import * as Comlink from 'comlink';
import type { EngineWorkerApi } from './engine-protocol.ts';

export type WorkerFactory = () => Worker;

export class EngineWorkerSlot {
  private worker: Worker;
  /** the Remote of the current worker; replaced on restart, never recreated per call */
  remote: Comlink.Remote<EngineWorkerApi>;
  readonly dumpIds = new Set<string>();
  /** dump ids being parsed in this worker right now */
  readonly parsingDumpIds = new Set<string>();

  constructor(
    readonly slotIndex: number,
    private readonly createWorker: WorkerFactory,
  ) {
    this.worker = createWorker();
    this.remote = Comlink.wrap<EngineWorkerApi>(this.worker);
  }

  /** dumps held plus parses running: the pool spreads work by this */
  get load(): number {
    return this.dumpIds.size + this.parsingDumpIds.size;
  }

  /** Terminates the worker and starts a fresh one; returns the dump ids that were lost. */
  restart(): string[] {
    const lost = [...this.dumpIds, ...this.parsingDumpIds];
    this.terminate();
    this.dumpIds.clear();
    this.parsingDumpIds.clear();
    this.worker = this.createWorker();
    this.remote = Comlink.wrap<EngineWorkerApi>(this.worker);
    return lost;
  }

  terminate(): void {
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
