/**
 * The resolve phase of the parser: turns a DumpBuilder's growable columns
 * into the exact-length `HeapDump`. References (numeric addresses during the
 * scan) become object ordinals, compacted into the CSR in place; references
 * to addresses absent from the dump are dropped and counted. Addresses are
 * resolved through the AddressSlotTable (a cell per 40-byte heap slot) when
 * the dump's addresses are Ruby-page-shaped, which also gives the address
 * order; otherwise (duplicate addresses, synthetic dumps) through a sort of
 * the addresses and the SortedAddressIndex, which also reports duplicates.
 * Then ROOT and SHAPE tables and the named class table.
 *
 * `finishDumpWithHeldReferences` (the CLI's parallel parse) finishes a
 * builder some of whose references another thread still holds (their room in
 * `builder.references` reserved, not written): that thread resolves them
 * through the slot table, built here on a SharedArrayBuffer and shared with
 * it, while this thread resolves its own; so the two halves of the slowest
 * step (a cache miss per reference) run at once, and those references are
 * never copied between threads as addresses.
 */
import { NO_SHAPE_ID, NO_SHAPE_ID_16, type HeapDump } from '../store/heap-dump.ts';
import { sortAddresses } from '../store/address-order.ts';
import { ascendingRunsOf, ordinalsOfRuns, type AddressRuns } from '../store/address-runs.ts';
import { lastIndexAtOrBelow } from '../store/sorted-search.ts';
import { SortedAddressIndex } from './sorted-address-index.ts';
import { AddressSlotTable, type SlotTableState } from './address-slot-table.ts';
import { classLineRowsOf, finishClassTable } from './class-table-finisher.ts';
import type { DumpBuilder } from './dump-builder.ts';
import { recordProblem } from './problems.ts';
import { formatAddress } from '../store/lookup.ts';

export interface FinishInput {
  builder: DumpBuilder;
  withReferences: boolean;
  byteCount: number;
  compressedByteCount: number;
  gzip: boolean;
  onPhase?: (phase: 'resolve' | 'index') => void;
}

/** marks a reference to an address absent from the dump (object ordinals stay below 2^32 - 1) */
export const DANGLING = 0xffffffff;

/** References `[at, at + count)` of `builder.references`, reserved but held by another thread. */
export interface HeldReferences {
  at: number;
  count: number;
}

/** What the threads holding references answer. */
export interface HeldAnswers {
  /** per held range, in the order given: ordinals (DANGLING for absent addresses), or the addresses when there was no table */
  references: (Uint32Array | Float64Array)[];
  /** `ordinalsByAddress` read from the shared table by one of those threads, when one did (it has time while this one resolves) */
  ordinalsByAddress?: Uint32Array | null;
}

/**
 * Asks the threads holding references to resolve them through the slot
 * table (`table`), or, when the dump's addresses fell back to the sorted
 * index (`table` null), to send them as they are; `wantOrder`: one of them
 * also reads the address order from the table (the dump's runs overlap, so
 * it needs `ordinalsByAddress`).
 */
export type ResolveHeldReferences = (table: SlotTableState | null, wantOrder: boolean) => Promise<HeldAnswers>;

/** What both address indexes answer. */
interface AddressResolver {
  ordinalOf(address: number): number;
  resolveAll(addresses: Float64Array, count: number, target: Uint32Array, missing: number): void;
}

/** Resolves `addresses[from, to)` into `target` from `writeAt`; returns the new write position. */
function resolveRange(index: AddressResolver, addresses: Float64Array, from: number, to: number, target: Uint32Array, writeAt: number): number {
  for (let at = from; at < to; at++) {
    const ordinal = index.ordinalOf(addresses[at]);
    if (ordinal !== -1) target[writeAt++] = ordinal;
  }
  return writeAt;
}

/** Reads the sorted addresses in order: going through `order` into the column was a cache miss per object. */
function reportDuplicates(builder: DumpBuilder, sorted: Float64Array): void {
  for (let i = 1; i < sorted.length; i++) {
    const current = sorted[i];
    if (sorted[i - 1] !== current) continue;
    recordProblem(builder.problems, {
      line: 0,
      byteOffset: 0,
      reason: 'duplicate-address',
      message: `address ${formatAddress(current)} appears on more than one object line; references go to the first`,
      excerpt: '',
      recovered: true,
    });
  }
}

