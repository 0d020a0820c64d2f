/**
 * The scan phase of the parser: takes one dump line at a time, scans it with
 * LineScanner and appends what it holds to growable columns and tables:
 * object rows, ROOT lines, SHAPE lines, free-slot counts, interned sites and
 * class rows, string values, file descriptors and the capped problem report.
 * References stay numeric addresses here; `finishDump` resolves them.
 *
 * Invariant: after each line, `references.length` equals the reference count
 * of all object rows so far (ROOT/SHAPE/NONE and dropped lines give theirs
 * back), so `firstReferenceOffset[ordinal]` indexes the sink directly.
 */
import { FlagBit } from '../store/flags.ts';
import { NO_GENERATION, NO_SHAPE_ID } from '../store/heap-dump.ts';
import { OBJECT_TYPE_NAMES, TypeCode, typeNameOf } from '../store/object-types.ts';
import { ByteInterner } from './byte-interner.ts';
import { ByteLookup } from './byte-lookup.ts';
import { ClassRefs } from './class-refs.ts';
import { columnSizing, growFloat64, growInt32, growUint16, growUint32, growUint8, type Growable } from './growable.ts';
import { JsonUnescaper } from './json-unescape.ts';
import { LineRecord } from './line-record.ts';
import { LineScanner } from './line-scanner.ts';
import { createProblemReport, MAX_PROBLEM_SAMPLES, recordProblem, type ProblemReason } from './problems.ts';
import { problemExcerpt } from './problem-excerpt.ts';
import { SiteInterner } from './site-interner.ts';
import type { ScanPart } from './dump-part.ts';
import type { ClassLineRows, ObjectRowSink } from './object-row-sink.ts';
import { StringValuesBuilder } from './string-values-builder.ts';

const LINE_TYPE_ROOT = OBJECT_TYPE_NAMES.length;
const LINE_TYPE_SHAPE = LINE_TYPE_ROOT + 1;
const LINE_TYPE_NONE = LINE_TYPE_ROOT + 2;
const lineTypeLookup = new ByteLookup([...OBJECT_TYPE_NAMES, 'ROOT', 'SHAPE', 'NONE']);
const MAX_UINT32 = 0xffffffff;
const STRING_VALUE_SHARE = 0.45;
/**
 * The imemo_type names Ruby 2.7-3.4 write. An IMEMO line's class row is
 * looked up by its position here (no interning on the hot path: a third of a
 * Rails dump's lines are IMEMO); other names take the interner.
 */
const IMEMO_TYPES = [
  'env', 'cref', 'svar', 'throw_data', 'ifunc', 'memo', 'ment', 'iseq', 'tmpbuf', 'ast',
  'parser_strterm', 'callinfo', 'callcache', 'constcache', 'fields',
] as const;
const imemoTypeLookup = new ByteLookup(IMEMO_TYPES);

export interface DumpBuilderOptions {
  stringPrefixBytes: number;
  /** false: identity columns only: no references, string values or sizes (`sizeField` stays 0) */
  references: boolean;
  /** expected number of object rows, to size the columns up front */
  expectedObjects: number;
  /** expected number of references (default: 3 per expected object) */
  expectedReferences?: number;
  /**
   * Least byte capacity of each per-object column of a large dump
   * (growable.ts columnSizing; default 0: sized to the rows).
   * The spare is never written. For hosts whose allocator maps large blocks
   * on their own and unmaps them when freed (the CLI on glibc; see its
   * column-reserve.ts); a browser's allocator may clear the whole block, so
   * the PWA leaves it 0.
   */
  minColumnBytes?: number;
  /**
   * Receives the object rows instead of the builder's columns, which then
   * stay empty (for an identity-only parse: `references` false). The
   * CLASS/MODULE lines' rows are still kept, for `classLineRows()`.
   */
  rowSink?: ObjectRowSink;
}

