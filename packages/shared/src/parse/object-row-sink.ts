/**
 * Where a DumpBuilder puts its object rows instead of its own columns, for a
 * parse that keeps something narrower than a HeapDump (the diff's
 * DumpDigest: diff/digest-rows.ts). One call per object line, in file
 * order, once the line's class row and allocation site are known.
 */
import type { ByteInterner } from './byte-interner.ts';
import type { ClassRefs } from './class-refs.ts';
import type { SiteInterner } from './site-interner.ts';

export interface ObjectRowSink {
  /** Called once by the builder feeding this sink, before the first row: the tables rows refer to. */
  bindTables(tables: RowTables): void;
  add(address: number, typeCode: number, flagBits: number, classRow: number, memsizeBytes: number, generation: number, siteOrdinal: number): void;
}

/** The builder's tables a row's numbers refer to (interned site strings, sites, class rows). */
export interface RowTables {
  sites: SiteInterner;
  siteStrings: ByteInterner;
  classRefs: ClassRefs;
}

/** The rows of the CLASS/MODULE lines (one entry per line), which naming the classes reads. */
export interface ClassLineRows {
  address: Float64Array;
  typeCode: Uint8Array;
  flagBits: Uint16Array;
  classOrdinal: Uint32Array;
}