/** The index references are resolved through, and the address order (see HeapDump.addressRuns). */
interface AddressIndexes {
  addressIndex: AddressResolver;
  /** the same index when it is a slot table, which other threads can share */
  slotTable: AddressSlotTable | null;
  addressRuns: AddressRuns | null;
  ordinalsByAddress: Uint32Array | null;
  /** the runs overlap and the slot table's order was left for the caller (`orderLater`) */
  orderPending: boolean;
}

/**
 * The address order of an object column of an identity-only parse (null
 * when already ascending), duplicate addresses reported as problems: what
 * a parse that keeps no HeapDump (diff/parse-dump-digest.ts) needs of the
 * address index. From the column's ascending runs when they do not overlap
 * (Ruby's dumps: no index is built, and `minBytes` sizes the order's buffer
 * as ordinalsOfRuns does); otherwise from the slot table or the sorted index.
 */
export function addressOrderOfColumn(builder: DumpBuilder, address: Float64Array, minBytes = 0): Uint32Array | null {
  const runs = ascendingRunsOf(address);
  if (runs === null) return null;
  if (runs !== undefined) return ordinalsOfRuns(runs, address.length, minBytes);
  return indexAddresses(builder, address, runs, false).ordinalsByAddress;
}

/**
 * The address order is kept as the column's ascending runs (`runs`, from
 * ascendingRunsOf) when they do not overlap (Ruby's dumps); only otherwise
 * as every ordinal in address order.
 * `orderLater`: a slot table's full order is then left out (null,
 * `orderPending`) for the caller to get elsewhere.
 */
function indexAddresses(builder: DumpBuilder, address: Float64Array, runs: AddressRuns | null | undefined, sharedCells: boolean, orderLater = false): AddressIndexes {
  const addressRuns = runs ?? null;
  const slotTable = AddressSlotTable.build(address, { sharedCells, runs: addressRuns });
  if (slotTable !== null) {
    const needsOrder = runs === undefined;
    const ordinalsByAddress = needsOrder && !orderLater ? slotTable.ordinalsByAddress() : null;
    return { addressIndex: slotTable, slotTable, addressRuns, ordinalsByAddress, orderPending: needsOrder && orderLater };
  }
  const sortedAddresses = sortAddresses(address);
  reportDuplicates(builder, sortedAddresses.sorted);
  // runs that do not overlap hold no duplicate, and give the same order
  const ordinalsByAddress = runs === undefined ? sortedAddresses.order : null;
  return { addressIndex: new SortedAddressIndex(sortedAddresses), slotTable: null, addressRuns, ordinalsByAddress, orderPending: false };
}

interface ResolvedReferences {
  firstReferenceOffset: Uint32Array;
  referenceTarget: Uint32Array;
  danglingReferenceCount: number;
}

/**
 * Drops the DANGLING entries of `resolved` (object by object, in place:
 * writeAt <= readAt) and rewrites `firstReferenceOffset` to match. Starts at
 * the object holding the first dangling reference (found by a native scan):
 * the objects before it keep their offsets, and a dump without dangling
 * references (the usual case) is not walked at all.
 */
function compactReferences(resolved: Uint32Array, firstReferenceOffset: Uint32Array, objectCount: number): ResolvedReferences {
  const firstDangling = resolved.indexOf(DANGLING);
  if (firstDangling === -1) return { firstReferenceOffset, referenceTarget: resolved, danglingReferenceCount: 0 };
  // the last object whose references start at or before the first dangling one
  let ordinal = lastIndexAtOrBelow(firstReferenceOffset, objectCount, firstDangling);
  let writeAt = firstReferenceOffset[ordinal];
  let readFrom = writeAt;
  for (; ordinal < objectCount; ordinal++) {
    const readTo = firstReferenceOffset[ordinal + 1];
    firstReferenceOffset[ordinal] = writeAt;
    for (let readAt = readFrom; readAt < readTo; readAt++) {
      const target = resolved[readAt];
      if (target !== DANGLING) resolved[writeAt++] = target;
    }
    readFrom = readTo;
  }
  firstReferenceOffset[objectCount] = writeAt;
  return { firstReferenceOffset, referenceTarget: resolved.slice(0, writeAt), danglingReferenceCount: resolved.length - writeAt };
}

