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
  /** where the first rendered row goes, from the top of the scrolled content */
  offsetTopPx: number;
  /** height of the scrolled content (the spacer), at most `maxHeightPx` */
  totalHeightPx: number;
}

/**
 * Browsers cap an element's height (Chromium near 2^25 px), so 3.4 M rows of
 * 24 px cannot be laid out at full height: past this the content is
 * compressed and scroll positions are scaled to row positions (a past bug:
 * rows beyond ~700k could not be reached).
 */
export const MAX_SCROLL_HEIGHT_PX = 8_000_000;

export function rowWindowOf(
  scrollTopPx: number,
  viewportHeightPx: number,
  rowHeightPx: number,
  rowCount: number,
  overscanRows = 8,
  maxHeightPx = MAX_SCROLL_HEIGHT_PX,
): RowWindow {
  const contentHeightPx = rowCount * rowHeightPx;
  const totalHeightPx = Math.min(contentHeightPx, maxHeightPx);
  const scrollRangePx = Math.max(0, totalHeightPx - viewportHeightPx);
  const contentRangePx = Math.max(0, contentHeightPx - viewportHeightPx);
  const scale = scrollRangePx > 0 ? contentRangePx / scrollRangePx : 1;
  const clampedTopPx = Math.min(Math.max(0, scrollTopPx), scrollRangePx);
  // where the viewport's top would be if every row had its full height
  const virtualTopPx = clampedTopPx * scale;
  const firstVisible = Math.floor(virtualTopPx / rowHeightPx);
  const visibleCount = Math.ceil(viewportHeightPx / rowHeightPx) + 1;
  const begin = Math.max(0, Math.min(rowCount, firstVisible - overscanRows));
  const end = Math.max(begin, Math.min(rowCount, firstVisible + visibleCount + overscanRows));
  // rows keep their full height; the block is placed so the row at virtualTopPx sits at the viewport top
  const offsetTopPx = clampedTopPx - (virtualTopPx - begin * rowHeightPx);
  return { begin, end, offsetTopPx, totalHeightPx };
}

/** Page-aligned ranges covering [begin, end), for a cache keyed by page number. */
export function pagesCovering(begin: number, end: number, pageRows: number): number[] {
  if (end <= begin) return [];
  const pages: number[] = [];
  for (let page = Math.floor(begin / pageRows); page * pageRows < end; page += 1) pages.push(page);
  return pages;
}
