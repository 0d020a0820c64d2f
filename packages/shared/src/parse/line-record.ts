/**
 * The fields the scanner reads from one dump line, as numbers and byte spans
 * into the line's buffer (valid only while that line is being handled). One
 * record is reused for every line, so scanning allocates nothing per line.
 * A span is `[xStart, xEnd)`; `xStart === -1` means the key was absent.
 */
import { NO_GENERATION } from '../store/heap-dump.ts';
import type { ProblemReason } from './problems.ts';

export class LineRecord {
  typeStart = -1;
  typeEnd = -1;
  /** NaN when the line has no (readable) `address` */
  address = NaN;
  /** NaN when absent */
  classAddress = NaN;
  memsize = 0;
  sizeField = 0;
  generation = NO_GENERATION;
  line = 0;
  flagBits = 0;
  /** NaN when absent */
  fd = NaN;
  /** -1 when absent */
  shapeId = -1;
  shapeNumberId = -1;
  shapeParentId = -1;
  shapeDepth = -1;

  fileStart = -1;
  fileEnd = -1;
  methodStart = -1;
  methodEnd = -1;
  /** the method bytes need unescaping or sanitising before interning */
  methodDirty = false;
  nameStart = -1;
  nameEnd = -1;
  nameDirty = false;
  realClassNameStart = -1;
  realClassNameEnd = -1;
  imemoTypeStart = -1;
  imemoTypeEnd = -1;
  structStart = -1;
  structEnd = -1;
  rootStart = -1;
  rootEnd = -1;
  shapeTypeStart = -1;
  shapeTypeEnd = -1;
  edgeNameStart = -1;
  edgeNameEnd = -1;
  valueStart = -1;
  valueEnd = -1;
  /** the value contains backslash escapes */
  valueEscaped = false;
  /** FNV-1a of the value's bytes as written (computed while scanning) */
  valueHash = 0;
  /** the value's decoded UTF-8 length, or -1 when it has `\u` escapes (decode to size it) */
  valueDecodedBytes = -1;

  /** references appended to the scanner's sink by this line: [referencesStart, sink.length) */
  referencesStart = 0;

  /** the first problem met on this line, or null */
  problem: ProblemReason | null = null;
  problemDetail = '';
  /** the scan stopped before the closing brace */
  incomplete = false;
  /**
   * A field that few lines carry was set (fd, the SHAPE ids, name,
   * real_class_name, struct, root, shape_type, edge_name): only then does
   * `reset` clear those ~20 fields.
   */
  rare = false;

  reset(referencesStart: number): void {
    this.typeStart = this.typeEnd = -1;
    this.address = NaN;
    this.classAddress = NaN;
    this.memsize = 0;
    this.sizeField = 0;
    this.generation = NO_GENERATION;
    this.line = 0;
    this.flagBits = 0;
    this.shapeId = -1;
    this.fileStart = this.fileEnd = -1;
    this.methodStart = this.methodEnd = -1;
    this.methodDirty = false;
    this.imemoTypeStart = this.imemoTypeEnd = -1;
    if (this.rare) {
      this.rare = false;
      this.fd = NaN;
      this.shapeNumberId = this.shapeParentId = this.shapeDepth = -1;
      this.nameStart = this.nameEnd = -1;
      this.nameDirty = false;
      this.realClassNameStart = this.realClassNameEnd = -1;
      this.structStart = this.structEnd = -1;
      this.rootStart = this.rootEnd = -1;
      this.shapeTypeStart = this.shapeTypeEnd = -1;
      this.edgeNameStart = this.edgeNameEnd = -1;
    }
    this.valueStart = this.valueEnd = -1;
    this.valueEscaped = false;
    this.valueDecodedBytes = -1;
    this.referencesStart = referencesStart;
    this.problem = null;
    this.problemDetail = '';
    this.incomplete = false;
  }

  noteProblem(reason: ProblemReason, detail: string): void {
    if (this.problem === null) {
      this.problem = reason;
      this.problemDetail = detail;
    }
  }
}