/** Resolves `builder.references` outside the `held` ranges (ascending, disjoint) into `resolved`, in one batch per stretch. */
function resolveOwnReferences(index: AddressResolver, references: Float64Array, referenceCount: number, held: HeldReferences[], resolved: Uint32Array): void {
  let from = 0;
  for (const stretch of [...held, { at: referenceCount, count: 0 }]) {
    if (stretch.at > from) index.resolveAll(references.subarray(from, stretch.at), stretch.at - from, resolved.subarray(from, stretch.at), DANGLING);
    from = stretch.at + stretch.count;
  }
}

export function finishDump(input: FinishInput): HeapDump {
  const { builder } = input;
  const address = builder.address.take();
  input.onPhase?.('resolve');
  const indexes = indexAddresses(builder, address, ascendingRunsOf(address), false);
  if (!input.withReferences) {
    return assemble(input, address, indexes, { firstReferenceOffset: new Uint32Array(builder.objectCount + 1), referenceTarget: new Uint32Array(0), danglingReferenceCount: 0 });
  }
  const { firstReferenceOffset, resolved } = startReferences(builder);
  resolveOwnReferences(indexes.addressIndex, builder.references.array, resolved.length, [], resolved);
  builder.references.release();
  return assemble(input, address, indexes, compactReferences(resolved, firstReferenceOffset, builder.objectCount));
}

/**
 * `finishDump` for a builder whose references in the `held` ranges
 * (ascending, disjoint) are held by other threads, which `resolveHeld` asks
 * to resolve them while this thread resolves the rest.
 */
export async function finishDumpWithHeldReferences(input: FinishInput, held: HeldReferences[], resolveHeld: ResolveHeldReferences): Promise<HeapDump> {
  // an identity-only parse holds none
  if (held.length === 0) return finishDump(input);
  const { builder } = input;
  const address = builder.address.take();
  input.onPhase?.('resolve');
  const indexes = indexAddresses(builder, address, ascendingRunsOf(address), true, true);
  const { slotTable } = indexes;
  const { firstReferenceOffset, resolved } = startReferences(builder);
  const answers = resolveHeld(slotTable === null ? null : slotTable.state, indexes.orderPending);
  resolveOwnReferences(indexes.addressIndex, builder.references.array, resolved.length, held, resolved);
  const answered = await answers;
  if (slotTable !== null && indexes.orderPending) indexes.ordinalsByAddress = answered.ordinalsByAddress !== undefined ? answered.ordinalsByAddress : slotTable.ordinalsByAddress();
  held.forEach(({ at, count }, rangeIndex) => {
    const answer = answered.references[rangeIndex];
    if (answer.length !== count) throw new RangeError(`held references at ${at}: ${count} expected, ${answer.length} answered`);
    if (answer instanceof Uint32Array) resolved.set(answer, at);
    else indexes.addressIndex.resolveAll(answer, count, resolved.subarray(at, at + count), DANGLING);
  });
  builder.references.release();
  return assemble(input, address, indexes, compactReferences(resolved, firstReferenceOffset, builder.objectCount));
}

/** The final CSR offsets (with the closing entry) and room for every resolved reference. */
function startReferences(builder: DumpBuilder): { firstReferenceOffset: Uint32Array; resolved: Uint32Array } {
  const referenceCount = builder.references.length;
  builder.firstReferenceOffset.push(referenceCount);
  return { firstReferenceOffset: builder.firstReferenceOffset.take(), resolved: new Uint32Array(referenceCount) };
}

