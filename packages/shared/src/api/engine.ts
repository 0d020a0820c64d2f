/**
 * EngineSession: the parsed dumps of one worker (or one CLI run), by id, and
 * the analyses over them (summary, diff, suspects, tables, inspector, search), answered as plain data (engine-api.ts). The web
 * worker calls its methods by name (`ENGINE_METHODS`) through comlink; the
 * CLI calls them directly. Results that are lists become tables, read with
 * `rows(tableId, begin, end, sort)`; diff and suspects results are cached per
 * dump-id list, so paging never recomputes them.
 *
 * Table ids: `diff:<ids>:<new|freed|retained>:<byClass|byLocation|byType|byAllocation>`,
 * `suspects:<ids>`, `objects:<dumpId>`, `objects:<dumpId>:class:<name>`.
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { findSuspects, type SuspectsReport } from '../analyses/suspects.ts';
import { summarize } from '../analyses/summary.ts';
import type { DumpSummary } from '../analyses/summary-types.ts';
import type { DiffObjectSet, DiffResult } from '../diff/diff-types.ts';
import { diffDumps } from '../diff/series-diff.ts';
import { objectGraphOf } from '../graph/object-graph.ts';
import type { DumpListing, EngineApi, ObjectInspection, RowsPage, SearchResult, TableColumn, TableInfo, TableRow, TableSort } from './engine-api.ts';
import { EngineRequestError, UnknownDumpError, UnknownTableError } from './engine-errors.ts';
import { inspectObject, objectRefOf, ordinalOfAddressText } from './inspect-object.ts';
import { ObjectTable } from './object-table.ts';
import { RowListTable, type TableSource } from './table-source.ts';

const MAX_SEARCH_CLASSES = 50;
const GROUPINGS = ['byClass', 'byLocation', 'byType', 'byAllocation'] as const;
const SETS = ['new', 'freed', 'retained'] as const;

const LABEL_COLUMNS: Record<(typeof GROUPINGS)[number], TableColumn[]> = {
  byClass: [{ key: 'className', title: 'Class', kind: 'text', sortable: true }],
  byLocation: [{ key: 'location', title: 'Allocated at', kind: 'text', sortable: true }],
  byType: [{ key: 'type', title: 'Type', kind: 'text', sortable: true }],
  byAllocation: [
    { key: 'type', title: 'Type', kind: 'text', sortable: true },
    { key: 'className', title: 'Class', kind: 'text', sortable: true },
    { key: 'location', title: 'Allocated at', kind: 'text', sortable: true },
  ],
};
const TOTAL_COLUMNS: TableColumn[] = [
  { key: 'count', title: 'Objects', kind: 'number', sortable: true },
  { key: 'memsizeBytes', title: 'Bytes', kind: 'bytes', sortable: true },
  { key: 'liveCounts', title: 'Live per dump', kind: 'counts', sortable: true },
];
const SUSPECT_COLUMNS: TableColumn[] = [
  { key: 'rank', title: '#', kind: 'number', sortable: true },
  { key: 'title', title: 'Suspect', kind: 'text', sortable: false },
  { key: 'count', title: 'Objects', kind: 'number', sortable: true },
  { key: 'retainedBytes', title: 'Retained bytes', kind: 'bytes', sortable: true },
  { key: 'growth', title: 'Live per dump', kind: 'counts', sortable: true },
  { key: 'pattern', title: 'Pattern', kind: 'text', sortable: true },
];

export class EngineSession implements EngineApi {
  private readonly loaded = new Map<string, HeapDump>();
  private readonly tableSources = new Map<string, TableSource>();
  private readonly diffs = new Map<string, DiffResult>();
  private readonly suspectReports = new Map<string, SuspectsReport>();
  private readonly summaries = new Map<string, DumpSummary>();

  /** Dump ids are part of table ids, so they must not contain ':' or ','. */
  addDump(dumpId: string, dump: HeapDump): void {
    if (dumpId === '' || /[:,]/.test(dumpId)) throw new EngineRequestError(`dump id ${JSON.stringify(dumpId)} must be non-empty without ':' or ','`);
    this.removeDump(dumpId);
    this.loaded.set(dumpId, dump);
  }

  removeDump(dumpId: string): void {
    if (!this.loaded.delete(dumpId)) return;
    // every table id names its dumps in its second segment: `diff:a,b,c:…`, `suspects:a,b,c`, `objects:a…`
    for (const key of [...this.tableSources.keys()]) if ((key.split(':')[1] ?? '').split(',').includes(dumpId)) this.tableSources.delete(key);
    this.summaries.delete(dumpId);
    for (const cache of [this.diffs, this.suspectReports]) for (const key of [...cache.keys()]) if (key.split(',').includes(dumpId)) cache.delete(key);
  }

  dump(dumpId: string): HeapDump {
    const dump = this.loaded.get(dumpId);
    if (!dump) throw new UnknownDumpError(dumpId);
    return dump;
  }

  dumps(): DumpListing[] {
    return [...this.loaded.entries()].map(([dumpId, dump]) => ({ dumpId, objectCount: dump.objectCount, hasReferences: dump.referenceTarget.length > 0 }));
  }

  summary(dumpId: string): DumpSummary {
    const cached = this.summaries.get(dumpId);
    if (cached) return cached;
    const summary = summarize(this.dump(dumpId));
    this.summaries.set(dumpId, summary);
    return summary;
  }

  diff(dumpIds: string[]): DiffResult {
    if (dumpIds.length !== 2 && dumpIds.length !== 3) throw new EngineRequestError(`diff takes 2 or 3 dumps, got ${dumpIds.length}`);
    const key = dumpIds.join(',');
    const cached = this.diffs.get(key);
    if (cached) return cached;
    const [before, after, later] = dumpIds.map((id) => this.dump(id));
    const result = diffDumps(before, after, later);
    this.diffs.set(key, result);
    for (const set of SETS) {
      const objects: DiffObjectSet | null = result[set];
      if (!objects) continue;
      for (const grouping of GROUPINGS) {
        const tableId = `diff:${key}:${set}:${grouping}`;
        const rows = objects[grouping] as unknown as TableRow[];
        this.tableSources.set(tableId, new RowListTable(tableId, `${set} objects ${grouping}`, [...LABEL_COLUMNS[grouping], ...TOTAL_COLUMNS], rows, null));
      }
    }
    return result;
  }

  suspects(dumpIds: string[]): SuspectsReport {
    if (dumpIds.length !== 3) throw new EngineRequestError(`suspects take 3 dumps (before, after, later), got ${dumpIds.length}`);
    const key = dumpIds.join(',');
    const cached = this.suspectReports.get(key);
    if (cached) return cached;
    const [before, after, later] = dumpIds.map((id) => this.dump(id));
    const report = findSuspects(before, after, later);
    this.suspectReports.set(key, report);
    const tableId = `suspects:${key}`;
    this.tableSources.set(tableId, new RowListTable(tableId, 'Leak suspects', SUSPECT_COLUMNS, report.suspects as unknown as TableRow[], null));
    return report;
  }

  tables(): TableInfo[] {
    return [...this.tableSources.values()].map((source) => source.info());
  }

  rows(tableId: string, begin: number, end: number, sort: TableSort | null = null): RowsPage {
    return this.table(tableId).rows(begin, end, sort);
  }

  inspect(dumpId: string, address: string): ObjectInspection {
    return inspectObject(dumpId, objectGraphOf(this.dump(dumpId)), address);
  }

  search(dumpId: string, query: string): SearchResult {
    const dump = this.dump(dumpId);
    const text = query.trim();
    let object = null;
    if (/^0x[0-9a-f]+$/i.test(text)) {
      try {
        object = objectRefOf(dump, ordinalOfAddressText(dump, dumpId, text), 'address match');
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ObjectNotFoundError')) throw error;
      }
    }
    const needle = text.toLowerCase();
    const names = dump.classes.names;
    const countByName = new Map<string, { count: number; memsizeBytes: number }>();
    const matches = new Uint8Array(names.length);
    names.forEach((name, classOrdinal) => (matches[classOrdinal] = needle !== '' && name.toLowerCase().includes(needle) ? 1 : 0));
    for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) {
      const classOrdinal = dump.classOrdinal[ordinal];
      if (matches[classOrdinal] === 0) continue;
      const totals = countByName.get(names[classOrdinal]) ?? { count: 0, memsizeBytes: 0 };
      totals.count++;
      totals.memsizeBytes += dump.memsizeBytes[ordinal];
      countByName.set(names[classOrdinal], totals);
    }
    const ranked = [...countByName.entries()].sort((a, b) => b[1].count - a[1].count);
    return {
      dumpId,
      query,
      object,
      classes: ranked.slice(0, MAX_SEARCH_CLASSES).map(([className, totals]) => ({ className, ...totals, tableId: `objects:${dumpId}:class:${className}` })),
      truncated: ranked.length > MAX_SEARCH_CLASSES,
    };
  }

  /** A table by id; object tables are made on first use. */
  private table(tableId: string): TableSource {
    const existing = this.tableSources.get(tableId);
    if (existing) return existing;
    const match = /^objects:([^:]+)(?::class:(.+))?$/.exec(tableId);
    if (!match) throw new UnknownTableError(tableId);
    const dump = this.dump(match[1]);
    let filter: Uint8Array | null = null;
    if (match[2] !== undefined) {
      const classFilter = new Uint8Array(dump.classes.names.length);
      dump.classes.names.forEach((name, classOrdinal) => (classFilter[classOrdinal] = name === match[2] ? 1 : 0));
      filter = classFilter;
    }
    const hasGraph = dump.referenceTarget.length > 0 || dump.roots.categories.length > 0;
    const source = new ObjectTable(tableId, match[2] ? `Instances of ${match[2]}` : 'All objects', dump, filter, () => (hasGraph ? objectGraphOf(dump).retainedSizes.retainedBytes : null));
    this.tableSources.set(tableId, source);
    return source;
  }
}