export class DumpBuilder {
  objectCount = 0;
  readonly address: Growable<Float64Array>;
  readonly typeCode: Growable<Uint8Array>;
  readonly flagBits: Growable<Uint16Array>;
  readonly classOrdinal: Growable<Uint32Array>;
  readonly memsizeBytes: Growable<Uint32Array>;
  readonly sizeField: Growable<Uint32Array>;
  readonly generation: Growable<Uint32Array>;
  readonly siteOrdinal: Growable<Uint32Array>;
  readonly firstReferenceOffset: Growable<Uint32Array>;
  readonly references: Growable<Float64Array>;
  shapeId: Growable<Uint32Array> | null = null;

  readonly siteStrings = new ByteInterner();
  readonly names = new ByteInterner();
  readonly sites = new SiteInterner();
  readonly classRefs = new ClassRefs();
  /** CLASS/MODULE rows: object ordinal, interned name (0 = none), interned real_class_name */
  readonly classLineOrdinal = growUint32(1024);
  readonly classLineName = growUint32(1024);
  readonly classLineRealName = growUint32(1024);
  readonly stringValues: StringValuesBuilder;
  readonly fdOwner = growUint32(64);
  readonly fdValue = growInt32(64);

  readonly rootCategory = growUint32(16);
  readonly rootFirstReference = growUint32(16);
  readonly rootReferences = growFloat64(1024);

  readonly shapeStrings = new ByteInterner();
  readonly shapeNumber = growUint32(64);
  readonly shapeParent = growUint32(64);
  readonly shapeDepth = growUint32(64);
  readonly shapeTypeIndex = growUint32(64);
  readonly shapeEdgeNameIndex = growUint32(64);

  readonly problems = createProblemReport();
  lineCount = 0;
  rootLineCount = 0;
  shapeLineCount = 0;
  freeSlotLineCount = 0;
  tracedObjectCount = 0;
  /** an IMEMO line carried a `class` (Ruby < 3.2 format) */
  sawImemoClass = false;

  /** with a row sink: the rows of the CLASS/MODULE lines (which the columns would hold) */
  private readonly classLineAddress = growFloat64(16);
  private readonly classLineType = growUint8(16);
  private readonly classLineFlags = growUint16(16);
  private readonly classLineClassRow = growUint32(16);
  private readonly rowSink: ObjectRowSink | null;

  /** class row of each IMEMO_TYPES entry, -1 until first met */
  private readonly imemoClassOrdinal = new Int32Array(IMEMO_TYPES.length).fill(-1);
  private readonly record = new LineRecord();
  private readonly scanner: LineScanner;
  private readonly unescaper = new JsonUnescaper();
  /** the interned file and method of the last traced object (0: none yet) */
  private lastFileIndex = 0;
  private lastMethodIndex = 0;

  constructor(private readonly options: DumpBuilderOptions) {
    this.rowSink = options.rowSink ?? null;
    if (this.rowSink !== null && options.references) throw new RangeError('a row sink is for identity-only parses (references: false)');
    this.rowSink?.bindTables(this);
    // with a row sink the columns are never written: sized for no rows
    const { rows, reserved, capacity } = columnSizing(this.rowSink !== null ? 0 : options.expectedObjects, options.minColumnBytes);
    this.address = growFloat64(capacity(8), reserved);
    this.typeCode = growUint8(capacity(1), reserved);
    this.flagBits = growUint16(capacity(2), reserved);
    this.classOrdinal = growUint32(capacity(4), reserved);
    this.memsizeBytes = growUint32(capacity(4), reserved);
    this.sizeField = growUint32(capacity(4), reserved);
    this.generation = growUint32(capacity(4), reserved);
    this.siteOrdinal = growUint32(capacity(4), reserved);
    this.firstReferenceOffset = growUint32(options.references ? rows + 1 : 16);
    this.references = growFloat64(options.references ? (options.expectedReferences ?? rows * 3) : 16);
    this.scanner = new LineScanner(this.references, options.references);
    // STRING and SYMBOL values are ~40 % of a Rails dump's objects
    this.stringValues = new StringValuesBuilder(options.stringPrefixBytes, options.references ? Math.ceil(rows * STRING_VALUE_SHARE) : 0, reserved ? options.minColumnBytes : 0);
    this.rootFirstReference.push(0);
  }