/** Everything after the references: roots, tables, stats. */
function assemble(input: FinishInput, address: Float64Array, indexes: AddressIndexes, references: ResolvedReferences): HeapDump {
  const { firstReferenceOffset, referenceTarget, danglingReferenceCount } = references;
  const { builder } = input;
  const objectCount = builder.objectCount;
  const { addressIndex, addressRuns, ordinalsByAddress } = indexes;

  const rootCount = builder.rootCategory.length;
  const rootFirst = builder.rootFirstReference.trimmed();
  const rootTargets = new Uint32Array(builder.rootReferences.length);
  let rootWriteAt = 0;
  for (let root = 0; root < rootCount; root++) {
    const from = rootFirst[root];
    const to = rootFirst[root + 1];
    rootFirst[root] = rootWriteAt;
    rootWriteAt = resolveRange(addressIndex, builder.rootReferences.array, from, to, rootTargets, rootWriteAt);
  }
  rootFirst[rootCount] = rootWriteAt;

  input.onPhase?.('index');

  const typeCode = builder.typeCode.take();
  const flagBits = builder.flagBits.take();
  const classOrdinal = builder.classOrdinal.take();
  const classes = finishClassTable(builder, classLineRowsOf(builder, address, typeCode, flagBits, classOrdinal));
  const shapeCount = builder.shapeNumber.length;

  return {
    objectCount,
    address,
    typeCode,
    flagBits,
    classOrdinal,
    memsizeBytes: builder.memsizeBytes.take(),
    // an identity-only parse stores no sizes: zeros, in pages never touched
    sizeField: builder.keepsReferences ? builder.sizeField.take() : new Uint32Array(objectCount),
    generation: builder.generation.take(),
    siteOrdinal: builder.siteOrdinal.take(),
    firstReferenceOffset,
    referenceTarget,
    addressRuns,
    ordinalsByAddress,
    classes,
    sites: builder.sites.toTable(builder.siteStrings.strings),
    stringValues: builder.stringValues.toTable(),
    fileDescriptors: { owner: builder.fdOwner.trimmed(), fd: builder.fdValue.trimmed(), count: builder.fdOwner.length },
    roots: {
      categories: Array.from(builder.rootCategory.trimmed(), (index) => builder.names.strings[index]),
      firstReferenceOffset: rootFirst,
      referenceTarget: rootTargets.slice(0, rootWriteAt),
    },
    shapes: {
      id: builder.shapeNumber.trimmed(),
      parentId: builder.shapeParent.trimmed(),
      depth: builder.shapeDepth.trimmed(),
      shapeTypeIndex: builder.shapeTypeIndex.trimmed(),
      edgeNameIndex: builder.shapeEdgeNameIndex.trimmed(),
      strings: builder.shapeStrings.strings,
      count: shapeCount,
    },
    shapeId: builder.shapeId === null ? null : narrowShapeIds(builder.shapeId.trimmed()),
    stats: {
      byteCount: input.byteCount,
      compressedByteCount: input.compressedByteCount,
      gzip: input.gzip,
      lineCount: builder.lineCount,
      rootLineCount: builder.rootLineCount,
      shapeLineCount: builder.shapeLineCount,
      freeSlotLineCount: builder.freeSlotLineCount,
      referenceCount: referenceTarget.length,
      danglingReferenceCount,
      tracedObjectCount: builder.tracedObjectCount,
      rubyFormat: guessRubyFormat(builder),
    },
    problems: builder.problems,
  };
}

/** The ids in 16 bits when they fit (NO_SHAPE_ID becomes NO_SHAPE_ID_16), else as they are. */
export function narrowShapeIds(ids: Uint32Array): Uint16Array | Uint32Array {
  for (let ordinal = 0; ordinal < ids.length; ordinal++) if (ids[ordinal] >= NO_SHAPE_ID_16 && ids[ordinal] !== NO_SHAPE_ID) return ids;
  const narrow = new Uint16Array(ids.length);
  for (let ordinal = 0; ordinal < ids.length; ordinal++) narrow[ordinal] = ids[ordinal] === NO_SHAPE_ID ? NO_SHAPE_ID_16 : ids[ordinal];
  return narrow;
}

function guessRubyFormat(builder: DumpBuilder): string {
  if (builder.shapeId !== null) return builder.shapeLineCount > 0 || !builder.sawImemoClass ? '3.3+' : '3.2';
  if (builder.shapeLineCount > 0) return '3.2';
  return builder.sawImemoClass ? '<=3.1' : 'unknown';
}
