/**
 * The scan phase shared by `parseHeapDump` (one thread, whole file) and
 * `scanHeapDumpPart` (one byte range of a file, for parallel workers): a
 * DumpBuilder sized from the expected input, fed chunk by chunk through the
 * LineSplitter, checking the abort signal between chunks.
 */
import { DumpBuilder } from './dump-builder.ts';
import { ParseCancelledError, TruncatedInputError } from './errors.ts';
import type { ChunkSource } from './input-stream.ts';
import type { LineSplitter } from './line-splitter.ts';
import type { ObjectRowSink } from './object-row-sink.ts';
import type { ParseOptions } from './parse-heap-dump.ts';

/** average bytes per object line in real Rails dumps (~330), rounded down to over-reserve a little */
const BYTES_PER_OBJECT_ESTIMATE = 280;

export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ParseCancelledError();
}

/** The object lines expected in `expectedBytes` of dump, to size columns up front. */
export function expectedObjectsOf(expectedBytes: number): number {
  return Math.ceil(expectedBytes / BYTES_PER_OBJECT_ESTIMATE);
}

/**
 * `known` counts, when given, size the columns exactly (a merge of scanned
 * parts); a `rowSink` takes the rows instead of the columns.
 */
export function createBuilder(options: ParseOptions, expectedBytes: number, known?: { objects: number; references: number }, rowSink?: ObjectRowSink): DumpBuilder {
  return new DumpBuilder({
    stringPrefixBytes: options.stringPrefixBytes ?? 64,
    references: options.references ?? true,
    expectedObjects: known?.objects ?? expectedObjectsOf(expectedBytes),
    expectedReferences: known?.references,
    minColumnBytes: options.minColumnBytes,
    rowSink,
  });
}

/**
 * Feeds every chunk to the splitter. Returns the TruncatedInputError that
 * ended the input early, if one did (the caller reports it and finishes with
 * what was read), or null when the input ended normally.
 */
export async function readAll(
  source: ChunkSource,
  splitter: LineSplitter,
  signal: AbortSignal | undefined,
  onChunk: () => void,
): Promise<TruncatedInputError | null> {
  for (;;) {
    checkAborted(signal);
    let chunk: Uint8Array | null;
    try {
      chunk = await source.next();
    } catch (error) {
      if (error instanceof TruncatedInputError) return error;
      throw error;
    }
    if (chunk === null) return null;
    splitter.push(chunk);
    onChunk();
  }
}