  /** false for an identity-only parse, which also stores no references, string values or sizes (`sizeField`) */
  get keepsReferences(): boolean {
    return this.options.references;
  }

  /**
   * Handles one line `buffer[start, end)` (no newline). `unterminated` marks
   * the last line of an input that did not end with a newline.
   */
  addLine(buffer: Uint8Array, start: number, end: number, byteOffset: number, unterminated: boolean): void {
    const record = this.record;
    this.scanner.scan(buffer, start, end, record);
    if (unterminated && record.incomplete) record.problem = 'truncated-line';
    this.handleRecord(buffer, start, end, byteOffset);
  }

  /**
   * The fast path for a line inside a chunk: scans from `start` without
   * knowing where the line ends, and accepts the line when the scan ended
   * cleanly on `}` followed by a newline, which saves searching for every
   * newline first. Returns the newline's offset, or -1 after undoing the
   * attempt (the caller then finds the line end and calls addLine).
   */
  tryAddLine(buffer: Uint8Array, start: number, limit: number, byteOffset: number): number {
    const record = this.record;
    this.scanner.scan(buffer, start, limit, record);
    const end = this.scanner.endOffset;
    if (record.incomplete || record.problem !== null || end >= limit || buffer[end] !== 0x0a) {
      this.references.length = record.referencesStart;
      return -1;
    }
    this.handleRecord(buffer, start, end, byteOffset);
    return end;
  }

  private handleRecord(buffer: Uint8Array, start: number, end: number, byteOffset: number): void {
    this.lineCount++;
    const record = this.record;
    const lineType = record.typeEnd >= 0 ? lineTypeLookup.findWord(buffer, this.scanner.lineWords, record.typeStart, record.typeEnd) : -1;

    if (lineType === LINE_TYPE_ROOT) return this.addRoot(buffer, byteOffset, start, end);
    if (lineType === LINE_TYPE_SHAPE) return this.addShape(buffer, byteOffset, start, end);
    if (lineType === LINE_TYPE_NONE) {
      this.freeSlotLineCount++;
      this.references.length = record.referencesStart;
      return;
    }
    if (Number.isNaN(record.address) || record.typeEnd < 0) {
      this.references.length = record.referencesStart;
      const reason: ProblemReason = record.problem ?? 'missing-address';
      const detail = record.problem !== null ? record.problemDetail : Number.isNaN(record.address) ? 'no address' : 'no type';
      this.report(reason, `line dropped: ${detail}`, buffer, start, end, byteOffset, false);
      return;
    }
    // A type this version does not know (a newer Ruby's) is kept as UNKNOWN.
    if (lineType === -1) record.noteProblem('unknown-type', `unknown type ${problemExcerpt(buffer, record.typeStart, record.typeEnd)}`);
    this.addObject(buffer, start, end, byteOffset, lineType === -1 ? TypeCode.UNKNOWN : lineType);
  }

  private report(reason: ProblemReason, message: string, buffer: Uint8Array, start: number, end: number, byteOffset: number, recovered: boolean): void {
    recordProblem(this.problems, {
      line: this.lineCount,
      byteOffset,
      reason,
      message,
      excerpt: this.problems.samples.length < MAX_PROBLEM_SAMPLES ? problemExcerpt(buffer, start, end) : '',
      recovered,
    });
  }

