/**
 * The contract between the main thread (EngineClient) and each engine worker
 * (workers/engine.worker.ts), shared by both sides so comlink's `Remote<T>` is
 * typed. Only plain, structured-cloneable data crosses it: dump sources are
 * Blobs/Files, file handles, OPFS paths, URLs or transferred ReadableStreams
 * (never a whole dump as one ArrayBuffer or string), and results are the
 * engine's plain-data answers.
 *
 * Progress is `EngineProgress` through a `Comlink.proxy` callback; there is no
 * cancel message: cancelling terminates the worker (see EngineClient).
 */
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';

/** Where the worker reads a dump's bytes from. The worker detects gzip itself. */
export type DumpInput =
  /** a File from a picker, drag and drop or <input type=file>, or any Blob */
  | { kind: 'blob'; blob: Blob }
  /** a handle from showOpenFilePicker / drag and drop; stays valid across reloads once permitted */
  | { kind: 'file-handle'; handle: FileSystemFileHandle }
  /** a file in the Origin Private File System, by its path from the OPFS root ("dumps/abc.json.gz") */
  | { kind: 'opfs'; path: string }
  /** fetched by the worker itself, so the bytes never pass through the main thread */
  | { kind: 'url'; url: string; headers: Record<string, string> }
  /** a byte stream transferred to the worker (e.g. a fetch Response body) */
  | { kind: 'stream'; stream: ReadableStream<Uint8Array>; totalBytes: number | null };

/** Phases as the UI shows them: `queued` before a worker is free, `done` at the end. */
export type EnginePhase = 'queued' | 'open' | 'read' | 'resolve' | 'index' | 'done';

/** Parse progress, structured; the UI formats it. `totalBytes` null = unknown size. */
export interface EngineProgress {
  phase: EnginePhase;
  doneBytes: number;
  totalBytes: number | null;
  objectCount: number;
}

export type EngineProgressListener = (progress: EngineProgress) => void;

export interface ParseRequestOptions {
  /** false = identity columns only (older dumps of a diff), see parseHeapDump */
  references?: boolean;
  stringPrefixBytes?: number;
  /**
   * Byte ranges to parse a plain File/Blob in, each in a worker of its own
   * (tests and benches; 1 = one thread). Without it the worker decides from
   * the file's size and the cores (workers/parallel-parse.ts).
   */
  rangeCount?: number;
}

/** What the worker tells about a freshly parsed dump: small, plain data. */
export interface ParsedDumpInfo {
  dumpId: string;
  objectCount: number;
  referenceCount: number;
  /** decompressed bytes read */
  byteCount: number;
  /** bytes of the file as given (compressed size for .gz) */
  compressedByteCount: number;
  gzip: boolean;
  rubyFormat: string;
  problemCount: number;
  parseDurationMs: number;
  /** byte ranges parsed at once (1 = one thread), see workers/parallel-parse.ts */
  rangeCount: number;
}

/** A typed error crossing the worker boundary: comlink clones name and message only. */
export interface EngineErrorInfo {
  name: string;
  message: string;
}

/**
 * The methods every engine worker exposes with `Comlink.expose`. Analysis
 * methods take dump ids; the dumps they name must live in that worker (the
 * client moves them there first with takeDump/adoptDump).
 */
export interface EngineWorkerApi {
  parse(dumpId: string, input: DumpInput, onProgress: EngineProgressListener | null, options: ParseRequestOptions): Promise<ParsedDumpInfo>;
  hasDump(dumpId: string): boolean;
  /** removes the dump from this worker and returns it, its buffers transferred */
  takeDump(dumpId: string): HeapDump;
  /** takes ownership of a dump moved from another worker */
  adoptDump(dumpId: string, dump: HeapDump): void;
  release(dumpId: string): void;
  /**
   * Calls a method of the engine session (packages/shared/src/api/engine.ts)
   * by name with plain-data arguments and returns its plain-data result. One
   * generic entry point keeps the worker unchanged while the engine API grows;
   * EngineClient gives each method its own typed wrapper.
   */
  call(method: string, args: unknown[]): Promise<unknown>;
}
