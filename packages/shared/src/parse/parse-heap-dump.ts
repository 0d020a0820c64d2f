/**
 * `parseHeapDump`: the streaming parser's entry point. Reads a byte stream
 * (gzip or plain), refuses non-dumps early (`NotAHeapDumpError`), scans every
 * line into growable typed-array columns (DumpBuilder), then resolves
 * references and builds the tables (finishDump). Bad lines never abort the
 * parse: they land in `dump.problems`, and so does an input cut off part way
 * (`TruncatedInputError` from the source: a partial gzip file). Progress is reported at most ~10
 * times a second; an aborted `signal` ends the parse with
 * `ParseCancelledError` between chunks.
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { finishDump, type FinishInput } from './finish-dump.ts';
import type { ObjectRowSink } from './object-row-sink.ts';
import { CountingSource, gunzipSource, isGzip, toChunkSource } from './input-stream.ts';
import { checkAborted, createBuilder, expectedObjectsOf, readAll } from './scan-input.ts';
import { LineSplitter } from './line-splitter.ts';
import { recordProblem } from './problems.ts';
import { sniffHeapDump } from './sniff.ts';

export interface ParseProgress {
  phase: 'read' | 'resolve' | 'index';
  doneBytes: number;
  totalBytes: number | null;
  objectCount: number;
}

export interface ParseOptions {
  /** called at most ~10 times per second */
  onProgress?: (progress: ParseProgress) => void;
  /** abort -> ParseCancelledError */
  signal?: AbortSignal;
  /** size of the input as given (compressed size for gzip), for progress */
  totalBytes?: number;
  /** bytes of each STRING value kept for display; default 64 */
  stringPrefixBytes?: number;
  /** default true; false = identity columns only (no references, no string values) */
  references?: boolean;
  /** least byte capacity of each per-object column of a large dump (see DumpBuilderOptions); default 0 */
  minColumnBytes?: number;
}

const PROGRESS_INTERVAL_MS = 100;
const SNIFF_BYTES = 512;
/** typical gzip ratio of dumps (8-14x): used only to pre-size columns */
const GZIP_RATIO_ESTIMATE = 10;


export function parseHeapDump(input: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, options: ParseOptions = {}): Promise<HeapDump> {
  return readHeapDump(input, options, { finish: finishDump });
}

/**
 * What a parse other than parseHeapDump's makes of the rows: a sink made
 * once the expected object count is known (DumpBuilderOptions.rowSink), and
 * the finish step in place of finishDump.
 */
export interface ParseTarget<Sink extends ObjectRowSink | undefined, Result> {
  makeSink?: (expectedObjects: number) => Sink;
  finish: (input: FinishInput, sink: Sink) => Result;
}

/** parseHeapDump's reading (input, sniffing, gzip, progress, problems, cancel) with the rows and the finish step given. */
export async function readHeapDump<Sink extends ObjectRowSink | undefined, Result>(
  input: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: ParseOptions,
  target: ParseTarget<Sink, Result>,
): Promise<Result> {
  checkAborted(options.signal);
  const raw = new CountingSource(toChunkSource(input));
  try {
    return await parseSource(raw, options, target);
  } finally {
    // Stop the input on every exit (done, refused, cancelled, failed), so a
    // file stream or read-ahead worker is never left running.
    await raw.close();
  }
}

async function parseSource<Sink extends ObjectRowSink | undefined, Result>(raw: CountingSource, options: ParseOptions, target: ParseTarget<Sink, Result>): Promise<Result> {
  const { onProgress, signal } = options;
  const totalBytes = options.totalBytes ?? null;
  const withReferences = options.references ?? true;
  const gzip = isGzip(await raw.peek(2));
  const decompressed = new CountingSource(gzip ? gunzipSource(raw) : raw);
  const head = await decompressed.peek(SNIFF_BYTES);
  sniffHeapDump(head);
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) await decompressed.skip(3);

  const expectedBytes = totalBytes === null ? 0 : gzip ? totalBytes * GZIP_RATIO_ESTIMATE : totalBytes;
  const expectedObjects = expectedObjectsOf(expectedBytes);
  const sink = target.makeSink?.(expectedObjects) as Sink;
  const builder = createBuilder(options, expectedBytes, undefined, sink);
  const splitter = new LineSplitter(builder);

  let lastProgressMs = 0;
  const report = (phase: ParseProgress['phase'], force: boolean): void => {
    if (onProgress === undefined) return;
    const nowMs = Date.now();
    if (!force && nowMs - lastProgressMs < PROGRESS_INTERVAL_MS) return;
    lastProgressMs = nowMs;
    onProgress({ phase, doneBytes: raw.byteCount, totalBytes, objectCount: builder.objectCount });
  };

  const truncation = await readAll(decompressed, splitter, signal, () => report('read', false));
  splitter.end();
  if (truncation !== null) {
    recordProblem(builder.problems, {
      line: builder.lineCount + 1,
      byteOffset: splitter.byteCount,
      reason: 'truncated-input',
      message: `${truncation.message}; every complete line before the cut was kept`,
      excerpt: '',
      recovered: false,
    });
  }
  report('read', true);
  checkAborted(signal);

  const finishInput: FinishInput = {
    builder,
    withReferences,
    byteCount: splitter.byteCount,
    compressedByteCount: raw.byteCount,
    gzip,
    onPhase: (phase) => {
      checkAborted(signal);
      report(phase, true);
    },
  };
  return target.finish(finishInput, sink);
}