  private addObject(buffer: Uint8Array, start: number, end: number, byteOffset: number, typeCode: number): void {
    const record = this.record;
    const ordinal = this.objectCount++;
    let flagBits = record.flagBits;

    let fileIndex = 0;
    let methodIndex = 0;
    // neighbouring traced objects often share a file and a method: the last ones are tried first
    if (record.fileStart >= 0) fileIndex = this.lastFileIndex = this.siteStrings.internRepeat(buffer, record.fileStart, record.fileEnd, this.lastFileIndex);
    if (record.methodStart >= 0) {
      methodIndex = this.lastMethodIndex = record.methodDirty
        ? this.internMaybeDirty(this.siteStrings, buffer, record.methodStart, record.methodEnd, true)
        : this.siteStrings.internRepeat(buffer, record.methodStart, record.methodEnd, this.lastMethodIndex);
    }
    if (record.fileStart >= 0 || record.generation !== NO_GENERATION) {
      flagBits |= FlagBit.traced;
      this.tracedObjectCount++;
    }
    if (record.problem === null && (this.siteStrings.isValidUtf8.array[fileIndex] === 0 || this.siteStrings.isValidUtf8.array[methodIndex] === 0)) {
      record.noteProblem('invalid-utf8', 'file or method is not valid UTF-8 (kept with U+FFFD)');
    }
    if (record.problem !== null) {
      flagBits |= FlagBit.recovered;
      this.report(record.problem, `object kept: ${record.problemDetail}`, buffer, start, end, byteOffset, true);
    }

    const classRow = this.classOrdinalOf(buffer, typeCode);
    const memsize = record.memsize > MAX_UINT32 ? MAX_UINT32 : record.memsize;
    const site = fileIndex === 0 && methodIndex === 0 && record.line === 0 ? 0 : this.sites.intern(fileIndex, record.line, methodIndex);
    if (this.rowSink !== null) {
      this.rowSink.add(record.address, typeCode, flagBits, classRow, memsize, record.generation, site);
      if (typeCode === TypeCode.CLASS || typeCode === TypeCode.MODULE) {
        this.classLineAddress.push(record.address);
        this.classLineType.push(typeCode);
        this.classLineFlags.push(flagBits);
        this.classLineClassRow.push(classRow);
      }
    } else {
      if (ordinal === this.address.array.length) this.growRows();
      // Direct stores (not Growable.push): each store site sees one array kind,
      // which keeps it monomorphic; push() shared by five kinds was 30 % of the parse.
      this.address.array[ordinal] = record.address;
      this.typeCode.array[ordinal] = typeCode;
      this.flagBits.array[ordinal] = flagBits;
      this.classOrdinal.array[ordinal] = classRow;
      this.memsizeBytes.array[ordinal] = memsize;
      // identity-only parses leave the column untouched: its pages are never made resident
      if (this.options.references) this.sizeField.array[ordinal] = record.sizeField > MAX_UINT32 ? MAX_UINT32 : record.sizeField;
      this.generation.array[ordinal] = record.generation;
      this.siteOrdinal.array[ordinal] = site;
      this.setRowCount(ordinal + 1);
    }
    if (this.options.references) {
      if (ordinal >= this.firstReferenceOffset.array.length - 1) this.firstReferenceOffset.reserve(ordinal + 2 - this.firstReferenceOffset.length);
      this.firstReferenceOffset.array[ordinal] = record.referencesStart;
      this.firstReferenceOffset.length = ordinal + 1;
    } else this.references.length = record.referencesStart;

    if (this.rowSink === null && (record.shapeId >= 0 || this.shapeId !== null)) this.pushShapeId(ordinal, record.shapeId);
    if (typeCode === TypeCode.CLASS || typeCode === TypeCode.MODULE) {
      this.classLineOrdinal.push(ordinal);
      this.classLineName.push(record.nameStart >= 0 ? this.internMaybeDirty(this.names, buffer, record.nameStart, record.nameEnd, record.nameDirty) : 0);
      this.classLineRealName.push(record.realClassNameStart >= 0 ? this.names.intern(buffer, record.realClassNameStart, record.realClassNameEnd) : 0);
    }
    if (this.options.references && record.valueStart >= 0 && (typeCode === TypeCode.STRING || typeCode === TypeCode.SYMBOL)) {
      this.stringValues.add(ordinal, buffer, record.valueStart, record.valueEnd, record.valueEscaped, record.valueHash, record.valueDecodedBytes, this.sizeField.array[ordinal]);
    }
    if (!Number.isNaN(record.fd)) {
      this.fdOwner.push(ordinal);
      this.fdValue.push(record.fd);
    }
  }

