/**
 * The columnar in-memory form of one parsed `ObjectSpace.dump_all` file.
 *
 * One row per heap object (object lines only: not ROOT, SHAPE, or the NONE
 * lines of free slots), stored column by column in typed arrays, indexed by
 * the object's *ordinal* (0..objectCount-1, the order of lines in the file).
 * There is no JS object per heap object and no Map/Set keyed by object: V8
 * Maps stop at 2^24 entries and a Rails worker's dump has millions of rows.
 *
 * References are CSR: the references of object `o` are
 * `referenceTarget[firstReferenceOffset[o] .. firstReferenceOffset[o + 1])`,
 * already resolved to ordinals. References to addresses absent from the dump
 * are dropped from the CSR and counted in `danglingReferenceCount`.
 *
 * Sentinels: `NO_ORDINAL` (0xffffffff) in any Uint32 ordinal column means
 * "none"; `NO_GENERATION` likewise for `generation`; `siteOrdinal` 0 and
 * `classOrdinal` 0 mean "none" (row 0 of those tables is reserved).
 *
 * Every field is plain data (typed arrays, arrays of strings, numbers), so a
 * HeapDump can be posted between workers and its buffers transferred.
 *
 * Memory budget (issue 2): at most 40 bytes per object plus 4 per reference
 * plus string prefixes. Current columns: address 8 + typeCode 1 + flagBits 2
 * + classOrdinal 4 + memsizeBytes 4 + sizeField 4 + generation 4 +
 * siteOrdinal 4 + firstReferenceOffset 4 = 35 bytes. The address order
 * takes 8 bytes per run of ascending addresses (`addressRuns`; Ruby writes
 * heap pages mostly, not strictly, in address order: 25-412 descents in each
 * fixture dump of Ruby 3.1, ~300 objects a run), or 4 bytes an object in the
 * rare dump whose runs overlap (`ordinalsByAddress`). Beside the columns,
 * the string value table holds about 6 bytes per STRING/SYMBOL value
 * (owner distance, hash, prefix length and checkpoints) besides the
 * prefixes themselves.
 */
import type { ParseProblemReport } from '../parse/problems.ts';
import type { AddressRuns } from './address-runs.ts';

export const NO_ORDINAL = 0xffffffff;
export const NO_GENERATION = 0xffffffff;
/** `shapeId` of an object whose line had none, in a 32-bit and a 16-bit column */
export const NO_SHAPE_ID = 0xffffffff;
export const NO_SHAPE_ID_16 = 0xffff;

/** the longest string prefix kept (ParseOptions.stringPrefixBytes): a prefix length is a byte */
export const MAX_STRING_PREFIX_BYTES = 255;
/** rows of the string value table per checkpoint (StringValueTable.ownerCheckpoint, prefixCheckpoint) */
export const VALUE_CHECKPOINT_ROWS = 64;

/** How a class-table row got its display name. */
export const ClassKind = {
  /** a CLASS or MODULE line with a `name` */
  named: 0,
  /** a CLASS/MODULE line without a name: shown as `#<Class:0x…>` */
  anonymous: 1,
  /** a singleton class: shown as `#<Class:Attached>` where known */
  singleton: 2,
  /** referenced as a `class` but no CLASS/MODULE line for it is in the dump */
  missing: 3,
  /** not a real class: a name made from the type, e.g. `(IMEMO callcache)` */
  synthetic: 4,
} as const;
export type ClassKindCode = (typeof ClassKind)[keyof typeof ClassKind];

export interface ClassTable {
  /** display name per class ordinal; index 0 is `(none)` */
  names: string[];
  /** numeric address of the CLASS/MODULE object; NaN for synthetic rows */
  address: Float64Array;
  /** ClassKind per class ordinal */
  kind: Uint8Array;
  /** ordinal of the CLASS/MODULE object row in the dump, or NO_ORDINAL */
  objectOrdinal: Uint32Array;
}

/** Interned allocation sites: (file, line, method). Row 0 means "no site". */
export interface SiteTable {
  /** index into `strings` of the file path; 0 = none */
  fileIndex: Uint32Array;
  line: Uint32Array;
  /** index into `strings` of the method name; 0 = none */
  methodIndex: Uint32Array;
  /** interned file and method strings; index 0 is '' */
  strings: string[];
  count: number;
}

/**
 * The `value`s of STRING/SYMBOL lines, one row each, in the order of their
 * owners (the objects whose lines had them).
 */
