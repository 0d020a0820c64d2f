/**
 * EngineHost: what one engine worker holds. It owns an EngineSession
 * (packages/shared/src/api/engine.ts) with the dumps parsed or adopted here,
 * parses new ones (a large plain file in byte ranges on several workers,
 * parallel-parse.ts; anything else with parseHeapDump), hands dumps over for moves between
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
import type { OpenedDump } from './dump-input.ts';
import { PartWorkersUnavailableError, parseBlobInRanges, rangeCountFor } from './parallel-parse.ts';

export interface HostParseOptions {
  references?: boolean;
  stringPrefixBytes?: number;
  /** forces this many byte ranges on a plain Blob (see ParseRequestOptions.rangeCount) */
  rangeCount?: number;
  onProgress?: (progress: ParseProgress) => void;
}

export interface HostParsed {
  dump: HeapDump;
  /** byte ranges parsed at once; 1 = one thread */
  rangeCount: number;
}

const SESSION_METHODS = new Set<string>(ENGINE_METHODS);

export class EngineHost {
  private readonly session = new EngineSession();
  private readonly held = new Set<string>();

  has(dumpId: string): boolean {
    return this.held.has(dumpId);
  }

  async parse(dumpId: string, input: OpenedDump, options: HostParseOptions): Promise<HostParsed> {
    const parsed = await parseOpened(input, options);
    this.adopt(dumpId, parsed.dump);
    return parsed;
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

async function parseOpened(input: OpenedDump, options: HostParseOptions): Promise<HostParsed> {
  const { onProgress, references, stringPrefixBytes } = options;
  if (input.kind === 'stream') {
    const dump = await parseHeapDump(input.stream, { onProgress, totalBytes: input.totalBytes ?? undefined, references, stringPrefixBytes });
    return { dump, rangeCount: 1 };
  }
  const { blob } = input;
  const rangeCount = await rangeCountFor(blob, navigator.hardwareConcurrency ?? 1, options.rangeCount);
  if (rangeCount > 1) {
    try {
      return { dump: await parseBlobInRanges(blob, rangeCount, { onProgress, references, stringPrefixBytes }), rangeCount };
    } catch (error) {
      // no part worker ran and nothing was read or reported: one thread reads the file instead
      if (!(error instanceof PartWorkersUnavailableError)) throw error;
    }
  }
  const dump = await parseHeapDump(blob.stream() as ReadableStream<Uint8Array>, { onProgress, totalBytes: blob.size, references, stringPrefixBytes });
  return { dump, rangeCount: 1 };
}