  /** The rows of the CLASS/MODULE lines, as kept beside a row sink (see DumpBuilderOptions.rowSink). */
  classLineRows(): ClassLineRows {
    if (this.rowSink === null) throw new RangeError('classLineRows() is kept only beside a row sink; read the columns');
    return {
      address: this.classLineAddress.trimmed(),
      typeCode: this.classLineType.trimmed(),
      flagBits: this.classLineFlags.trimmed(),
      classOrdinal: this.classLineClassRow.trimmed(),
    };
  }

  /**
   * Appends the object rows of a part scanned elsewhere (see dump-part.ts),
   * mapping its local class and site rows through `classRow` and `siteRow`.
   */
  appendRows(part: ScanPart, classRow: Uint32Array, siteRow: Uint32Array): void {
    const from = this.objectCount;
    const count = part.objectCount;
    const referenceBase = this.references.length;
    for (const column of [this.address, this.typeCode, this.flagBits, this.classOrdinal, this.memsizeBytes, this.sizeField, this.generation, this.siteOrdinal]) {
      column.reserve(count);
    }
    this.address.array.set(part.address, from);
    this.typeCode.array.set(part.typeCode, from);
    this.flagBits.array.set(part.flagBits, from);
    this.memsizeBytes.array.set(part.memsizeBytes, from);
    if (this.options.references) this.sizeField.array.set(part.sizeField, from);
    this.generation.array.set(part.generation, from);
    for (let row = 0; row < count; row++) {
      this.classOrdinal.array[from + row] = classRow[part.classOrdinal[row]];
      this.siteOrdinal.array[from + row] = siteRow[part.siteOrdinal[row]];
    }
    if (this.options.references) {
      this.references.reserve(part.references.length).set(part.references, referenceBase);
      this.references.length += part.references.length;
      this.firstReferenceOffset.reserve(count + 1);
      for (let row = 0; row < count; row++) this.firstReferenceOffset.array[from + row] = part.firstReferenceOffset[row] + referenceBase;
      this.firstReferenceOffset.length = from + count;
    }
    if (part.shapeId !== null || this.shapeId !== null) {
      for (let row = 0; row < count; row++) this.pushShapeId(from + row, part.shapeId === null ? -1 : part.shapeId[row]);
    }
    this.objectCount = from + count;
    this.setRowCount(this.objectCount);
  }

  private growRows(): void {
    for (const column of [this.address, this.typeCode, this.flagBits, this.classOrdinal, this.memsizeBytes, this.sizeField, this.generation, this.siteOrdinal]) {
      column.reserve(column.array.length - column.length + 1);
    }
  }

  private setRowCount(rows: number): void {
    this.address.length = this.typeCode.length = this.flagBits.length = this.classOrdinal.length = rows;
    this.memsizeBytes.length = this.sizeField.length = this.generation.length = this.siteOrdinal.length = rows;
  }

  private internMaybeDirty(interner: ByteInterner, buffer: Uint8Array, start: number, end: number, dirty: boolean): number {
    if (!dirty) return interner.intern(buffer, start, end);
    const length = this.unescaper.decode(buffer, start, end, true);
    return interner.intern(this.unescaper.out.array, 0, length);
  }

