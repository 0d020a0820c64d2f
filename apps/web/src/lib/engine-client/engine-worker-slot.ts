/**
 * One engine worker and the long-lived comlink Remote that talks to it, held
 * in a field for the worker's whole life (a garbage-collected Remote can drop
 * an await: comlink issue 692). A slot knows which dumps live in its worker.
 * `terminate()` is how a parse is cancelled (the only way to stop a tight
 * parse loop at once) and how a dead worker is cleared: every call still in
 * flight rejects with the reason given, instead of waiting forever.
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

/** A call was running in a worker that was terminated (its last dump closed, or dispose). */
export class EngineWorkerRestartedError extends Error {
  override readonly name = 'EngineWorkerRestartedError';
  constructor() {
    super('the analysis was interrupted because its worker was stopped; run it again');
  }
}

export class EngineWorkerSlot {
  private readonly worker: Worker;
  /** the worker's Remote, made once and kept for the worker's life */
  private readonly remote: Comlink.Remote<EngineWorkerApi>;
  readonly dumpIds = new Set<string>();
  private terminated = false;

  /** rejecters of the calls in flight: a terminated worker never answers them */
  private readonly inFlight = new Set<(error: Error) => void>();

  /** told when the worker dies on its own (see EngineWorkerCrashedError) */
  onCrash: ((slot: EngineWorkerSlot, error: EngineWorkerCrashedError) => void) | null = null;

  constructor(
    readonly slotIndex: number,
    createWorker: WorkerFactory,
  ) {
    this.worker = createWorker();
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (!this.terminated) this.onCrash?.(this, new EngineWorkerCrashedError(event.message || 'no message'));
    });
    this.remote = Comlink.wrap<EngineWorkerApi>(this.worker);
  }

  /** Runs a call on this worker's Remote; it rejects if the worker is terminated meanwhile. */
  async guard<T>(call: (remote: Comlink.Remote<EngineWorkerApi>) => Promise<T>): Promise<T> {
    if (this.terminated) throw new EngineWorkerRestartedError();
    let reject: (error: Error) => void = () => undefined;
    const interrupted = new Promise<never>((_, rejectInterrupted) => (reject = rejectInterrupted));
    this.inFlight.add(reject);
    try {
      return await Promise.race([call(this.remote), interrupted]);
    } finally {
      this.inFlight.delete(reject);
    }
  }

  /** Ends the worker; calls in flight reject with `reason`. Safe to call twice. */
  terminate(reason: Error = new EngineWorkerRestartedError()): void {
    if (this.terminated) return;
    this.terminated = true;
    for (const reject of this.inFlight) reject(reason);
    this.inFlight.clear();
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
