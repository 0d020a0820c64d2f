/**
 * Parallel parsing of one uncompressed dump: `scanHeapDumpPart` scans the
 * lines of one byte range (see byte-range.ts) into a transferable ScanPart,
 * in a worker (worker_threads in Node, a Web Worker in the browser: the
 * same code, no node: imports); `mergeHeapDumpParts` appends the parts in
 * file order and resolves references over the whole, giving the same
 * HeapDump as `parseHeapDump` on the whole file (the tests check this).
 * The thread that merges can scan the first range itself straight into the
 * builder the others are appended to (`scanLeadingPart`, `finishWithParts`):
 * that range is then never copied.
 * Gzip streams cannot be split, so ranges need the plain file.
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { linesOfRange, type RangeCut } from './byte-range.ts';
import { appendScanPart, toScanPart, type ScanPart } from './dump-part.ts';
import { finishDump, finishDumpWithHeldReferences, type FinishInput, type HeldAnswers, type HeldReferences } from './finish-dump.ts';
import type { SlotTableState } from './address-slot-table.ts';
import { CountingSource, iterateSource, toChunkSource } from './input-stream.ts';
import { LineSplitter } from './line-splitter.ts';
import type { ParseOptions } from './parse-heap-dump.ts';
import { checkAborted, createBuilder, readAll } from './scan-input.ts';
import type { DumpBuilder } from './dump-builder.ts';
import { sniffHeapDump } from './sniff.ts';

export type { ScanPart } from './dump-part.ts';
export { holdReferences, transferablesOf } from './dump-part.ts';
export type { SlotTableState } from './address-slot-table.ts';
export type { HeldAnswers } from './finish-dump.ts';
export { rangeCut, splitIntoRanges, type RangeCut } from './byte-range.ts';

const SNIFF_BYTES = 512;

/**
 * Scans one range: `input` streams the file from the range's `streamStart`
 * (see `rangeCut`). `expectedBytes` sizes the columns (the range's length).
 */
export async function scanHeapDumpPart(
  input: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  cut: RangeCut,
  options: Pick<ParseOptions, 'signal' | 'stringPrefixBytes' | 'references'> & { expectedBytes?: number } = {},
): Promise<ScanPart> {
  const { builder, byteCount } = await scanRange(input, cut, options, options.expectedBytes ?? 0);
  return toScanPart(builder, byteCount);
}

/** The first range scanned by the merging thread, still in its builder. */
export interface LeadingPart {
  readonly builder: DumpBuilder;
  readonly byteCount: number;
}

/**
 * Scans the first range into a builder sized for the whole file
 * (`fileBytes`), so the parts of the other ranges append to it without
 * growing it (its unwritten capacity is never touched, so costs no memory).
 */
export async function scanLeadingPart(
  input: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  cut: RangeCut,
  options: Pick<ParseOptions, 'signal' | 'stringPrefixBytes' | 'references' | 'minColumnBytes'> & { fileBytes: number },
): Promise<LeadingPart> {
  return scanRange(input, cut, options, options.fileBytes);
}

async function scanRange(
  input: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  cut: RangeCut,
  options: Pick<ParseOptions, 'signal' | 'stringPrefixBytes' | 'references' | 'minColumnBytes'>,
  expectedBytes: number,
): Promise<LeadingPart> {
  checkAborted(options.signal);
  const raw = new CountingSource(toChunkSource(input));
  try {
    const source = new CountingSource(toChunkSource(linesOfRange(iterateSource(raw), cut)));
    if (!cut.skipFirstLine) sniffHeapDump(await source.peek(SNIFF_BYTES));
    const builder = createBuilder(options, expectedBytes);
    const splitter = new LineSplitter(builder);
    // A byte range of a plain file has no format of its own to end early.
    const truncation = await readAll(source, splitter, options.signal, () => undefined);
    if (truncation !== null) throw truncation;
    splitter.end();
    return { builder, byteCount: splitter.byteCount };
  } finally {
    await raw.close();
  }
}

/**
 * Joins parts scanned from consecutive ranges (in file order) into one
 * HeapDump. Takes the parts over: `parts` is left empty.
 */
export function mergeHeapDumpParts(parts: ScanPart[], options: Pick<ParseOptions, 'stringPrefixBytes' | 'references'> = {}): HeapDump {
  // Sized exactly from the parts: grown by doubling from nothing, the merged
  // columns were copied a dozen times on the way to millions of rows.
  let objectCount = 0;
  let referenceCount = 0;
  for (const part of parts) {
    objectCount += part.objectCount;
    referenceCount += part.references.length;
  }
  const builder = createBuilder(options, 0, { objects: objectCount, references: referenceCount });
  return finishWithParts({ builder, byteCount: 0 }, parts, options);
}

/**
 * Appends `parts` (the ranges after `leading`, in file order) to the leading
 * part's builder and resolves the whole. Takes the parts over: `parts` is
 * left empty.
 */
export function finishWithParts(leading: LeadingPart, parts: ScanPart[], options: Pick<ParseOptions, 'references'> = {}): HeapDump {
  const { byteCount, held } = appendParts(leading, parts);
  if (held.length > 0) throw new RangeError('parts that hold their references need finishWithHeldParts');
  return finishDump(finishInput(leading.builder, byteCount, options));
}

/**
 * Answers for the parts that hold their references (`holdingParts`: their
 * positions in the `parts` given to finishWithHeldParts), in that order: see
 * ResolveHeldReferences.
 */
export type ResolvePartReferences = (table: SlotTableState | null, holdingParts: number[], wantOrder: boolean) => Promise<HeldAnswers>;

/**
 * `finishWithParts` when some parts hold their references (`holdReferences`
 * on the thread that scanned them): those threads resolve them through
 * `resolveHeld` while this one resolves the rest.
 */
export function finishWithHeldParts(leading: LeadingPart, parts: ScanPart[], options: Pick<ParseOptions, 'references'>, resolveHeld: ResolvePartReferences): Promise<HeapDump> {
  const { byteCount, held, holdingParts } = appendParts(leading, parts);
  return finishDumpWithHeldReferences(finishInput(leading.builder, byteCount, options), held, (table, wantOrder) => resolveHeld(table, holdingParts, wantOrder));
}

function finishInput(builder: DumpBuilder, byteCount: number, options: Pick<ParseOptions, 'references'>): FinishInput {
  return { builder, withReferences: options.references ?? true, byteCount, compressedByteCount: byteCount, gzip: false };
}

/** Appends the parts in order; where their held references went, and the positions of the parts that hold some. */
function appendParts(leading: LeadingPart, parts: ScanPart[]): { byteCount: number; held: HeldReferences[]; holdingParts: number[] } {
  const { builder } = leading;
  let lineOffset = builder.lineCount;
  let byteOffset = leading.byteCount;
  const held: HeldReferences[] = [];
  const holdingParts: number[] = [];
  // Each part leaves `parts` once appended, so its columns can be collected
  // while the next is copied.
  for (let position = 0, part = parts.shift(); part !== undefined; position++, part = parts.shift()) {
    const partHeld = appendScanPart(builder, part, lineOffset, byteOffset);
    if (partHeld !== null) {
      held.push(partHeld);
      holdingParts.push(position);
    }
    lineOffset += part.lineCount;
    byteOffset += part.byteCount;
  }
  return { byteCount: byteOffset, held, holdingParts };
}
