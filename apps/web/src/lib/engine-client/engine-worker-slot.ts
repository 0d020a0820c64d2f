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

/**
 * The worker died on its own: an uncaught error outside comlink's handlers,
 * or, the usual cause, it ran out of memory on a dump too large for the tab.
 */
export class EngineWorkerCrashedError extends Error {
  override readonly name = 'EngineWorkerCrashedError';
  constructor(detail: string) {
    super(`the analysis worker stopped (${detail}); a dump this large may not fit in this browser tab's memory: try the CLI (leakpilot summary / diff / suspects)`);
  }
}

/** A call was running in a worker that was terminated (to cancel a parse, or on dispose). */
export class EngineWorkerRestartedError extends Error {
  override readonly name = 'EngineWorkerRestartedError';
  constructor() {
    super('the analysis was interrupted because its worker was restarted; run it again');
  }
}

export class EngineWorkerSlot {
  private worker: Worker;
  /** the Remote of the current worker; replaced on restart, never recreated per call */
  remote: Comlink.Remote<EngineWorkerApi>;
  readonly dumpIds = new Set<string>();
  /** dump ids being parsed in this worker right now */
  readonly parsingDumpIds = new Set<string>();

  /** rejecters of the calls in flight: a terminated worker never answers them */
  private readonly inFlight = new Set<(error: Error) => void>();

  /** told when the worker dies on its own (see EngineWorkerCrashedError) */
  onCrash: ((slot: EngineWorkerSlot, error: EngineWorkerCrashedError) => void) | null = null;

  constructor(
    readonly slotIndex: number,
    private readonly createWorker: WorkerFactory,
  ) {
    this.worker = this.spawn();
    this.remote = Comlink.wrap<EngineWorkerApi>(this.worker);
  }

  private spawn(): Worker {
    const worker = this.createWorker();
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (worker === this.worker) this.onCrash?.(this, new EngineWorkerCrashedError(event.message || 'no message'));
    });
    return worker;
  }

  /** dumps held plus parses running: the pool spreads work by this */
  get load(): number {
    return this.dumpIds.size + this.parsingDumpIds.size;
  }

  /** Runs a call on this worker's Remote; it rejects if the worker is terminated meanwhile. */
  async guard<T>(call: (remote: Comlink.Remote<EngineWorkerApi>) => Promise<T>): Promise<T> {
    let reject: (error: Error) => void = () => undefined;
    const interrupted = new Promise<never>((_, rejectInterrupted) => (reject = rejectInterrupted));
    this.inFlight.add(reject);
    try {
      return await Promise.race([call(this.remote), interrupted]);
    } finally {
      this.inFlight.delete(reject);
    }
  }

  /**
   * Terminates the worker and starts a fresh one; calls in flight reject with
   * `reason`. Returns the dump ids that were lost.
   */
  restart(reason: Error = new EngineWorkerRestartedError()): string[] {
    const lost = [...this.dumpIds, ...this.parsingDumpIds];
    this.terminate(reason);
    this.dumpIds.clear();
    this.parsingDumpIds.clear();
    this.worker = this.spawn();
    this.remote = Comlink.wrap<EngineWorkerApi>(this.worker);
    return lost;
  }

  terminate(reason: Error = new EngineWorkerRestartedError()): void {
    for (const reject of this.inFlight) reject(reason);
    this.inFlight.clear();
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
