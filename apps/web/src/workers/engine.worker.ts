/**
 * The engine worker: parses dumps and answers analyses with comlink, so the
 * main thread never holds a graph and never runs a long task.
 *
 * It implements EngineWorkerApi (lib/engine-client/engine-protocol.ts) over
 * EngineHost (engine-host.ts), which owns the parsed dumps of this worker and
 * the engine session that analyses them. Dumps arrive as files or streams
 * (see dump-input.ts); a large plain file is parsed in byte ranges by part
 * workers this worker starts (parallel-parse.ts), which end with it when a
 * cancel terminates it; progress goes back through the comlink-proxied callback,
 * at most as often as the parser reports it (about 10 times per second).
 * Errors keep their `name` (NotAHeapDumpError, DumpInputError, ...) so the
 * client can classify them.
 */
import * as Comlink from 'comlink';
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';
import type { DumpInput, EngineProgressListener, EngineWorkerApi, ParsedDumpInfo, ParseRequestOptions } from '../lib/engine-client/engine-protocol.ts';
import { transferablesOfDump } from '../lib/engine-client/heap-dump-transfer.ts';
import { openDumpInput } from './dump-input.ts';
import { EngineHost } from './engine-host.ts';

const host = new EngineHost();

const api: EngineWorkerApi = {
  async parse(dumpId: string, input: DumpInput, onProgress: EngineProgressListener | null, options: ParseRequestOptions): Promise<ParsedDumpInfo> {
    onProgress?.({ phase: 'open', doneBytes: 0, totalBytes: null, objectCount: 0 });
    const opened = await openDumpInput(input);
    const startedAtMs = performance.now();
    const totalBytes = opened.kind === 'blob' ? opened.blob.size : opened.totalBytes;
    const { dump, rangeCount } = await host.parse(dumpId, opened, {
      references: options.references,
      stringPrefixBytes: options.stringPrefixBytes,
      rangeCount: options.rangeCount,
      onProgress: onProgress
        ? (progress) =>
            // fire and forget: awaiting the main thread would slow the parse
            void onProgress({
              phase: progress.phase,
              doneBytes: progress.doneBytes,
              totalBytes: progress.totalBytes ?? totalBytes,
              objectCount: progress.objectCount,
            })
        : undefined,
    });
    return {
      dumpId,
      objectCount: dump.objectCount,
      referenceCount: dump.stats.referenceCount,
      byteCount: dump.stats.byteCount,
      compressedByteCount: dump.stats.compressedByteCount,
      gzip: dump.stats.gzip,
      rubyFormat: dump.stats.rubyFormat,
      problemCount: dump.problems.count,
      parseDurationMs: performance.now() - startedAtMs,
      rangeCount,
    };
  },
  hasDump(dumpId: string): boolean {
    return host.has(dumpId);
  },
  takeDump(dumpId: string): HeapDump {
    const dump = host.take(dumpId);
    return Comlink.transfer(dump, transferablesOfDump(dump));
  },
  adoptDump(dumpId: string, dump: HeapDump): void {
    host.adopt(dumpId, dump);
  },
  release(dumpId: string): void {
    host.release(dumpId);
  },
  async call(method: string, args: unknown[]): Promise<unknown> {
    return host.call(method, args);
  },
};

Comlink.expose(api);
