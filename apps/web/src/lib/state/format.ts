/**
 * Formatting of numbers for people: byte sizes (KB/MB/GB in powers of 1024,
 * as `free -h` prints them), rates, durations, counts with thousands
 * separators, and clock times. Pure functions; every view formats through
 * these so one figure reads the same everywhere.
 */

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** `1536` -> `"1.5 KB"`; `null` -> `"–"`. Three significant digits at most. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${sign}${value} B`;
  // choose the digits on the rounded value, so 99.999 prints "100", not "100.0"
  const digits = Number(value.toFixed(2)) >= 100 ? 0 : Number(value.toFixed(2)) >= 10 ? 1 : 2;
  return `${sign}${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** A growth rate: `"+12.5 MB/h"`, `"-3.0 MB/h"`, `"flat"` below 1 KB/h. */
export function formatBytesPerHour(bytesPerHour: number | null | undefined): string {
  if (bytesPerHour === null || bytesPerHour === undefined || !Number.isFinite(bytesPerHour)) return '–';
  if (Math.abs(bytesPerHour) < 1024) return 'flat';
  return `${bytesPerHour > 0 ? '+' : ''}${formatBytes(bytesPerHour)}/h`;
}

/** A transfer speed: `"48.2 MB/s"`. */
export function formatBytesPerSecond(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond)) return '–';
  return `${formatBytes(bytesPerSecond)}/s`;
}

const countFormat = new Intl.NumberFormat('en-US');

/** `12345` -> `"12,345"`. */
export function formatCount(count: number | null | undefined): string {
  if (count === null || count === undefined || !Number.isFinite(count)) return '–';
  return countFormat.format(count);
}

/** A signed change: `"+400"`, `"-12"`, `"0"`. */
export function formatSignedCount(delta: number): string {
  return delta > 0 ? `+${formatCount(delta)}` : formatCount(delta);
}

/** `95_000` -> `"1 min 35 s"`; under a second in ms; over a day in d/h. */
export function formatDurationMs(durationMs: number | null | undefined): string {
  if (durationMs === null || durationMs === undefined || !Number.isFinite(durationMs)) return '–';
  if (durationMs < 1000) return `${Math.round(durationMs)} ms`;
  const totalSeconds = Math.round(durationMs / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
  return `${seconds} s`;
}

/** Local date and time to the second, e.g. `"2026-11-29 12:04:05"`. */
export function formatDateTime(timeMs: number | null | undefined): string {
  if (timeMs === null || timeMs === undefined || !Number.isFinite(timeMs)) return '–';
  const date = new Date(timeMs);
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** A share as a percentage with one decimal: `0.1234` -> `"12.3%"`. */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return `${(share * 100).toFixed(1)}%`;
}
