/**
 * Tables behind `rows(tableId, begin, end, sort)`. A TableSource knows its
 * columns and row count and returns one sorted range. `RowListTable` serves
 * results that are already small lists of plain rows (diff groups, suspects):
 * it sorts a copy once per sort key and keeps it.
 */
import { EngineRequestError } from './engine-errors.ts';
import type { RowsPage, TableColumn, TableInfo, TableRow, TableSort } from './engine-api.ts';

export interface TableSource {
  info(): TableInfo;
  rows(begin: number, end: number, sort: TableSort | null): RowsPage;
}

/** Clamps a requested range and checks the sort key against the columns. */
export function checkedRange(info: TableInfo, begin: number, end: number, sort: TableSort | null): { begin: number; end: number; sort: TableSort | null } {
  if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin) {
    throw new EngineRequestError(`bad row range [${begin}, ${end}) for table ${info.tableId}`);
  }
  const effective = sort ?? info.defaultSort;
  if (effective && !info.columns.some((column) => column.key === effective.key && column.sortable)) {
    throw new EngineRequestError(`table ${info.tableId} cannot be sorted by ${JSON.stringify(effective.key)}`);
  }
  return { begin: Math.min(begin, info.rowCount), end: Math.min(end, info.rowCount), sort: effective };
}

function compareCells(a: TableRow[string], b: TableRow[string]): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (Array.isArray(a) && Array.isArray(b)) return Number(a[a.length - 1] ?? 0) - Number(b[b.length - 1] ?? 0);
  return String(a ?? '').localeCompare(String(b ?? ''));
}

export class RowListTable implements TableSource {
  private readonly sorted = new Map<string, TableRow[]>();

  constructor(
    private readonly tableId: string,
    private readonly title: string,
    private readonly columns: TableColumn[],
    private readonly list: TableRow[],
    private readonly defaultSort: TableSort | null,
  ) {}

  info(): TableInfo {
    return { tableId: this.tableId, title: this.title, rowCount: this.list.length, columns: this.columns, defaultSort: this.defaultSort };
  }

  rows(begin: number, end: number, sort: TableSort | null): RowsPage {
    const range = checkedRange(this.info(), begin, end, sort);
    let ordered = this.list;
    if (range.sort) {
      const { key, descending } = range.sort;
      const cacheKey = `${key}|${descending}`;
      ordered = this.sorted.get(cacheKey) ?? [...this.list].sort((a, b) => (descending ? -1 : 1) * compareCells(a[key], b[key]));
      this.sorted.set(cacheKey, ordered);
    }
    return { tableId: this.tableId, rowCount: this.list.length, begin: range.begin, end: range.end, sort: range.sort, rows: ordered.slice(range.begin, range.end) };
  }
}
