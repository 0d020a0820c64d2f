/**
 * A scanned but unresolved slice of a dump (`ScanPart`): what one DumpBuilder
 * read from a byte range of the file, as plain transferable data (typed
 * arrays, string arrays, numbers), with references still numeric addresses
 * and sites, classes and names numbered locally. Several parts, scanned by
 * several workers from consecutive byte ranges, are appended in file order
 * into one DumpBuilder (`appendScanPart`), which re-interns their small
 * tables and shifts their ordinals, line numbers and byte offsets; then
 * `finishDump` resolves the whole as if one thread had read it.
 *
 * A worker may keep a part's references (`holdReferences`) and resolve them
 * itself once the whole dump's address table exists (see
 * `finishDumpWithHeldReferences`); the part then carries only their count,
 * and `appendScanPart` reserves their room in the builder without writing it.
 */
import type { ObjectColumns, StringValueTable } from '../store/heap-dump.ts';
import type { DumpBuilder } from './dump-builder.ts';
import type { HeldReferences } from './finish-dump.ts';
import { recordProblem, type ParseProblemReport } from './problems.ts';

/**
 * The per-object columns are the HeapDump's, except that `classOrdinal` and
 * `siteOrdinal` number this part's own rows (`classNames`, `classAddress`,
 * `classIsSynthetic`; `siteFileIndex`...) until `appendScanPart` re-interns them.
 */
export interface ScanPart extends ObjectColumns {
  objectCount: number;
  byteCount: number;
  lineCount: number;
  rootLineCount: number;
  shapeLineCount: number;
  freeSlotLineCount: number;
  tracedObjectCount: number;
  sawImemoClass: boolean;
  /** offsets into `references`, length objectCount (no final entry) */
  firstReferenceOffset: Uint32Array;
  /** empty when the scanning thread holds them (`heldReferenceCount`) */
  references: Float64Array;
  /** references kept by the thread that scanned the part; 0 when `references` holds them all */
  heldReferenceCount: number;
  shapeId: Uint32Array | null;
  siteStrings: string[];
  siteFileIndex: Uint32Array;
  siteLine: Uint32Array;
  siteMethodIndex: Uint32Array;
  names: string[];
  classNames: string[];
  classAddress: Float64Array;
  classIsSynthetic: Uint8Array;
  classLineOrdinal: Uint32Array;
  classLineName: Uint32Array;
  classLineRealName: Uint32Array;
  stringValues: StringValueTable;
  fdOwner: Uint32Array;
  fdValue: Int32Array;
  rootCategory: Uint32Array;
  rootFirstReference: Uint32Array;
  rootReferences: Float64Array;
  shapeStrings: string[];
  shapeNumber: Uint32Array;
  shapeParent: Uint32Array;
  shapeDepth: Uint32Array;
  shapeTypeIndex: Uint32Array;
  shapeEdgeNameIndex: Uint32Array;
  problems: ParseProblemReport;
}

export function toScanPart(builder: DumpBuilder, byteCount: number): ScanPart {
  const sites = builder.sites.toTable(builder.siteStrings.strings);
  const classKinds = builder.classRefs.kind.trimmed();
  return {
    objectCount: builder.objectCount,
    byteCount,
    lineCount: builder.lineCount,
    rootLineCount: builder.rootLineCount,
    shapeLineCount: builder.shapeLineCount,
    freeSlotLineCount: builder.freeSlotLineCount,
    tracedObjectCount: builder.tracedObjectCount,
    sawImemoClass: builder.sawImemoClass,
    address: builder.address.take(),
    typeCode: builder.typeCode.take(),
    flagBits: builder.flagBits.take(),
    classOrdinal: builder.classOrdinal.take(),
    memsizeBytes: builder.memsizeBytes.take(),
    sizeField: builder.keepsReferences ? builder.sizeField.take() : new Uint32Array(0),
    generation: builder.generation.take(),
    siteOrdinal: builder.siteOrdinal.take(),
    firstReferenceOffset: builder.firstReferenceOffset.take(),
    references: builder.references.take(),
    heldReferenceCount: 0,
    shapeId: builder.shapeId === null ? null : builder.shapeId.trimmed(),
    siteStrings: builder.siteStrings.strings,
    siteFileIndex: sites.fileIndex,
    siteLine: sites.line,
    siteMethodIndex: sites.methodIndex,
    names: builder.names.strings,
    classNames: builder.classRefs.names,
    classAddress: builder.classRefs.address.trimmed(),
    classIsSynthetic: classKinds.map((kind, row) => (row > 0 && Number.isNaN(builder.classRefs.address.array[row]) ? 1 : 0)),
    classLineOrdinal: builder.classLineOrdinal.trimmed(),
    classLineName: builder.classLineName.trimmed(),
    classLineRealName: builder.classLineRealName.trimmed(),
    stringValues: builder.stringValues.toTable(),
    fdOwner: builder.fdOwner.trimmed(),
    fdValue: builder.fdValue.trimmed(),
    rootCategory: builder.rootCategory.trimmed(),
    rootFirstReference: builder.rootFirstReference.trimmed(),
    rootReferences: builder.rootReferences.trimmed(),
    shapeStrings: builder.shapeStrings.strings,
    shapeNumber: builder.shapeNumber.trimmed(),
    shapeParent: builder.shapeParent.trimmed(),
    shapeDepth: builder.shapeDepth.trimmed(),
    shapeTypeIndex: builder.shapeTypeIndex.trimmed(),
    shapeEdgeNameIndex: builder.shapeEdgeNameIndex.trimmed(),
    problems: builder.problems,
  };
}

