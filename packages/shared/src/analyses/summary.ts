/**
 * `summarize(dump)`: the one-dump overview behind `leakpilot summary` and the
 * web app's first screen: totals, objects by type, class, allocation
 * location and generation, duplicate strings, large strings and large
 * objects. The result is plain JSON-able data (see summary-types.ts).
 *
 * `top` limits every list except byType and byGeneration (which are short by
 * nature). Locations group allocation sites by "file:line" (a line can hold
 * several methods' sites); untraced objects are not in byLocation.
 */
import { OBJECT_TYPE_NAMES } from '../store/object-types.ts';
import type { HeapDump } from '../store/heap-dump.ts';
import { byGeneration } from './by-generation.ts';
import { duplicateStrings } from './duplicate-strings.ts';
import { totalsBy, topKeys } from './group-totals.ts';
import { largeObjects, largeStrings } from './large-objects.ts';
import type { SummaryClassRow, DumpSummary, SummaryLocationRow, SummaryTypeRow } from './summary-types.ts';

export type * from './summary-types.ts';

export interface SummaryOptions {
  top?: number;
  largeStringBytes?: number;
  largeObjectBytes?: number;
}

export const DEFAULT_SUMMARY_OPTIONS = { top: 20, largeStringBytes: 1000, largeObjectBytes: 100_000 } as const;
const PROBLEM_SAMPLES_IN_SUMMARY = 20;

function byType(dump: HeapDump): SummaryTypeRow[] {
  const totals = totalsBy(dump, dump.typeCode, OBJECT_TYPE_NAMES.length);
  return topKeys(OBJECT_TYPE_NAMES.length, (code) => totals.count[code], (code) => totals.count[code] > 0, OBJECT_TYPE_NAMES.length).map((code) => ({
    type: OBJECT_TYPE_NAMES[code],
    count: totals.count[code],
    memsizeBytes: totals.memsizeBytes[code],
  }));
}

function byClass(dump: HeapDump, top: number): SummaryClassRow[] {
  const classCount = dump.classes.names.length;
  const totals = totalsBy(dump, dump.classOrdinal, classCount);
  return topKeys(classCount, (row) => totals.memsizeBytes[row], (row) => totals.count[row] > 0, top).map((row) => ({
    className: dump.classes.names[row],
    count: totals.count[row],
    memsizeBytes: totals.memsizeBytes[row],
  }));
}

function byLocation(dump: HeapDump, top: number): SummaryLocationRow[] {
  const sites = dump.sites;
  const totals = totalsBy(dump, dump.siteOrdinal, sites.count);
  const rows = new Map<string, SummaryLocationRow>();
  for (let site = 1; site < sites.count; site++) {
    if (totals.count[site] === 0) continue;
    const location = `${sites.strings[sites.fileIndex[site]]}:${sites.line[site]}`;
    const row = rows.get(location) ?? { location, count: 0, memsizeBytes: 0 };
    row.count += totals.count[site];
    row.memsizeBytes += totals.memsizeBytes[site];
    rows.set(location, row);
  }
  return [...rows.values()]
    .sort((a, b) => b.memsizeBytes - a.memsizeBytes || b.count - a.count || (a.location < b.location ? -1 : 1))
    .slice(0, top);
}

export function summarize(dump: HeapDump, options: SummaryOptions = {}): DumpSummary {
  const top = options.top ?? DEFAULT_SUMMARY_OPTIONS.top;
  const largeStringBytes = options.largeStringBytes ?? DEFAULT_SUMMARY_OPTIONS.largeStringBytes;
  const largeObjectBytes = options.largeObjectBytes ?? DEFAULT_SUMMARY_OPTIONS.largeObjectBytes;
  let memsizeBytes = 0;
  for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) memsizeBytes += dump.memsizeBytes[ordinal];
  const { stats, problems } = dump;
  return {
    objects: dump.objectCount,
    memsizeBytes,
    references: stats.referenceCount,
    danglingReferences: stats.danglingReferenceCount,
    lines: stats.lineCount,
    rootLines: stats.rootLineCount,
    shapeLines: stats.shapeLineCount,
    freeSlotLines: stats.freeSlotLineCount,
    tracedObjects: stats.tracedObjectCount,
    rubyFormat: stats.rubyFormat,
    bytes: stats.byteCount,
    problems: { count: problems.count, countByReason: { ...problems.countByReason }, samples: problems.samples.slice(0, PROBLEM_SAMPLES_IN_SUMMARY) },
    byType: byType(dump),
    byClass: byClass(dump, top),
    byLocation: byLocation(dump, top),
    byGeneration: byGeneration(dump),
    duplicateStrings: duplicateStrings(dump, top),
    largeStrings: largeStrings(dump, largeStringBytes, top),
    largeObjects: largeObjects(dump, largeObjectBytes, top),
    options: { top, largeStringBytes, largeObjectBytes },
  };
}
