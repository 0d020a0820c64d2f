import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesPerHour, formatCount, formatDurationMs } from '../../src/lib/state/format.ts';

describe('format', () => {
  it('prints sizes in powers of 1024 like free -h', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(250 * 1024 ** 2)).toBe('250 MB');
    expect(formatBytes(4.5 * 1024 ** 3)).toBe('4.50 GB');
    expect(formatBytes(null)).toBe('–');
    expect(formatBytes(100 * 1024 ** 2 - 1)).toBe('100 MB');
    expect(formatBytes(9.999 * 1024 ** 2)).toBe('10.0 MB');
  });

  it('prints growth with a sign and calls tiny rates flat', () => {
    expect(formatBytesPerHour(12.5 * 1024 ** 2)).toBe('+12.5 MB/h');
    expect(formatBytesPerHour(-3 * 1024 ** 2)).toBe('-3.00 MB/h');
    expect(formatBytesPerHour(100)).toBe('flat');
  });

  it('separates thousands and spells durations', () => {
    expect(formatCount(2609)).toBe('2,609');
    expect(formatDurationMs(95_000)).toBe('1 min 35 s');
    expect(formatDurationMs(2.5 * 3_600_000)).toBe('2 h 30 min');
  });
});
