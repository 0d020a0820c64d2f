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
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { sortAddresses } from '../store/address-order.ts';
import { SortedAddressIndex } from './sorted-address-index.ts';
import { AddressSlotTable } from './address-slot-table.ts';
import { finishClassTable } from './class-table-finisher.ts';
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
const DANGLING = 0xffffffff;

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

/** The index references are resolved through, and the address order. */
function indexAddresses(builder: DumpBuilder, address: Float64Array): { addressIndex: AddressResolver; ordinalsByAddress: Uint32Array | null } {
  const slotTable = AddressSlotTable.build(address);
  if (slotTable !== null) return { addressIndex: slotTable, ordinalsByAddress: slotTable.ordinalsByAddress() };
  const sortedAddresses = sortAddresses(address);
  reportDuplicates(builder, sortedAddresses.sorted);
  return { addressIndex: new SortedAddressIndex(sortedAddresses), ordinalsByAddress: sortedAddresses.order };
}

export function finishDump(input: FinishInput): HeapDump {
  const { builder } = input;
  const objectCount = builder.objectCount;
  const address = builder.address.take();
  input.onPhase?.('resolve');
  const { addressIndex, ordinalsByAddress } = indexAddresses(builder, address);

  const referenceCount = builder.references.length;
  let firstReferenceOffset: Uint32Array;
  let referenceTarget: Uint32Array;
  if (input.withReferences) {
    builder.firstReferenceOffset.push(referenceCount);
    firstReferenceOffset = builder.firstReferenceOffset.take();
    // every reference resolved in one batch (see SortedAddressIndex.resolveAll),
    // then compacted in place past the dangling ones (writeAt <= readAt)
    const resolved = new Uint32Array(referenceCount);
    addressIndex.resolveAll(builder.references.array, referenceCount, resolved, DANGLING);
    let writeAt = 0;
    let readFrom = firstReferenceOffset[0];
    for (let ordinal = 0; ordinal < objectCount; ordinal++) {
      const readTo = firstReferenceOffset[ordinal + 1];
      firstReferenceOffset[ordinal] = writeAt;
      for (let readAt = readFrom; readAt < readTo; readAt++) {
        const target = resolved[readAt];
        if (target !== DANGLING) resolved[writeAt++] = target;
      }
      readFrom = readTo;
    }
    firstReferenceOffset[objectCount] = writeAt;
    builder.references.release();
    referenceTarget = writeAt === referenceCount ? resolved : resolved.slice(0, writeAt);
  } else {
    firstReferenceOffset = new Uint32Array(objectCount + 1);
    referenceTarget = new Uint32Array(0);
  }
  const danglingReferenceCount = input.withReferences ? referenceCount - referenceTarget.length : 0;

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
  const classes = finishClassTable(builder, address, typeCode, flagBits, classOrdinal);
  const shapeCount = builder.shapeNumber.length;

  return {
    objectCount,
    address,
    typeCode,
    flagBits,
    classOrdinal,
    memsizeBytes: builder.memsizeBytes.take(),
    sizeField: builder.sizeField.take(),
    generation: builder.generation.take(),
    siteOrdinal: builder.siteOrdinal.take(),
    firstReferenceOffset,
    referenceTarget,
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
    shapeId: builder.shapeId === null ? null : builder.shapeId.trimmed(),
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

function guessRubyFormat(builder: DumpBuilder): string {
  if (builder.shapeId !== null) return builder.shapeLineCount > 0 || !builder.sawImemoClass ? '3.3+' : '3.2';
  if (builder.shapeLineCount > 0) return '3.2';
  return builder.sawImemoClass ? '<=3.1' : 'unknown';
}
