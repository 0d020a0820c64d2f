/**
 * Terminal formatting for the series commands: thousands separators, byte
 * sizes, growth arrows and fixed-width tables. Plain strings; no colours, so
 * output pipes cleanly into files and issue comments.
 */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatGrowth(liveCounts: number[]): string {
  return liveCounts.map(formatCount).join(' → ');
}

export interface Column<T> {
  title: string;
  align: 'left' | 'right';
  cell: (row: T) => string;
}

/** A table with a header, columns padded to their widest cell, two spaces apart. */
export function formatTable<T>(rows: T[], columns: Array<Column<T>>, indent = '  '): string[] {
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = columns.map((column, i) => Math.max(column.title.length, ...cells.map((line) => line[i].length)));
  const render = (line: string[]): string =>
    indent + line.map((text, i) => (columns[i].align === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]))).join('  ').trimEnd();
  return [render(columns.map((column) => column.title)), ...cells.map(render)];
}