/** The typed arrays of a part, for postMessage transfer lists. */
export function transferablesOf(part: ScanPart): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const visit = (value: unknown): void => {
    if (ArrayBuffer.isView(value)) buffers.add(value.buffer as ArrayBuffer);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.values(value).forEach(visit);
  };
  visit(part);
  return [...buffers];
}

/** Takes the references out of `part` (to resolve them on this thread later); the part keeps their count. */
export function holdReferences(part: ScanPart): Float64Array {
  const held = part.references;
  part.references = new Float64Array(0);
  part.heldReferenceCount += held.length;
  return held;
}

function remapStrings(strings: string[], intern: (text: string) => number): Uint32Array {
  const global = new Uint32Array(strings.length);
  for (let index = 1; index < strings.length; index++) global[index] = intern(strings[index]);
  return global;
}

/**
 * Appends `part` (the next byte range in file order) to `builder`.
 * `lineOffset` and `byteOffset` are the lines and bytes of the parts before.
 * Returns where the part's held references go in `builder.references`
 * (reserved, not written), or null when it holds none.
 */
export function appendScanPart(builder: DumpBuilder, part: ScanPart, lineOffset: number, byteOffset: number): HeldReferences | null {
  const ordinalOffset = builder.objectCount;
  const siteString = remapStrings(part.siteStrings, (text) => builder.siteStrings.internText(text));
  const name = remapStrings(part.names, (text) => builder.names.internText(text));
  const shapeString = remapStrings(part.shapeStrings, (text) => builder.shapeStrings.internText(text));
  const site = new Uint32Array(part.siteFileIndex.length);
  for (let row = 1; row < site.length; row++) {
    site[row] = builder.sites.intern(siteString[part.siteFileIndex[row]], part.siteLine[row], siteString[part.siteMethodIndex[row]]);
  }
  const classRow = new Uint32Array(part.classNames.length);
  for (let row = 1; row < classRow.length; row++) {
    classRow[row] = part.classIsSynthetic[row] === 1 ? builder.classRefs.ordinalOfSyntheticName(part.classNames[row]) : builder.classRefs.ordinalOfAddress(part.classAddress[row]);
  }
  if (part.heldReferenceCount > 0 && part.references.length > 0) throw new RangeError('a part either holds its references or carries them');
  // only a parse with references scans (and so holds) any
  const held = part.heldReferenceCount > 0 ? { at: builder.references.length, count: part.heldReferenceCount } : null;
  builder.appendRows(part, classRow, site);
  // the part's offsets already count the held references after `held.at`
  if (held !== null) {
    builder.references.reserve(held.count);
    builder.references.length += held.count;
  }
  builder.sawImemoClass ||= part.sawImemoClass;

  for (let line = 0; line < part.classLineOrdinal.length; line++) {
    builder.classLineOrdinal.push(part.classLineOrdinal[line] + ordinalOffset);
    builder.classLineName.push(name[part.classLineName[line]]);
    builder.classLineRealName.push(name[part.classLineRealName[line]]);
  }
  builder.stringValues.appendTable(part.stringValues, ordinalOffset);
  for (let row = 0; row < part.fdOwner.length; row++) {
    builder.fdOwner.push(part.fdOwner[row] + ordinalOffset);
    builder.fdValue.push(part.fdValue[row]);
  }
  for (let root = 0; root < part.rootCategory.length; root++) {
    builder.rootCategory.push(name[part.rootCategory[root]]);
    const references = part.rootReferences.subarray(part.rootFirstReference[root], part.rootFirstReference[root + 1]);
    builder.rootReferences.reserve(references.length).set(references, builder.rootReferences.length);
    builder.rootReferences.length += references.length;
    builder.rootFirstReference.push(builder.rootReferences.length);
  }
  for (let shape = 0; shape < part.shapeNumber.length; shape++) {
    builder.shapeNumber.push(part.shapeNumber[shape]);
    builder.shapeParent.push(part.shapeParent[shape]);
    builder.shapeDepth.push(part.shapeDepth[shape]);
    builder.shapeTypeIndex.push(shapeString[part.shapeTypeIndex[shape]]);
    builder.shapeEdgeNameIndex.push(shapeString[part.shapeEdgeNameIndex[shape]]);
  }

  builder.lineCount += part.lineCount;
  builder.rootLineCount += part.rootLineCount;
  builder.shapeLineCount += part.shapeLineCount;
  builder.freeSlotLineCount += part.freeSlotLineCount;
  builder.tracedObjectCount += part.tracedObjectCount;
  for (const problem of part.problems.samples) {
    recordProblem(builder.problems, { ...problem, line: problem.line + lineOffset, byteOffset: problem.byteOffset + byteOffset });
  }
  // problems past the part's sample cap are counted, not detailed
  const unsampled = part.problems.count - part.problems.samples.length;
  if (unsampled > 0) {
    builder.problems.count += unsampled;
    const sampledByReason: Record<string, number> = {};
    for (const problem of part.problems.samples) sampledByReason[problem.reason] = (sampledByReason[problem.reason] ?? 0) + 1;
    for (const [reason, count] of Object.entries(part.problems.countByReason) as [keyof ParseProblemReport['countByReason'], number][]) {
      const extra = count - (sampledByReason[reason] ?? 0);
      if (extra > 0) builder.problems.countByReason[reason] = (builder.problems.countByReason[reason] ?? 0) + extra;
    }
  }
  return held;
}