export interface StringValueTable {
  /**
   * The owners' ordinals, ascending, kept compact (store/string-value-owners.ts:
   * `ownerOfRow`, `rowOfOwner`): each row's distance from the row before in
   * a byte, the ordinal at every VALUE_CHECKPOINT_ROWS-th row, and the rare
   * row more than 254 past the one before listed with its ordinal.
   */
  ownerDelta: Uint8Array;
  ownerCheckpoint: Uint32Array;
  ownerFarRow: Uint32Array;
  ownerFarOrdinal: Uint32Array;
  /** FNV-1a 32-bit hash of the value bytes as written in the dump, escapes included (Ruby escapes deterministically, so equal values hash equally; for duplicate detection) */
  valueHash: Uint32Array;
  /**
   * The full length in bytes of each value (escapes decoded) is its owner's
   * `sizeField` (the STRING's `bytesize`), except for the rows listed here,
   * ascending, with their own lengths: values whose length differs from it,
   * such as SYMBOL values (their lines have no bytesize). Read it with
   * `valueBytesOfRow` (lookup.ts). A Rails dump has a few thousand such rows
   * among millions: 4 bytes a value saved.
   */
  otherLengthRow: Uint32Array;
  otherLengthBytes: Uint32Array;
  /**
   * The first bytes of each value, back to back in `prefixPool`: row i's
   * are `prefixLength[i]` bytes from the pool offset kept for every
   * VALUE_CHECKPOINT_ROWS-th row (`prefixCheckpoint[i / 64]`) plus the
   * lengths of the rows between (`prefixStartOfRow`, lookup.ts). 1 byte a
   * value and 4 per 64 values, instead of a 4-byte offset a value.
   */
  prefixLength: Uint8Array;
  prefixCheckpoint: Uint32Array;
  prefixPool: Uint8Array;
  count: number;
}

export interface FileDescriptorTable {
  /** ordinals of FILE rows that had an `fd` */
  owner: Uint32Array;
  fd: Int32Array;
  count: number;
}

/** ROOT lines: one category per line (`vm`, `machine_context`, `global_tbl`...). */
export interface RootTable {
  categories: string[];
  /** CSR over categories: ordinals of the referenced objects */
  firstReferenceOffset: Uint32Array;
  referenceTarget: Uint32Array;
}

/** SHAPE lines (Ruby 3.2+). Small compared with objects; kept whole. */
export interface ShapeTable {
  id: Uint32Array;
  parentId: Uint32Array;
  depth: Uint32Array;
  /** index into `strings`: shape_type (ROOT, IVAR, FROZEN, ...) */
  shapeTypeIndex: Uint32Array;
  /** index into `strings`: edge_name (an ivar name for IVAR shapes); 0 = none */
  edgeNameIndex: Uint32Array;
  strings: string[];
  count: number;
}

export interface HeapDumpStats {
  /** bytes read after decompression */
  byteCount: number;
  /** bytes read before decompression (the file size) */
  compressedByteCount: number;
  gzip: boolean;
  lineCount: number;
  rootLineCount: number;
  shapeLineCount: number;
  /** `{"type":"NONE"}` free slots of `dump_all(full: true)`; not objects */
  freeSlotLineCount: number;
  referenceCount: number;
  danglingReferenceCount: number;
  /** rows that carried allocation info */
  tracedObjectCount: number;
  /** best guess of the Ruby major.minor that wrote the dump, from its format */
  rubyFormat: string;
}

export interface HeapDump {
  objectCount: number;

  // ---- per-object columns, length objectCount ----
  /** numeric address (Ruby heap addresses fit in 53 bits) */
  address: Float64Array;
  typeCode: Uint8Array;
  flagBits: Uint16Array;
  classOrdinal: Uint32Array;
  /** `memsize`, saturating at 2^32-1 */
  memsizeBytes: Uint32Array;
  /** `bytesize` (STRING), `length` (ARRAY), `size` (HASH/STRUCT), else 0; all 0 in an identity-only parse (`references: false`) */
  sizeField: Uint32Array;
  /** `generation` (GC.count at allocation) or NO_GENERATION */
  generation: Uint32Array;
  /** allocation site ordinal into `sites`, 0 = untraced */
  siteOrdinal: Uint32Array;

  // ---- references (CSR, resolved to ordinals) ----
  firstReferenceOffset: Uint32Array; // length objectCount + 1
  referenceTarget: Uint32Array;

  /**
   * The address order, in one of three forms (store/address-runs.ts):
   * - `addressRuns`: the ascending runs of `address`, listed in address
   *   order (the usual form: Ruby writes a dump page by page);
   * - `ordinalsByAddress`: every ordinal in address order, when the runs
   *   overlap or an address repeats (`addressRuns` is then null);
   * - both null: `address` itself ascends.
   */
  addressRuns: AddressRuns | null;
  ordinalsByAddress: Uint32Array | null;

  // ---- tables ----
  classes: ClassTable;
  sites: SiteTable;
  stringValues: StringValueTable;
  fileDescriptors: FileDescriptorTable;
  roots: RootTable;
  shapes: ShapeTable;
  /**
   * `shape_id` per object (Ruby 3.3+ dumps), or null when the dump has none;
   * NO_SHAPE_ID (NO_SHAPE_ID_16 in 16 bits) for an object without one. 16
   * bits when every id fits, as in the fixture dumps: 2 bytes an object
   * instead of 4. Read it with `shapeIdOf` (lookup.ts).
   */
  shapeId: Uint16Array | Uint32Array | null;
  stats: HeapDumpStats;
  problems: ParseProblemReport;
}

/**
 * The per-object columns alone, for the structures that carry rows before
 * they become a HeapDump (the scanned parts of a parallel parse).
 */
export type ObjectColumns = Pick<
  HeapDump,
  'address' | 'typeCode' | 'flagBits' | 'classOrdinal' | 'memsizeBytes' | 'sizeField' | 'generation' | 'siteOrdinal'
>;
