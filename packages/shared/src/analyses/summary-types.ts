/**
 * The plain, JSON-able result of `summarize(dump)`: what `leakpilot summary
 * --json` prints and what the web app's overview shows. Byte counts are
 * Ruby's `memsize` (the object's own slot and buffers, not what it retains).
 */
import type { ParseProblem, ProblemReason } from '../parse/problems.ts';

export interface SummaryTypeRow {
  type: string;
  count: number;
  memsizeBytes: number;
}

export interface SummaryClassRow {
  className: string;
  count: number;
  memsizeBytes: number;
}

export interface SummaryLocationRow {
  /** "file:line" of the allocation site */
  location: string;
  count: number;
  memsizeBytes: number;
}

export interface SummaryGenerationRow {
  /** GC.count at allocation; null for objects without allocation info */
  generation: number | null;
  count: number;
  memsizeBytes: number;
}

export interface SummaryDuplicateStringRow {
  /** the first bytes of the value (the stored prefix) */
  value: string;
  /** full length of the value in bytes */
  valueBytes: number;
  count: number;
  /** memsize of all copies but the largest: what interning them would save */
  wastedBytes: number;
}

export interface SummaryLargeStringRow {
  address: string;
  bytesize: number;
  memsizeBytes: number;
  location: string;
  /** the stored prefix, or null when the dump had no value (non-ASCII strings) */
  value: string | null;
}

export interface SummaryLargeObjectRow {
  address: string;
  type: string;
  className: string;
  memsizeBytes: number;
  location: string;
}

export interface DumpSummary {
  objects: number;
  memsizeBytes: number;
  references: number;
  danglingReferences: number;
  lines: number;
  rootLines: number;
  shapeLines: number;
  freeSlotLines: number;
  tracedObjects: number;
  rubyFormat: string;
  /** decompressed size of the dump */
  bytes: number;
  problems: { count: number; countByReason: Partial<Record<ProblemReason, number>>; samples: ParseProblem[] };
  byType: SummaryTypeRow[];
  byClass: SummaryClassRow[];
  byLocation: SummaryLocationRow[];
  byGeneration: SummaryGenerationRow[];
  duplicateStrings: SummaryDuplicateStringRow[];
  largeStrings: SummaryLargeStringRow[];
  largeObjects: SummaryLargeObjectRow[];
  /** the thresholds and limits used */
  options: { top: number; largeStringBytes: number; largeObjectBytes: number };
}
