/**
 * Windowing math for virtualized tables: which rows a scroll position shows,
 * and which page of rows to ask the worker for. Pure, so the table component
 * only wires scroll events and the page cache to it.
 *
 * Invariant: rows are a fixed height; the window always covers the visible
 * rows plus `overscanRows` on each side, clamped to [0, rowCount).
 */

export interface RowWindow {
  /** first row to render (inclusive) */
  begin: number;
  /** row after the last to render (exclusive) */
  end: number;
  /** pixels above the first rendered row (spacer height) */
  offsetTopPx: number;
  /** total height of all rows */
  totalHeightPx: number;
}

export function rowWindowOf(
  scrollTopPx: number,
  viewportHeightPx: number,
  rowHeightPx: number,
  rowCount: number,
  overscanRows = 8,
): RowWindow {
  const totalHeightPx = rowCount * rowHeightPx;
  const firstVisible = Math.floor(Math.max(0, scrollTopPx) / rowHeightPx);
  const visibleCount = Math.ceil(viewportHeightPx / rowHeightPx) + 1;
  const begin = Math.max(0, Math.min(rowCount, firstVisible - overscanRows));
  const end = Math.max(begin, Math.min(rowCount, firstVisible + visibleCount + overscanRows));
  return { begin, end, offsetTopPx: begin * rowHeightPx, totalHeightPx };
}

/** Page-aligned ranges covering [begin, end), for a cache keyed by page number. */
export function pagesCovering(begin: number, end: number, pageRows: number): number[] {
  if (end <= begin) return [];
  const pages: number[] = [];
  for (let page = Math.floor(begin / pageRows); page * pageRows < end; page += 1) pages.push(page);
  return pages;
}