  /**
   * IMEMO lines are named after their imemo_type (their `class`, on Ruby < 3.2,
   * is internal data, not a class); lines without a class after their type
   * (and DATA struct); the rest through their class address.
   */
  private classOrdinalOf(buffer: Uint8Array, typeCode: number): number {
    const record = this.record;
    if (typeCode === TypeCode.IMEMO) {
      if (!Number.isNaN(record.classAddress)) this.sawImemoClass = true;
      const known = record.imemoTypeStart >= 0 ? imemoTypeLookup.findWord(buffer, this.scanner.lineWords, record.imemoTypeStart, record.imemoTypeEnd) : -1;
      if (known !== -1) {
        const cached = this.imemoClassOrdinal[known];
        if (cached !== -1) return cached;
      }
      const detail = record.imemoTypeStart >= 0 ? this.names.intern(buffer, record.imemoTypeStart, record.imemoTypeEnd) : 0;
      const ordinal = this.syntheticOrdinal(typeCode, detail);
      if (known !== -1) this.imemoClassOrdinal[known] = ordinal;
      return ordinal;
    }
    if (Number.isNaN(record.classAddress)) {
      const detail = typeCode === TypeCode.DATA && record.structStart >= 0 ? this.names.intern(buffer, record.structStart, record.structEnd) : 0;
      return this.syntheticOrdinal(typeCode, detail);
    }
    return this.classRefs.ordinalOfAddress(record.classAddress);
  }

  private syntheticOrdinal(typeCode: number, detailIndex: number): number {
    const key = typeCode * 0x1000000 + detailIndex;
    const known = this.classRefs.ordinalOfSynthetic(key);
    if (known !== -1) return known;
    const detail = this.names.strings[detailIndex];
    return this.classRefs.registerSynthetic(key, detail === '' ? `(${typeNameOf(typeCode)})` : `(${typeNameOf(typeCode)} ${detail})`);
  }

  private pushShapeId(ordinal: number, shapeId: number): void {
    if (this.shapeId === null) {
      this.shapeId = growUint32(this.address.array.length);
      this.shapeId.reserve(ordinal).fill(NO_SHAPE_ID, 0, ordinal);
      this.shapeId.length = ordinal;
    }
    this.shapeId.push(shapeId >= 0 ? shapeId : NO_SHAPE_ID);
  }

  private addRoot(buffer: Uint8Array, byteOffset: number, start: number, end: number): void {
    const record = this.record;
    this.rootLineCount++;
    if (record.problem !== null) this.report(record.problem, `ROOT line: ${record.problemDetail}`, buffer, start, end, byteOffset, true);
    this.rootCategory.push(record.rootStart >= 0 ? this.names.intern(buffer, record.rootStart, record.rootEnd) : 0);
    const count = this.references.length - record.referencesStart;
    const target = this.rootReferences.reserve(count);
    target.set(this.references.array.subarray(record.referencesStart, this.references.length), this.rootReferences.length);
    this.rootReferences.length += count;
    this.rootFirstReference.push(this.rootReferences.length);
    this.references.length = record.referencesStart;
  }

  private addShape(buffer: Uint8Array, byteOffset: number, start: number, end: number): void {
    const record = this.record;
    this.shapeLineCount++;
    this.references.length = record.referencesStart;
    if (record.problem !== null) this.report(record.problem, `SHAPE line: ${record.problemDetail}`, buffer, start, end, byteOffset, true);
    this.shapeNumber.push(record.shapeNumberId >= 0 ? record.shapeNumberId : MAX_UINT32);
    this.shapeParent.push(record.shapeParentId >= 0 ? record.shapeParentId : MAX_UINT32);
    this.shapeDepth.push(record.shapeDepth >= 0 ? record.shapeDepth : 0);
    this.shapeTypeIndex.push(record.shapeTypeStart >= 0 ? this.shapeStrings.intern(buffer, record.shapeTypeStart, record.shapeTypeEnd) : 0);
    this.shapeEdgeNameIndex.push(record.edgeNameStart >= 0 ? this.shapeStrings.intern(buffer, record.edgeNameStart, record.edgeNameEnd) : 0);
  }
}
