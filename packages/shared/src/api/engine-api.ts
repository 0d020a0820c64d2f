/**
 * The worker-facing engine API: the methods of EngineSession (engine.ts) and
 * the plain-data types they take and return. Everything here is structured-
 * cloneable (strings, numbers, arrays, plain objects), so the web app calls
 * the session through comlink from a Web Worker unchanged, and the CLI prints
 * the same objects as JSON.
 *
 * Large results are not shipped whole: every list is a *table* addressed by a
 * `tableId`, read in sorted row ranges with `rows(tableId, begin, end, sort)`
 * (like DevTools' `serializeItemsRange`).
 */
import type { DiffResult } from '../diff/diff-types.ts';
import type { SuspectsReport } from '../analyses/suspects.ts';
import type { PathHop } from '../graph/retainer-path.ts';
import type { DumpSummary } from '../analyses/summary-types.ts';

export type TableCell = string | number | boolean | null | number[] | string[];
export type TableRow = Record<string, TableCell>;

export interface TableColumn {
  key: string;
  title: string;
  /** numeric columns sort descending first; text ascending */
  kind: 'text' | 'number' | 'bytes' | 'counts';
  sortable: boolean;
}

export interface TableSort {
  key: string;
  descending: boolean;
}

export interface TableInfo {
  tableId: string;
  title: string;
  rowCount: number;
  columns: TableColumn[];
  defaultSort: TableSort | null;
}

export interface RowsPage {
  tableId: string;
  /** rows in the whole table */
  rowCount: number;
  begin: number;
  end: number;
  sort: TableSort | null;
  rows: TableRow[];
}

/** A reference to one object, for lists in the inspector. */
export interface ObjectRef {
  address: string;
  type: string;
  className: string;
  memsizeBytes: number;
  /** how the holder holds it (references) or how it holds the inspected object (retainers) */
  label: string;
}

export interface ObjectInspection {
  dumpId: string;
  address: string;
  ordinal: number;
  type: string;
  className: string;
  /** `file:line`, '' when untraced */
  location: string;
  method: string;
  generation: number | null;
  memsizeBytes: number;
  retainedBytes: number;
  /** bytesize (STRING), length (ARRAY), size (HASH/STRUCT), else 0 */
  size: number;
  flags: string[];
  stringPrefix: string | null;
  stringValueBytes: number | null;
  fileDescriptor: number | null;
  referenceCount: number;
  references: ObjectRef[];
  /** holders whose references retain (retaining-edge.ts): call caches and weak maps are not listed */
  retainerCount: number;
  retainers: ObjectRef[];
  /** ROOT lines that reference the object directly */
  rootCategories: string[];
  /** immediate dominator: an object, a ROOT category name, or 'several roots' */
  dominator: ObjectRef | string;
  /** shortest path from a ROOT line, root first; empty when unreachable */
  pathToRoot: PathHop[];
}

export interface SearchResult {
  dumpId: string;
  query: string;
  /** the object at the address, when the query is an address present in the dump */
  object: ObjectRef | null;
  /** classes whose name contains the query (case-insensitive), most instances first */
  classes: Array<{ className: string; count: number; memsizeBytes: number; tableId: string }>;
  /** more classes matched than are listed */
  truncated: boolean;
}

export interface DumpListing {
  dumpId: string;
  objectCount: number;
  hasReferences: boolean;
}

/** The EngineSession methods callable by name through the worker's `call(method, args)`. */
export interface EngineApi {
  dumps(): DumpListing[];
  summary(dumpId: string): DumpSummary;
  diff(dumpIds: string[]): DiffResult;
  suspects(dumpIds: string[]): SuspectsReport;
  tables(): TableInfo[];
  rows(tableId: string, begin: number, end: number, sort?: TableSort | null): RowsPage;
  inspect(dumpId: string, address: string): ObjectInspection;
  search(dumpId: string, query: string): SearchResult;
}

export const ENGINE_METHODS = ['dumps', 'summary', 'diff', 'suspects', 'tables', 'rows', 'inspect', 'search'] as const satisfies ReadonlyArray<keyof EngineApi>;
export type EngineMethod = (typeof ENGINE_METHODS)[number];
