/**
 * EngineHost: what one engine worker holds. It owns an EngineSession
 * (packages/shared/src/api/engine.ts) with the dumps parsed or adopted here,
 * parses new ones with parseHeapDump, hands dumps over for moves between
 * workers, and answers `call(method, args)` for the session's public methods
 * (ENGINE_METHODS: dumps, summary, diff, suspects, tables, rows, inspect,
 * search). Any other method
 * name is refused: the worker never calls arbitrary properties by name.
 */
import { ENGINE_METHODS, type EngineApi, type EngineMethod } from '@leakpilot/shared/api/engine-api.ts';
import { EngineRequestError } from '@leakpilot/shared/api/engine-errors.ts';
import { EngineSession } from '@leakpilot/shared/api/engine.ts';
import { parseHeapDump, type ParseProgress } from '@leakpilot/shared/parse/parse-heap-dump.ts';
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';

export interface HostParseOptions {
  totalBytes: number | null;
  references?: boolean;
  stringPrefixBytes?: number;
  onProgress?: (progress: ParseProgress) => void;
}

const SESSION_METHODS = new Set<string>(ENGINE_METHODS);

export class EngineHost {
  private readonly session = new EngineSession();
  private readonly held = new Set<string>();

  has(dumpId: string): boolean {
    return this.held.has(dumpId);
  }

  async parse(dumpId: string, stream: ReadableStream<Uint8Array>, options: HostParseOptions): Promise<HeapDump> {
    const dump = await parseHeapDump(stream, {
      onProgress: options.onProgress,
      totalBytes: options.totalBytes ?? undefined,
      references: options.references,
      stringPrefixBytes: options.stringPrefixBytes,
    });
    this.adopt(dumpId, dump);
    return dump;
  }

  adopt(dumpId: string, dump: HeapDump): void {
    this.session.addDump(dumpId, dump);
    this.held.add(dumpId);
  }

  /** Removes the dump from this worker and returns it (to be transferred elsewhere). */
  take(dumpId: string): HeapDump {
    const dump = this.session.dump(dumpId);
    this.release(dumpId);
    return dump;
  }

  release(dumpId: string): void {
    this.session.removeDump(dumpId);
    this.held.delete(dumpId);
  }

  async call(method: string, args: unknown[]): Promise<unknown> {
    if (SESSION_METHODS.has(method)) {
      const fn = this.session[method as EngineMethod] as (...callArgs: unknown[]) => ReturnType<EngineApi[EngineMethod]>;
      return fn.apply(this.session, args);
    }
    throw new EngineRequestError(`the engine has no method "${method}"`);
  }
}
