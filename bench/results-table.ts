/**
 * Formats the bench results as one plain-text table per section: a row per
 * measurement, a column per metric name met in that section.
 */
import type { BenchResult } from './context.ts';

function formatValue(value: number | string | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) < 10 ? 2 : 1 });
}

export function formatResultsTable(results: BenchResult[]): string {
  const sections = [...new Set(results.map((result) => result.section))];
  const blocks = sections.map((section) => {
    const rows = results.filter((result) => result.section === section);
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row.metrics)))];
    const header = ['measurement', ...columns];
    const body = rows.map((row) => [row.name, ...columns.map((column) => formatValue(row.metrics[column]))]);
    const widths = header.map((title, index) => Math.max(title.length, ...body.map((cells) => cells[index].length)));
    const format = (cells: string[]): string =>
      cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]))).join('  ');
    return [`## ${section}`, format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(format)].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
